// Figures for docs/bug-finding.md, each from real runs through `kafka-eos run` (nothing here judges a
// history itself: it reads what the checker wrote into verdict.json).
//
//   npx tsx scripts/bug-finding.ts mutants [--seeds 1..3] [--time-limit 45] [--nemesis partition,kill,pause] [--out DIR]
//     Runs every --mutate mode on each seed against a fresh cluster, then prints the `detect` table.
//   npx tsx scripts/bug-finding.ts detect DIR...
//     The mutant table again from existing `<mutant>-seed<N>` run directories.
//   npx tsx scripts/bug-finding.ts table DIR...
//     One row per run directory (or every run under a campaign directory): verdict, anomalies, op rates.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MUTATIONS } from '../harness/run/choices.ts';
import { parseSeedRange } from '../harness/campaign/seeds.ts';
import type { RunVerdict } from '../harness/run/verdict-file.ts';
import { checkHistory } from '../jepsen-style/checker.ts';
import type { HistoryEvent } from '../jepsen-style/history.ts';
import type { ProgramInfo } from '../jepsen-style/program-info.ts';

/** The anomalies each mutant should cause (issue 7); others it causes are reported but do not count. */
export const EXPECTED: Record<(typeof MUTATIONS)[number], string[]> = {
  'no-idempotence': ['duplicate'],
  'read-uncommitted': ['G1a'],
  'offsets-outside-txn': ['duplicate', 'lost-write', 'ctp-duplicate-input', 'ctp-lost-input', 'ctp-offset-mismatch'],
  'unfenced-zombie': ['duplicate', 'zombie-write', 'ctp-duplicate-input'],
};

interface Event { index: number; time: number; type: string; process: number | string }

function verdictOf(dir: string): RunVerdict {
  return JSON.parse(readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as RunVerdict;
}

function kafkaEvents(dir: string): Event[] {
  return readFileSync(path.join(dir, 'kafka', 'history.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
}

/**
 * Time to detect: the first multiple of 5 s at which the history written so far already shows an
 * expected anomaly, checked as the checker would have checked that prefix (group offsets, read only at
 * the end of a run, are left out). Null if even the whole history does not show one.
 */
function detectedAt(dir: string, expected: string[]): number | null {
  const events = kafkaEvents(dir) as unknown as HistoryEvent[];
  const info = JSON.parse(readFileSync(path.join(dir, 'kafka', 'program-info.json'), 'utf8')) as ProgramInfo;
  const program: ProgramInfo = info.copiers ? { copiers: info.copiers } : {};
  const end = events.length > 0 ? events[events.length - 1]!.time : 0;
  for (let t = 5e9; ; t += 5e9) {
    const verdict = checkHistory(events.filter((e) => e.time <= t), { program });
    if (verdict.invalidTypes.some((type) => expected.includes(type))) return t / 1e9;
    if (t >= end) return null;
  }
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function runKafka(args: string[]): number | null {
  const run = spawnSync(process.execPath, ['bin/kafka-eos.js', 'run', '--target', 'kafka', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return run.status;
}

function mutants(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: {
    seeds: { type: 'string', default: '1..3' }, 'time-limit': { type: 'string', default: '45' },
    nemesis: { type: 'string', default: 'partition,kill,pause' }, out: { type: 'string', default: 'runs/mutants' },
    only: { type: 'string' },
  } });
  const dirs: string[] = [];
  for (const mutant of MUTATIONS.filter((m) => !values.only || values.only.split(',').includes(m))) {
    for (const seed of parseSeedRange(values.seeds)) {
      const dir = path.resolve(values.out!, `${mutant}-seed${seed}`);
      const started = Date.now();
      const status = runKafka(['--seed', String(seed), '--mutate', mutant, '--time-limit', values['time-limit']!, '--nemesis', values.nemesis!,
        '--client-fix', 'abort-filter', '--out', dir]);
      console.error(`${mutant} seed ${seed}: exit ${status}, ${((Date.now() - started) / 1000).toFixed(0)} s wall`);
      dirs.push(dir);
    }
  }
  detect(dirs);
}

/** DIR itself when it holds a verdict.json, else its subdirectories in seed order. */
function expand(dirs: string[]): string[] {
  return dirs.flatMap((d) => existsSync(path.join(d, 'verdict.json')) || !existsSync(d) ? [d]
    : readdirSync(d).map((e) => path.join(d, e)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
}

/** Run directories: each DIR with a verdict.json, or the run directories inside a campaign DIR. */
function runDirs(dirs: string[]): string[] {
  return expand(dirs).filter((d) => existsSync(path.join(d, 'verdict.json')));
}

function table(dirs: string[]): void {
  const rows = ['| run | Kafka | client | verdict | anomalies | ops | ok | info | completed ops/s |', '|---|---|---|---|---|---|---|---|---|'];
  const summary: Array<{ valid: boolean; rate: number; info: number; ops: number }> = [];
  for (const dir of runDirs(dirs)) {
    const v = verdictOf(dir);
    const s = v.histories.kafka?.verdict.stats;
    const events = existsSync(path.join(dir, 'kafka', 'history.jsonl')) ? kafkaEvents(dir) : [];
    const completed = events.filter((e) => e.process !== 'nemesis' && e.type !== 'invoke' && e.time <= v.timeLimitSeconds * 1e9).length;
    rows.push(`| ${path.basename(dir)} | ${v.kafkaVersion} | ${v.client} | ${!v.complete ? 'incomplete' : v.valid ? 'valid' : v.outcome === 'model-divergence' ? 'model divergence' : v.outcome === 'inconclusive' ? 'inconclusive' : 'INVALID'} | ${v.anomalyTypes.join(', ') || '—'} | ` +
      `${s?.ops ?? '—'} | ${s?.ok ?? '—'} | ${s ? `${((100 * s.info) / Math.max(1, s.ops)).toFixed(0)} %` : '—'} | ${(completed / v.timeLimitSeconds).toFixed(0)} |`);
    summary.push({ valid: v.complete && v.valid, rate: Math.round(completed / v.timeLimitSeconds), info: s?.info ?? 0, ops: s?.ops ?? 0 });
  }
  console.log(rows.join('\n'));
  const valid = summary.filter((r) => r.valid).length;
  const infoShare = (100 * summary.reduce((a, r) => a + r.info, 0)) / Math.max(1, summary.reduce((a, r) => a + r.ops, 0));
  console.log(`\n${summary.length} runs: ${valid} valid, ${summary.length - valid} invalid; median completed ops/s in the main phase ${median(summary.map((r) => r.rate))}; info ${infoShare.toFixed(0)} % of all ops`);
}

/** The mutant table again, from run directories named `<mutant>-seed<N>` (as `mutants` writes them). */
function detect(dirs: string[]): void {
  const rows = ['| mutant | seed | expected | found (invalid) | caught | detected at (5 s steps) |', '|---|---|---|---|---|---|'];
  const times = new Map<string, number[]>();
  for (const dir of expand(dirs)) {
    const match = /^(.+)-seed(\d+)$/.exec(path.basename(dir));
    const mutant = match?.[1] as keyof typeof EXPECTED | undefined;
    if (!match || !mutant || !(mutant in EXPECTED)) continue;
    if (!existsSync(path.join(dir, 'verdict.json'))) {
      rows.push(`| ${mutant} | ${match[2]} | ${EXPECTED[mutant].join(' / ')} | the run left no verdict.json | no | — |`);
      continue;
    }
    const at = detectedAt(dir, EXPECTED[mutant]);
    if (at !== null) times.set(mutant, [...(times.get(mutant) ?? []), at]);
    rows.push(`| ${mutant} | ${match[2]} | ${EXPECTED[mutant].join(' / ')} | ${verdictOf(dir).anomalyTypes.join(', ') || '—'} | ${at !== null ? 'yes' : 'no'} | ${at !== null ? `${at} s` : '—'} |`);
  }
  console.log(rows.join('\n'));
  console.log(['', '| mutant | median time to detect |', '|---|---|', ...[...times].map(([m, ts]) => `| ${m} | ${median(ts)} s |`)].join('\n'));
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'mutants') mutants(rest);
else if (command === 'detect') detect(rest);
else if (command === 'table') table(rest);
else {
  console.error('usage: npx tsx scripts/bug-finding.ts mutants [--seeds 1..3] [--time-limit 45] [--nemesis LIST] [--out DIR] [--only M,...]\n' +
    '       npx tsx scripts/bug-finding.ts detect DIR...\n       npx tsx scripts/bug-finding.ts table DIR...');
  process.exit(2);
}
