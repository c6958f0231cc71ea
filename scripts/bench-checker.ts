// Checker benchmark: generates valid histories of 100k, 400k and 1M client ops (cached in a temp
// directory) and times `kafka-eos check FILE --json` on each, a fresh process per check, started
// exactly as a user starts it (node bin/kafka-eos.js), so load time and any V8 flags or worker
// threads the CLI uses are part of the figures. Prints wall seconds, ops/s, CPU seconds (user +
// system, all threads) and peak RSS as GNU time measures them for the whole process, plus the load
// average, so that linearity can be read off the table.
// Usage: npx tsx scripts/bench-checker.ts [--sizes 100000,400000] [--runs 3] [--cli PATH] [--threads auto|0|1] (each size checked that
// many times; the table shows the fastest wall and CPU times, since other work on the machine only
// ever adds to them, and the largest peak).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeHistory } from './gen-history.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,400000,1000000' }, runs: { type: 'string', default: '1' }, cli: { type: 'string' }, threads: { type: 'string', default: 'auto' } } });
// --cli: another checkout's launcher (say, the commit before a change, for a before/after table).
const cli = values.cli ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'kafka-eos.js');
// --threads 1|0: force the checker's worker threads on or off (KAFKA_EOS_CHECK_THREADS); auto: as
// a user's check decides (thread-policy.ts: only with an idle core).
if (!['auto', '0', '1'].includes(values.threads)) throw new Error('--threads must be auto, 0 or 1');
const env = { ...process.env };
if (values.threads === 'auto') delete env.KAFKA_EOS_CHECK_THREADS;
else env.KAFKA_EOS_CHECK_THREADS = values.threads;

interface Run { seconds: number; cpuSeconds: number; maxRssMb: number; ops: number; valid: boolean }

function check(path: string): Run {
  // GNU time reports the child's rusage (threads included); its last stderr line is ours.
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %U %S %M', process.execPath, cli, 'check', path, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30, env });
  const line = r.stderr.trim().split('\n').pop() ?? '';
  const m = /^BENCH (\S+) (\S+) (\S+) (\S+)$/.exec(line);
  if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`check ${path} failed (exit ${r.status}): ${r.stderr}`);
  const verdict = JSON.parse(r.stdout);
  return { seconds: Number(m[1]), cpuSeconds: Number(m[2]) + Number(m[3]), maxRssMb: Number(m[4]) / 1024, ops: verdict.stats.ops, valid: verdict.valid };
}

async function history(size: number): Promise<{ path: string; events: number | undefined }> {
  const path = join(dir, `history-${size}.jsonl`);
  return { path, events: existsSync(path) ? undefined : await writeHistory(path, size, 1) };
}

const dir = join(tmpdir(), 'kafka-eos-bench');
mkdirSync(dir, { recursive: true });
// Untimed: the first check after a source change rebuilds the CLI's cached bundle (compiled-cli.mjs).
check((await history(1000)).path);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average before: ${load()}; launcher ${cli}; threads ${values.threads}`);
console.log('ops        events     file MB  seconds  ops/s      cpu s  peak MB  valid  load avg (1 5 15 min)');
for (const size of values.sizes.split(',').map(Number)) {
  const { path, events } = await history(size);
  const runs = Array.from({ length: Math.max(1, Number(values.runs)) }, () => check(path));
  const r = { ...runs[0]!, seconds: Math.min(...runs.map((x) => x.seconds)), cpuSeconds: Math.min(...runs.map((x) => x.cpuSeconds)), maxRssMb: Math.max(...runs.map((x) => x.maxRssMb)) };
  const mb = statSync(path).size / 1e6;
  console.log([String(r.ops).padEnd(10), String(events ?? '(cached)').padEnd(10), mb.toFixed(0).padStart(7), r.seconds.toFixed(2).padStart(8),
    String(Math.round(r.ops / r.seconds)).padStart(10), r.cpuSeconds.toFixed(2).padStart(6), r.maxRssMb.toFixed(0).padStart(8), ` ${String(r.valid).padEnd(6)}`, load()].join(' '));
}
