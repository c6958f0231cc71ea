// `kafka-eos run`: generate the program from the seed, run it against the model and/or a fresh real
// cluster, check the histories, write verdict.json and the report. Flags and exit codes are the
// contract's (history-format.md §3): 0 valid, 1 anomalies or divergence, 2 bad usage, 3 harness error.
import path from 'node:path';
import { parseFlags, intFlag, listFlag } from './args.ts';
import { EXIT, usageError } from './exit-codes.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/image.ts';
import { DEFAULT_OPTIONS, generateProgram, NEMESIS_FAMILIES, type NemesisFamily } from '../workload/index.ts';
import { runProgram } from '../run/run.ts';
import type { Target } from '../run/verdict-file.ts';
import { renderRunReport } from '../run/report-hook.ts';
import { CLIENT_FIXES, type ClientFix } from '../kafka-runner/client-fixes.ts';

export const MUTATIONS = ['no-idempotence', 'read-uncommitted', 'offsets-outside-txn', 'unfenced-zombie'] as const;
const TARGETS: Target[] = ['model', 'kafka', 'both'];

/**
 * Workload presets. `endtxn-race` aims at KAFKA-17754 (a delayed EndTxn deciding the next transaction):
 * transactional workers only, back to back, half of them aborted on purpose (an abort turned into a
 * commit, or the reverse, is then visible), short ones, and unless --nemesis says otherwise, pauses
 * (a paused coordinator holds EndTxn requests) and client isolation (the client's requests wait in TCP).
 */
export const WORKLOADS = ['standard', 'endtxn-race'] as const;
export type Workload = (typeof WORKLOADS)[number];
const ENDTXN_RACE_NEMESIS: NemesisFamily[] = ['pause', 'partition'];

export const RUN_FLAGS = {
  seed: { type: 'string' },
  target: { type: 'string' },
  'time-limit': { type: 'string' },
  nemesis: { type: 'string' },
  out: { type: 'string' },
  mutate: { type: 'string' },
  'kafka-version': { type: 'string' },
  'txn-version': { type: 'string' },
  rate: { type: 'string' },
  workers: { type: 'string' },
  'nemesis-interval': { type: 'string' },
  'client-fix': { type: 'string' },
  workload: { type: 'string' },
} as const;

export interface ParsedRun {
  seed: number;
  target: Target;
  timeLimitSeconds: number;
  nemesis: NemesisFamily[];
  mutate: string | null;
  kafkaVersion: string;
  txnVersion: 1 | 2;
  rateHz: number | undefined;
  workers: number | undefined;
  nemesisIntervalSeconds: number | undefined;
  out: string | undefined;
  clientFixes: ClientFix[];
  workload: Workload;
}

export function parseRunFlags(command: string, argv: string[]): ParsedRun {
  const { values } = parseFlags(command, argv, RUN_FLAGS);
  const target = (values.target ?? 'both') as Target;
  if (!TARGETS.includes(target)) throw usageError(`${command}: --target must be one of ${TARGETS.join(', ')}, got '${values.target}'`);
  const nemesis = listFlag(command, 'nemesis', values.nemesis, NEMESIS_FAMILIES);
  const mutate = values.mutate ?? null;
  if (mutate !== null && !(MUTATIONS as readonly string[]).includes(mutate)) {
    throw usageError(`${command}: unknown --mutate '${mutate}': choose from ${MUTATIONS.join(', ')}`);
  }
  const clientFixes = listFlag(command, '--client-fix', values['client-fix'], CLIENT_FIXES);
  const workload = (values.workload ?? 'standard') as Workload;
  if (!WORKLOADS.includes(workload)) throw usageError(`${command}: unknown --workload '${values.workload}': choose from ${WORKLOADS.join(', ')}`);
  const txnVersion = intFlag(command, 'txn-version', values['txn-version'], 2, 1);
  if (txnVersion !== 1 && txnVersion !== 2) throw usageError(`${command}: --txn-version must be 1 or 2`);
  return {
    seed: intFlag(command, 'seed', values.seed, 1, 0),
    target,
    timeLimitSeconds: intFlag(command, 'time-limit', values['time-limit'], 60, 1),
    nemesis,
    mutate,
    kafkaVersion: values['kafka-version'] ?? DEFAULT_KAFKA_VERSION,
    txnVersion,
    rateHz: values.rate === undefined ? undefined : intFlag(command, 'rate', values.rate, 300, 1),
    workers: values.workers === undefined ? undefined : intFlag(command, 'workers', values.workers, 6, 1),
    nemesisIntervalSeconds: values['nemesis-interval'] === undefined ? undefined : intFlag(command, 'nemesis-interval', values['nemesis-interval'], 10, 1),
    out: values.out,
    clientFixes,
    workload,
  };
}

/** The one-line command that runs the same program again. */
export function reproCommand(p: ParsedRun): string {
  const parts = ['npx kafka-eos run', `--seed ${p.seed}`, `--target ${p.target}`, `--time-limit ${p.timeLimitSeconds}`];
  if (p.nemesis.length > 0) parts.push(`--nemesis ${p.nemesis.join(',')}`);
  if (p.mutate) parts.push(`--mutate ${p.mutate}`);
  if (p.kafkaVersion !== DEFAULT_KAFKA_VERSION) parts.push(`--kafka-version ${p.kafkaVersion}`);
  if (p.txnVersion !== 2) parts.push(`--txn-version ${p.txnVersion}`);
  if (p.rateHz !== undefined) parts.push(`--rate ${p.rateHz}`);
  if (p.workers !== undefined) parts.push(`--workers ${p.workers}`);
  if (p.nemesisIntervalSeconds !== undefined) parts.push(`--nemesis-interval ${p.nemesisIntervalSeconds}`);
  if (p.workload !== 'standard') parts.push(`--workload ${p.workload}`);
  if (p.clientFixes.length > 0) parts.push(`--client-fix ${p.clientFixes.join(',')}`);
  return parts.join(' ');
}

export function programFor(p: ParsedRun) {
  const race = p.workload === 'endtxn-race';
  const workers = p.workers ?? DEFAULT_OPTIONS.workers;
  return generateProgram(p.seed, {
    timeLimitMs: p.timeLimitSeconds * 1000, mutate: p.mutate, txnVersion: p.txnVersion,
    nemesis: race && p.nemesis.length === 0 ? ENDTXN_RACE_NEMESIS : p.nemesis,
    ...(race ? { transactionalWorkers: workers, abortP: 0.5, maxMops: 2, crashP: 0, reassignP: 0, partitionKinds: ['client-isolation'], nemesisIntervalMs: 3_000 } : {}),
    ...(p.rateHz !== undefined ? { rateHz: p.rateHz } : {}),
    ...(p.workers !== undefined ? { workers: p.workers } : {}),
    ...(p.nemesisIntervalSeconds !== undefined ? { nemesisIntervalMs: p.nemesisIntervalSeconds * 1000 } : {}),
  });
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseRunFlags('run', argv);
  const outDir = path.resolve(parsed.out ?? path.join('runs', `seed-${parsed.seed}-${timestamp()}`));
  const interactive = process.stderr.isTTY === true;
  let lastPrinted = 0;
  const verdict = await runProgram({
    program: programFor(parsed), target: parsed.target, outDir, kafkaVersion: parsed.kafkaVersion, clientFixes: parsed.clientFixes, repro: reproCommand(parsed),
    log: (line) => process.stderr.write(`${interactive ? '\r\x1b[K' : ''}${line}\n`),
    progress: (line) => {
      // On a terminal the line updates in place; in CI logs, one line every 10 s.
      if (interactive) process.stderr.write(`\r\x1b[K${line}`);
      else if (Date.now() - lastPrinted >= 10_000) { lastPrinted = Date.now(); process.stderr.write(`${line}\n`); }
    },
  });
  if (interactive) process.stderr.write('\n');
  const report = await renderRunReport(outDir);
  console.log(`${verdict.outcome === 'valid' ? 'VALID' : verdict.outcome.toUpperCase()}: seed ${verdict.seed}` +
    (verdict.anomalyTypes.length ? `, anomalies: ${verdict.anomalyTypes.join(', ')}` : '') +
    (verdict.divergences.length ? `, ${verdict.divergences.length} model divergence(s)` : ''));
  for (const [name, h] of Object.entries(verdict.histories)) {
    console.log(`  ${name}: ${h.verdict.stats.ops} ops (ok ${h.verdict.stats.ok}, fail ${h.verdict.stats.fail}, info ${h.verdict.stats.info}), ${h.path}`);
  }
  console.log(`  verdict: ${path.join(outDir, 'verdict.json')}`);
  if (report) console.log(`  report:  ${report}`);
  console.log(`  repro:   ${verdict.repro}`);
  return verdict.valid ? EXIT.valid : EXIT.invalid;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
}
