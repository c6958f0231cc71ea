// Benchmark of the client drivers without a cluster: how long a driver takes from spawn to `init_ok`
// once built (warm: the JVM's class data and the OS cache hot), and, with --cold, how long the first
// build takes from empty caches (the driver cache, and for Go the module and build caches; Maven's
// ~/.m2 stays as it is, as on a machine that built the Kafka image). Prints figures; asserts nothing.
// Usage: npx tsx scripts/bench-drivers.ts [--client java,franz-go] [--runs 10] [--cold]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseClientSpecs, formatClientSpec } from '../harness/clients/spec.ts';

const { values } = parseArgs({ options: { client: { type: 'string', default: 'java,franz-go' }, runs: { type: 'string', default: '10' }, cold: { type: 'boolean', default: false } } });
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

if (values.cold) {
  const root = mkdtempSync(join(tmpdir(), 'kafka-eos-cold-'));
  process.env['KAFKA_EOS_DRIVER_CACHE'] = join(root, 'drivers');
  process.env['GOMODCACHE'] = join(root, 'gomod');
  process.env['GOCACHE'] = join(root, 'gobuild');
  console.log(`cold caches under ${root} (Go modules, Go build cache, driver cache; ~/.m2 as it is)`);
}
// After the environment is set: the cache root is read when a client is created.
const { clientKindOf } = await import('../harness/clients/registry.ts');
const { DriverProcess } = await import('../harness/clients/driver/driver-process.ts');
const { driverCommandOf } = await import('../harness/clients/registry.ts');

for (const spec of parseClientSpecs(values.client!)) {
  const kind = clientKindOf(spec);
  const started = Date.now();
  await kind.prepare(() => {});
  console.log(`${formatClientSpec(spec)}: ${values.cold ? 'first build' : 'prepare (cached)'} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const command = driverCommandOf(spec);
  if (!command) continue;
  const ready: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const t = process.hrtime.bigint();
    const d = await DriverProcess.start(command, {
      bootstrap_servers: ['localhost:1'], keys: [{ key: 0, topic: 't', partition: 0 }], copy_to: [], read_committed: true,
      idempotent: true, offsets_outside_txn: false, poll_ms: 100, copy_batch_max: 32,
    }, { label: 'bench', log: new PassThrough().resume(), timeoutMs: 60_000 });
    ready.push(Number(process.hrtime.bigint() - t) / 1e6);
    await d.shutdown();
  }
  console.log(`  spawn to init_ok over ${ready.length} starts: median ${quantile(ready, 0.5).toFixed(0)} ms, p90 ${quantile(ready, 0.9).toFixed(0)} ms, first ${ready[0]!.toFixed(0)} ms`);
}
if (values.cold) rmSync(process.env['KAFKA_EOS_DRIVER_CACHE']!, { recursive: true, force: true });
