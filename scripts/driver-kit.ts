// The driver conformance kit from the command line (docs/client-drivers.md): starts a cluster, runs the
// fixed script against one or more clients, prints each step, exits 0 when all passed, 1 otherwise.
// Take the Kafka lock on a shared machine: flock /work/kafka.lock npx tsx scripts/driver-kit.ts ...
// Usage: npx tsx scripts/driver-kit.ts [--client java@4.4.0,franz-go,kafkajs] [--driver-command "cmd args"] [--kafka-version 4.4.0]
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster } from '../harness/cluster/cluster.ts';
import { runConformanceKit } from '../harness/clients/conformance/kit.ts';
import { clientKindOf, commandClient } from '../harness/clients/registry.ts';
import { parseClientSpecs } from '../harness/clients/spec.ts';
import type { ClientKind } from '../harness/clients/client.ts';

const { values } = parseArgs({ options: { client: { type: 'string' }, 'driver-command': { type: 'string' }, 'kafka-version': { type: 'string', default: '4.4.0' } } });
const kinds: ClientKind[] = [
  ...(values.client ? parseClientSpecs(values.client).map(clientKindOf) : []),
  ...(values['driver-command'] ? [commandClient(values['driver-command'])] : []),
];
if (kinds.length === 0) kinds.push(...parseClientSpecs('kafkajs,java,franz-go').map(clientKindOf));
for (const k of kinds) await k.prepare((line) => process.stderr.write(`${line}\n`));
const logFile = join(mkdtempSync(join(tmpdir(), 'kafka-eos-kit-')), 'client.log');
const log = createWriteStream(logFile);
const cluster = await startCluster({ nodes: 3, kafkaVersion: values['kafka-version']!, log: (line) => process.stderr.write(`${line}\n`) });
let passed = true;
try {
  for (const kind of kinds) {
    const started = Date.now();
    const r = await runConformanceKit(kind, { cluster, log });
    passed &&= r.passed;
    console.log(`${r.client}: ${r.passed ? 'PASSED' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s; transaction version ${r.transactionVersion ?? 'not reported'})`);
    for (const s of r.steps) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.ms} ms)${s.problems.map((p) => `\n         ${p}`).join('')}`);
  }
} finally {
  await cluster.stop();
  log.end();
}
console.log(`client logs: ${logFile}`);
process.exit(passed ? 0 : 1);
