// Deciding a run's outcome from what its stages produced, and writing verdict.json.
import fs from 'node:fs';
import path from 'node:path';
import type { Outcome, RunVerdict } from './verdict-file.ts';

type VerdictInput = Omit<RunVerdict, 'valid' | 'outcome' | 'anomalyTypes' | 'divergences'> & Partial<Pick<RunVerdict, 'divergences'>>;

export function decideVerdict(input: VerdictInput): RunVerdict {
  const summaries = Object.values(input.histories).filter((h) => h !== undefined);
  const anomalyTypes = [...new Set(summaries.flatMap((h) => h.verdict.invalidTypes))].sort();
  const divergences = input.divergences ?? [];
  const outcome: Outcome = anomalyTypes.length > 0 ? 'anomalies'
    : divergences.length > 0 ? 'model-divergence'
    : input.harnessError !== undefined ? 'harness-error' : 'valid';
  return { ...input, valid: outcome === 'valid', outcome, anomalyTypes, divergences };
}

export async function writeVerdict(outDir: string, input: VerdictInput): Promise<RunVerdict> {
  const verdict = decideVerdict(input);
  const file = path.join(outDir, 'verdict.json');
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(verdict, null, 1) + '\n');
  fs.renameSync(`${file}.tmp`, file); // a reader never sees half a verdict
  return verdict;
}
