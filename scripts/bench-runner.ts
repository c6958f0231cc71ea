// Benchmark of the Kafka runner: completed client ops per second against a fresh 3-node cluster, with
// the rate over time (per 5 s bucket), without faults and with `--nemesis partition,kill,pause`.
// Prints figures; asserts nothing. Each run goes through `kafka-eos run --target kafka` end to end.
// Also where the cores went in the middle of the main phase (from 25 % to 90 % of it): the brokers' and
// the harness' CPU, per second and per completed op, since on a small machine that is the bound.
// With --clients a,b,... each client runs the same program back to back, repeated --pairs times (A/B
// pairs: on 2 cores shared with the brokers, only runs next to each other compare), and a table of
// completed ops/s and harness CPU per op (the harness' process tree: driver JVMs and Go binaries count)
// ends the output.
// Usage: npx tsx scripts/bench-runner.ts [--time-limit 60] [--faulty-time-limit 120] [--workers 12] [--rate 1000] [--seed 7] [--skip-faulty]
//        [--clients kafkajs,java,franz-go] [--pairs 2]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dockerode } from '../harness/docker/engine.ts';
import { LABEL } from '../harness/docker/labels.ts';
import { describeCpu, describeThreads, sampleCpu, type CpuSample } from './cpu-sampler.ts';

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string', default: '60' },
    'faulty-time-limit': { type: 'string', default: '120' },
    workers: { type: 'string', default: '12' },
    rate: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
    'skip-faulty': { type: 'boolean', default: false },
    clients: { type: 'string', default: 'kafkajs' },
    pairs: { type: 'string', default: '1' },
  },
});

interface Figures { client: string; opsPerSecond: number; harnessMsPerOp: number | null; brokerMsPerOp: number | null }
const figures: Figures[] = [];

interface Event { index: number; time: number; process: number | string; type: string; f: string }

async function bench(label: string, timeLimit: string, nemesis: string | null, client: string): Promise<void> {
  const out = join(mkdtempSync(join(tmpdir(), 'kafka-eos-bench-')), 'run');
  const args = ['bin/kafka-eos.js', 'run', '--seed', values.seed!, '--target', 'kafka', '--time-limit', timeLimit,
    '--workers', values.workers!, '--rate', values.rate!, '--out', out, '--client', client, ...(nemesis ? ['--nemesis', nemesis] : [])];
  const started = Date.now();
  const child = spawn('node', args, { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A killed node restarts with its CPU counter at zero: figures only mean something without faults.
  const cpu = nemesis ? null : await sampleMainPhase(join(out, 'kafka', 'history.jsonl'), child.pid!, Number(timeLimit), exited);
  const run = { status: await exited };
  const wall = (Date.now() - started) / 1000;
  const events = readEvents(join(out, 'kafka', 'history.jsonl'));
  const completions = events.filter((e) => e.process !== 'nemesis' && e.type !== 'invoke');
  const mainEnd = Number(timeLimit) * 1e9;
  const inMain = completions.filter((e) => e.time <= mainEnd);
  const ok = completions.filter((e) => e.type === 'ok').length;
  const nemesisEvents = events.filter((e) => e.process === 'nemesis' && e.type === 'info').length;
  const buckets = new Map<number, number>();
  for (const e of inMain) buckets.set(Math.floor(e.time / 5e9), (buckets.get(Math.floor(e.time / 5e9)) ?? 0) + 1);
  const docker = await dockerode();
  const left = (await docker.listContainers({ all: true, filters: { label: [LABEL.role] } })).length;
  console.log(`\n${client}, ${label}: exit ${run.status}, ${wall.toFixed(0)} s wall (${out})`);
  console.log(`  main phase: ${inMain.length} completed ops in ${timeLimit} s = ${(inMain.length / Number(timeLimit)).toFixed(0)} ops/s`);
  console.log(`  whole run: ${completions.length} completed ops, ${ok} ok, ${nemesisEvents} nemesis events applied; containers left: ${left}`);
  console.log(`  rate over time (ops/s per 5 s): ${[...buckets].sort((a, b) => a[0] - b[0]).map(([, n]) => (n / 5).toFixed(0)).join(' ')}`);
  if (!nemesis) console.log(`  CPU from 25 % to 90 % of the main phase: ${cpu ? describeCpu(cpu[0], cpu[1]) : 'not sampled (the run ended early)'}`);
  if (!nemesis && cpu) console.log(`  harness CPU by thread (live threads): ${describeThreads(cpu[0], cpu[1])}`);
  if (!nemesis) {
    const [a, b] = cpu ?? [null, null];
    const ops = a && b ? Math.max(1, b.completedOps - a.completedOps) : 0;
    const msPerOp = (x: number | null | undefined, y: number | null | undefined) => (a && b && x != null && y != null ? (1000 * (y - x)) / ops : null);
    figures.push({ client, opsPerSecond: inMain.length / Number(timeLimit), harnessMsPerOp: msPerOp(a?.processSeconds, b?.processSeconds), brokerMsPerOp: msPerOp(a?.brokerSeconds, b?.brokerSeconds) });
  }
}

function readEvents(path: string): Event[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as Event);
}

const completedOps = (path: string) => readEvents(path).filter((e) => e.process !== 'nemesis' && e.type !== 'invoke').length;

/** Two CPU samples inside the main phase, which starts with the history's first client event. */
async function sampleMainPhase(history: string, pid: number, timeLimit: number, exited: Promise<unknown>): Promise<[CpuSample, CpuSample] | null> {
  let done = false;
  void exited.then(() => { done = true; });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  while (!done && readEvents(history).every((e) => e.process === 'nemesis')) await sleep(500);
  const mainStart = Date.now();
  const at = async (fraction: number) => {
    await sleep(Math.max(0, mainStart + fraction * timeLimit * 1000 - Date.now()));
    return done ? null : sampleCpu(pid, completedOps(history));
  };
  const a = await at(0.25);
  const b = await at(0.9);
  return a && b ? [a, b] : null;
}

const clients = values.clients!.split(',').map((c) => c.trim()).filter(Boolean);
for (let pair = 1; pair <= Number(values.pairs); pair++) {
  for (const client of clients) {
    await bench('no faults', values['time-limit']!, null, client);
    if (!values['skip-faulty']) await bench('partition,kill,pause', values['faulty-time-limit']!, 'partition,kill,pause', client);
  }
}
const f1 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(1));
console.log('\nno faults, main phase (runs in the order they ran):');
console.log('| client | completed ops/s | harness CPU ms/op | brokers CPU ms/op |\n|---|---|---|---|');
for (const f of figures) console.log(`| ${f.client} | ${f.opsPerSecond.toFixed(0)} | ${f1(f.harnessMsPerOp)} | ${f1(f.brokerMsPerOp)} |`);
