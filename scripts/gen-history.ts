// Writes a large valid history.jsonl from a seed (the checker's benchmark input, or a sample to try
// `kafka-eos check` on): npx tsx scripts/gen-history.ts --ops 1000000 --out /tmp/h.jsonl [--seed 1]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateHistory } from '../jepsen-style/testing/generate.ts';

/** Streams the generated events to `path`; returns the number of events written. */
export async function writeHistory(path: string, ops: number, seed: number): Promise<number> {
  const out = createWriteStream(path);
  let buffer = '', events = 0;
  for (const e of generateHistory({ seed, ops, keys: 16, concurrency: 10 })) {
    buffer += JSON.stringify(e) + '\n';
    events++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return events;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { ops: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
  if (!values.out) {
    console.error('usage: npx tsx scripts/gen-history.ts --ops N --out FILE [--seed S]');
    process.exit(2);
  }
  const events = await writeHistory(values.out, Number(values.ops), Number(values.seed));
  console.log(`wrote ${events} events (${values.ops} ops + final polls) to ${values.out}`);
}
