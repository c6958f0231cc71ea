// Deciding a run's outcome from what its stages produced, and writing verdict.json.
import fs from 'node:fs';
import path from 'node:path';
import { EXIT } from '../cli/exit-codes.ts';
import { harnessIdentity } from '../meta/version.ts';
import type { Outcome, RunVerdict } from './verdict-file.ts';

type VerdictInput = Omit<RunVerdict, 'valid' | 'outcome' | 'anomalyTypes' | 'divergences' | 'inconclusive' | 'harness'>
  & Partial<Pick<RunVerdict, 'divergences' | 'inconclusive'>>;

/**
 * Certain findings first: an anomaly or a proved divergence makes the run invalid whatever else
 * happened; a harness error means the rest could not be judged; only then can reasons the harness
 * could not decide make it inconclusive rather than valid.
 */
export function decideVerdict(input: VerdictInput): RunVerdict {
  const summaries = Object.values(input.histories).filter((h) => h !== undefined);
  const anomalyTypes = [...new Set(summaries.flatMap((h) => h.verdict.invalidTypes))].sort();
  const divergences = input.divergences ?? [];
  const inconclusive = input.inconclusive ?? [];
  const outcome: Outcome = anomalyTypes.length > 0 ? 'anomalies'
    : divergences.length > 0 ? 'model-divergence'
    : input.harnessError !== undefined ? 'harness-error'
    : inconclusive.length > 0 ? 'inconclusive' : 'valid';
  return { ...input, valid: outcome === 'valid', outcome, anomalyTypes, divergences, inconclusive, harness: harnessIdentity() };
}

/** The exit code of a run that produced this verdict (a harness error is thrown, and exits 3, before this). */
export function exitCodeFor(outcome: Outcome): number {
  switch (outcome) {
    case 'valid': return EXIT.valid;
    case 'anomalies': case 'model-divergence': return EXIT.invalid;
    case 'inconclusive': return EXIT.inconclusive;
    case 'harness-error': return EXIT.harnessError;
  }
}

export async function writeVerdict(outDir: string, input: VerdictInput): Promise<RunVerdict> {
  const verdict = decideVerdict(input);
  const file = path.join(outDir, 'verdict.json');
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(verdict, null, 1) + '\n');
  fs.renameSync(`${file}.tmp`, file); // a reader never sees half a verdict
  return verdict;
}
