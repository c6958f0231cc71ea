// `kafka-eos shrink DIR` without the command line. "Still fails" means: the candidate's run finds at
// least one of the anomaly types DIR's verdict recorded (so the search does not drift to another bug).
// First on the model (seconds a run), then on a fresh real cluster per candidate, starting from the
// model's smallest program (fast-check path) and falling back to the original when that one does not
// fail on Kafka. The budget bounds the whole command: the model search may use half of it when a
// Kafka search follows; a run is started only if it is expected to end within the budget.
// The smallest failing program is a run directory of its own: DIR/shrunk/ (program.json, histories,
// verdict.json, index.html, shrink.json), so `kafka-eos repro DIR/shrunk` re-runs it.
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../cli/exit-codes.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/image.ts';
import { runProgram, type RunConfig } from '../run/run.ts';
import { clientSpecOfVerdict, type ClientSpec } from '../clients/spec.ts';
import type { ClientFix } from '../kafka-runner/client-fixes.ts';
import type { RunVerdict, Target } from '../run/verdict-file.ts';
import { generateProgram, type Program } from '../workload/index.ts';
import { readRunDir, recordedAnomalies, recordedTarget } from '../repro/run-dir.ts';
import { programKey, searchSmallerFailing } from './search.ts';
import { programSize, type ProgramSize } from './size.ts';

type RunTarget = 'model' | 'kafka';

export interface ShrinkOptions {
  budgetSeconds: number;
  /** Where to search: `model`, `kafka` or `both` (model first). Default: `model` for a model-only run, else `both`. */
  target?: Target;
  log?: (line: string) => void;
  now?: () => number;
  /** The client the Kafka candidates run with (`--client`); default: the one the failing run judged. */
  client?: ClientSpec;
  /** Runs one candidate; `runProgram` unless a test stands in for the cluster. */
  runner?: (config: RunConfig) => Promise<RunVerdict>;
}

export interface PhaseReport {
  target: RunTarget;
  startedFrom: 'original' | 'model result';
  runs: number;
  candidates: number;
  steps: number;
  stoppedBy: 'done' | 'budget' | 'does not fail here';
  seconds: number;
  smallest: ProgramSize | null;
}

export interface ShrinkReport {
  dir: string;
  shrunkDir: string | null;
  sought: string[];
  original: ProgramSize;
  /** The smallest failing program found, on which target, and what its run found. */
  result: { size: ProgramSize; target: RunTarget; anomalyTypes: string[] } | null;
  phases: PhaseReport[];
  notes: string[];
  budgetSeconds: number;
  seconds: number;
}

export async function shrink(dir: string, options: ShrinkOptions): Promise<ShrinkReport> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const run = readRunDir(dir, 'shrink');
  if (!run.verdict) throw usageError(`shrink: ${dir} has no verdict.json, so what failed is unknown; run \`kafka-eos report ${dir}\` or re-run it first`);
  const sought = recordedAnomalies(run);
  if (sought.length === 0) throw usageError(`shrink: the run in ${dir} found no anomalies (outcome ${run.verdict.outcome}); there is nothing to shrink`);
  if (run.verdict.clients) {
    throw usageError(`shrink: ${dir} holds one run per client (--client ${run.verdict.clients.map((c) => c.clientName).join(',')}); shrink the run of the client that failed: ${run.verdict.clients.filter((c) => c.anomalyTypes.length > 0).map((c) => path.join(dir, c.dir)).join(' or ')}`);
  }
  const client = options.client ?? clientSpecOfVerdict(run.verdict);
  if (!run.fromSeed) {
    throw usageError(`shrink: ${dir}/program.json is not the program its seed generates (a shrunk or edited program); shrink the original run's directory instead`);
  }
  const recorded = recordedTarget(run);
  const where = options.target ?? (recorded === 'model' ? 'model' : 'both');
  const started = now();
  const deadline = started + options.budgetSeconds * 1000;
  const shrunkDir = path.join(dir, 'shrunk');
  const scratch = path.join(dir, '.shrink-attempt');
  const kafkaVersion = run.verdict.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const notes: string[] = [];
  const phases: PhaseReport[] = [];
  let result: ShrinkReport['result'] = null;
  fs.rmSync(shrunkDir, { recursive: true, force: true });

  // The recorded verdicts of the original program need no run.
  const originalKey = programKey(generateProgram(run.program.seed, run.program.options));
  const known: Record<RunTarget, Map<string, boolean>> = { model: new Map(), kafka: new Map() };
  for (const t of ['model', 'kafka'] as const) {
    const h = run.verdict.histories[t];
    if (h) known[t].set(originalKey, h.verdict.invalidTypes.some((a) => sought.includes(a)));
  }

  const attempt = async (target: RunTarget, program: Program, n: number): Promise<boolean> => {
    fs.rmSync(scratch, { recursive: true, force: true });
    const size = programSize(program);
    const verdict = await (options.runner ?? runProgram)({
      program, target, outDir: scratch, kafkaVersion, client, clientFixes: (run.verdict?.clientFixes ?? []) as ClientFix[], repro: `npx kafka-eos repro ${shrunkDir}`,
      log: target === 'kafka' ? (line) => log(`  ${line}`) : () => {}, progress: () => {},
    });
    const fails = verdict.anomalyTypes.some((a) => sought.includes(a));
    // Model runs take a second: log the steps only; every Kafka run is worth a line.
    if (fails || target === 'kafka') log(`${target} run ${n}: ${size.ops} ops, ${size.faults} faults → ${fails ? `fails (${verdict.anomalyTypes.join(', ')})` : verdict.outcome}`);
    if (fails) {
      fs.rmSync(shrunkDir, { recursive: true, force: true });
      fs.renameSync(scratch, shrunkDir);
      result = { size, target, anomalyTypes: verdict.anomalyTypes };
    }
    return fails;
  };

  const phase = async (target: RunTarget, until: number, from: { path?: string; label: PhaseReport['startedFrom'] }) => {
    const t0 = now();
    let longest = target === 'kafka' && recorded !== 'model' ? run.verdict!.durationSeconds * 1000 : 0;
    const search = await searchSmallerFailing({
      seed: run.program.seed, options: run.program.options, known: known[target],
      ...(from.path ? { path: from.path } : {}),
      canStart: () => now() + longest <= until,
      fails: async (program, n) => {
        const s = now();
        try {
          return await attempt(target, program, n);
        } finally {
          longest = Math.max(longest, now() - s);
        }
      },
    });
    const report: PhaseReport = {
      target, startedFrom: from.label, runs: search.runs, candidates: search.candidates, steps: search.steps,
      stoppedBy: search.smallest === null && search.stoppedBy === 'done' ? 'does not fail here' : search.stoppedBy,
      seconds: (now() - t0) / 1000, smallest: search.smallest ? programSize(search.smallest.program) : null,
    };
    phases.push(report);
    log(`${target} search from the ${from.label}: ${report.runs} runs, ${report.steps} shrink steps, stopped: ${report.stoppedBy}`);
    return search;
  };

  let modelPath: string | undefined;
  if (where !== 'kafka') {
    const until = where === 'both' ? started + (deadline - started) / 2 : deadline;
    const search = await phase('model', until, { label: 'original' });
    if (search.smallest) modelPath = search.smallest.path;
    else if (search.stoppedBy === 'done') notes.push('the failure does not show on the model: shrinking on Kafka only, within the budget');
  }
  if (where !== 'model') {
    let search = modelPath ? await phase('kafka', deadline, { path: modelPath, label: 'model result' }) : null;
    if (search && !search.smallest && search.stoppedBy === 'done') {
      notes.push('the smallest program that fails on the model does not fail on Kafka; shrinking the original on Kafka instead');
      search = null;
    }
    if (!search) search = await phase('kafka', deadline, { label: 'original' });
    if (!search.smallest || programKey(search.smallest.program) === originalKey) notes.push('no smaller program failed on Kafka within the budget');
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  const report: ShrinkReport = {
    dir, shrunkDir: result ? shrunkDir : null, sought, original: programSize(run.program), result, phases, notes,
    budgetSeconds: options.budgetSeconds, seconds: (now() - started) / 1000,
  };
  if (result) fs.writeFileSync(path.join(shrunkDir, 'shrink.json'), JSON.stringify(report, null, 1) + '\n');
  return report;
}
