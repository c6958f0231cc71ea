// Builds (or finds cached) the client drivers before the tests need them, and says how long each took:
// CI runs it once, so that the integration suite's timeouts measure runs, not Maven or `go build`.
// Usage: npx tsx scripts/build-drivers.ts [--client java,java@3.9.1,franz-go,...]
import { parseArgs } from 'node:util';
import { clientKindOf } from '../harness/clients/registry.ts';
import { formatClientSpec, parseClientSpecs } from '../harness/clients/spec.ts';

const { values } = parseArgs({ options: { client: { type: 'string', default: 'java,java@3.9.1,franz-go' } } });
for (const spec of parseClientSpecs(values.client!)) {
  const started = Date.now();
  await clientKindOf(spec).prepare((line) => process.stderr.write(`${line}\n`));
  console.log(`${formatClientSpec(spec)}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
