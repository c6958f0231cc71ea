// `kafka-eos repro DIR` without the command line: re-run the exact program an earlier run recorded
// (program.json, fault schedule included; not regenerated from the seed, so shrunk or hand-edited
// programs re-run as they are) into a fresh DIR/repro-<n>/, and compare its anomaly types with the
// recorded ones.
import type { RunConfig } from '../run/run.ts';
import { runProgramForClients } from '../clients/compare.ts';
import { recordedClients, type ClientSpec } from '../clients/spec.ts';
import type { ClientFix } from '../kafka-runner/client-fixes.ts';
import type { RunVerdict, Target } from '../run/verdict-file.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/image.ts';
import { freshSubdir, readRunDir, recordedAnomalies, recordedTarget, type RecordedRun } from './run-dir.ts';

/** How the repro's anomalies relate to the recorded ones. */
export type ReproMatch = 'same' | 'partial' | 'different' | 'none';

export interface ReproResult {
  runDir: string;
  target: Target;
  recorded: string[];
  found: string[];
  /** Recorded types that came back, and those that did not; types the original did not have. */
  cameBack: string[];
  missing: string[];
  extra: string[];
  match: ReproMatch;
  verdict: RunVerdict;
}

export interface ReproOptions {
  target?: Target;
  /** The clients to re-run with (`--client`); default: the ones the recorded run judged. */
  clients?: ClientSpec[];
  out?: string;
  log?: RunConfig['log'];
  progress?: RunConfig['progress'];
}

/** The command that reruns this recorded program: the seed line when the seed regenerates it. */
export function reproLineOf(run: RecordedRun): string {
  return run.fromSeed && run.verdict?.repro ? run.verdict.repro : `npx kafka-eos repro ${run.dir}`;
}

export function compareAnomalies(recorded: string[], found: string[]): Pick<ReproResult, 'cameBack' | 'missing' | 'extra' | 'match'> {
  const cameBack = recorded.filter((t) => found.includes(t));
  const missing = recorded.filter((t) => !found.includes(t));
  const extra = found.filter((t) => !recorded.includes(t));
  const match: ReproMatch = found.length === 0 ? 'none'
    : missing.length === 0 && extra.length === 0 ? 'same'
    : cameBack.length > 0 ? 'partial' : 'different';
  return { cameBack, missing, extra, match };
}

export async function repro(dir: string, options: ReproOptions = {}): Promise<ReproResult> {
  const run = readRunDir(dir, 'repro');
  const target = options.target ?? recordedTarget(run);
  const runDir = options.out ?? freshSubdir(dir, 'repro');
  const verdict = await runProgramForClients({
    program: run.program, target, outDir: runDir,
    kafkaVersion: run.verdict?.kafkaVersion ?? DEFAULT_KAFKA_VERSION,
    clientFixes: (run.verdict?.clientFixes ?? []) as ClientFix[],
    repro: reproLineOf(run),
    log: options.log ?? (() => {}),
    progress: options.progress ?? (() => {}),
  }, options.clients ?? recordedClients(run.verdict));
  const recorded = recordedAnomalies(run);
  return { runDir, target, recorded, found: verdict.anomalyTypes, ...compareAnomalies(recorded, verdict.anomalyTypes), verdict };
}
