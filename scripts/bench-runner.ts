// Benchmark of the Kafka runner: completed client ops per second against a fresh 3-node cluster, with
// the rate over time (per 5 s bucket), without faults and with `--nemesis partition,kill,pause`.
// Prints figures; asserts nothing. Each run goes through `kafka-eos run --target kafka` end to end.
// Usage: npx tsx scripts/bench-runner.ts [--time-limit 60] [--faulty-time-limit 120] [--workers 12] [--rate 1000] [--seed 7]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dockerode } from '../harness/docker/engine.ts';
import { LABEL } from '../harness/docker/labels.ts';

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string', default: '60' },
    'faulty-time-limit': { type: 'string', default: '120' },
    workers: { type: 'string', default: '12' },
    rate: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
  },
});

interface Event { index: number; time: number; process: number | string; type: string; f: string }

async function bench(label: string, timeLimit: string, nemesis: string | null): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'kafka-eos-bench-'));
  const args = ['bin/kafka-eos.js', 'run', '--seed', values.seed!, '--target', 'kafka', '--time-limit', timeLimit,
    '--workers', values.workers!, '--rate', values.rate!, '--out', out, ...(nemesis ? ['--nemesis', nemesis] : [])];
  const started = Date.now();
  const run = spawnSync('node', args, { encoding: 'utf8' });
  const wall = (Date.now() - started) / 1000;
  const events = readFileSync(join(out, 'kafka', 'history.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
  const client = events.filter((e) => e.process !== 'nemesis' && e.type !== 'invoke');
  const mainEnd = Number(timeLimit) * 1e9;
  const inMain = client.filter((e) => e.time <= mainEnd);
  const ok = client.filter((e) => e.type === 'ok').length;
  const nemesisEvents = events.filter((e) => e.process === 'nemesis' && e.type === 'info').length;
  const buckets = new Map<number, number>();
  for (const e of inMain) buckets.set(Math.floor(e.time / 5e9), (buckets.get(Math.floor(e.time / 5e9)) ?? 0) + 1);
  const docker = await dockerode();
  const left = (await docker.listContainers({ all: true, filters: { label: [LABEL.role] } })).length;
  console.log(`\n${label}: exit ${run.status}, ${wall.toFixed(0)} s wall (${out})`);
  console.log(`  main phase: ${inMain.length} completed ops in ${timeLimit} s = ${(inMain.length / Number(timeLimit)).toFixed(0)} ops/s`);
  console.log(`  whole run: ${client.length} completed ops, ${ok} ok, ${nemesisEvents} nemesis events applied; containers left: ${left}`);
  console.log(`  rate over time (ops/s per 5 s): ${[...buckets].sort((a, b) => a[0] - b[0]).map(([, n]) => (n / 5).toFixed(0)).join(' ')}`);
}

await bench('no faults', values['time-limit']!, null);
await bench('partition,kill,pause', values['faulty-time-limit']!, 'partition,kill,pause');
