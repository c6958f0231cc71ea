// How fast `kafka-eos shrink` gets a model-caught failure small: for a few seeds of a mutated run, the
// model runs it needed, fast-check's candidates and shrink steps, wall time, and sizes before/after.
// Usage: npx tsx scripts/bench-shrink.ts [--time-limit 2] [--rate 20] [--mutate read-uncommitted] [--seeds 1,2,3]
import { parseArgs } from 'node:util';
import { modelRunDir, smallRun } from '../harness/repro/testing.ts';
import { shrink } from '../harness/shrink/shrink.ts';
import { formatSize } from '../harness/shrink/size.ts';

const { values } = parseArgs({ options: { 'time-limit': { type: 'string', default: '2' }, mutate: { type: 'string', default: 'read-uncommitted' }, seeds: { type: 'string', default: '1,2,3' }, rate: { type: 'string', default: '20' } } });
for (const seed of values.seeds.split(',').map(Number)) {
  const dir = await modelRunDir({ ...smallRun(seed, values.mutate), timeLimitSeconds: Number(values['time-limit']), rateHz: Number(values.rate) });
  const started = Date.now();
  const r = await shrink(dir, { budgetSeconds: 600, target: 'model' });
  const p = r.phases[0]!;
  console.log(`seed ${seed} (${values.mutate}, ${values['time-limit']} s at ${values.rate} Hz): ${p.runs} model runs, ${p.candidates} candidates, ${p.steps} steps, ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s; ${formatSize(r.original)} → ${r.result ? formatSize(r.result.size) : 'not smaller'}`);
}
