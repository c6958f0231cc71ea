// campaign.json: one entry per seed, written after every seed, so a campaign stopped midway leaves an
// index of what it did. The outcome of a seed decides the campaign's exit code.
import type { Outcome } from '../run/verdict-file.ts';
import { EXIT } from '../cli/exit-codes.ts';
import type { HarnessIdentity } from '../meta/version.ts';

/**
 * `error`: the seed could not run (harness error, or a run that stopped early without anomalies);
 * `inconclusive`: it ran, found nothing certain, and could not decide (its verdict says why).
 */
export type SeedStatus = 'valid' | 'invalid' | 'inconclusive' | 'error';

export interface SeedResult {
  seed: number;
  status: SeedStatus;
  outcome: Outcome;
  anomalyTypes: string[];
  divergences: number;
  durationSeconds: number;
  /** The seed's run directory, relative to the campaign directory. */
  dir: string;
  /** Relative link to the seed's report, when it was written. */
  report: string | null;
  repro: string;
  ops: Record<string, number>;
  error: string | null;
  /** Why the seed's run was inconclusive (its verdict's reasons); absent in campaigns before it existed. */
  inconclusive?: string[];
}

export interface CampaignResult {
  version: 1;
  /** The harness that ran the campaign (absent in campaigns written before it was recorded). */
  harness?: HarnessIdentity;
  seeds: number[];
  args: string[];
  target: string;
  startedAt: string;
  durationSeconds: number;
  /** False when the campaign stopped before its last seed (Ctrl-C). */
  complete: boolean;
  runs: SeedResult[];
}

/**
 * 1 when any seed found anomalies (or a model divergence), else 3 when any could not run, else 4 when
 * any was inconclusive, else 0. Anomalies win over harness errors as in a single run's verdict: a finding
 * must never be hidden by an infrastructure hiccup elsewhere (a script that retries on 3 would throw the
 * finding away). A seed that could not run says less than one that ran and could not decide, so 3 wins
 * over 4. The index page and junit.xml show every seed either way.
 */
export function campaignExitCode(c: CampaignResult): number {
  if (c.runs.some((r) => r.status === 'invalid')) return EXIT.invalid;
  if (c.runs.some((r) => r.status === 'error') || !c.complete) return EXIT.harnessError;
  if (c.runs.some((r) => r.status === 'inconclusive')) return EXIT.inconclusive;
  return EXIT.valid;
}

export function tally(c: CampaignResult): { valid: number; invalid: number; inconclusive: number; error: number; anomalyTypes: string[] } {
  const count = (s: SeedStatus) => c.runs.filter((r) => r.status === s).length;
  return {
    valid: count('valid'), invalid: count('invalid'), inconclusive: count('inconclusive'), error: count('error'),
    anomalyTypes: [...new Set(c.runs.flatMap((r) => r.anomalyTypes))].sort(),
  };
}
