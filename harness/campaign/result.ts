// campaign.json: one entry per seed, written after every seed, so a campaign stopped midway leaves an
// index of what it did. The outcome of a seed decides the campaign's exit code. The file also says what
// made it (harness version, run settings, the planned seeds and the shard), so that `kafka-eos merge`
// can tell the shards of one campaign from directories that only look alike.
import type { Outcome } from '../run/verdict-file.ts';
import { EXIT } from '../cli/exit-codes.ts';
import type { HarnessIdentity } from '../meta/version.ts';
import type { Shard } from './seeds.ts';

/**
 * `error`: the seed could not run (harness error, or a run that stopped early without anomalies).
 * `inconclusive`: the run finished but could not judge something (its reasons in `inconclusive`).
 */
export type SeedStatus = 'valid' | 'invalid' | 'inconclusive' | 'error';
export const SEED_STATUSES: readonly SeedStatus[] = ['valid', 'invalid', 'inconclusive', 'error'];

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
  /** Anomaly name → how many its histories hold, allowed ones included (reports/campaign-matrix.ts); absent in older campaigns. */
  anomalyCounts?: Record<string, number>;
  /** The client library (and version) the seed judged, e.g. `java (kafka-clients) 4.4.0`; absent in older campaigns. */
  client?: string;
}

/** A shard that went into a merged campaign. */
export interface MergedShard {
  shard: Shard;
  /** The directory it was merged from, as given to `kafka-eos merge`. */
  dir: string;
  startedAt: string;
  durationSeconds: number;
  complete: boolean;
  runs: number;
}

export interface CampaignResult {
  version: 1;
  /** The harness that ran the campaign; shards merge only when version and commit agree. Absent in campaigns written before it was recorded. */
  harness?: HarnessIdentity;
  /** Every seed of the campaign in `--seeds` form (the same in all its shards). */
  seedSpec: string;
  /** The seeds this directory plans to run: all of `seedSpec`, or one shard's part of it. */
  seeds: number[];
  /** Which part of `seedSpec` this directory ran; null for a whole campaign (also a merged one). */
  shard: Shard | null;
  /** The run flags every seed shared (`kafka-eos run`'s parsed flags without seed and out directory). */
  settings: Record<string, unknown>;
  /** The command-line flags, without `--out` and `--shard` (where it wrote, which part it ran). */
  args: string[];
  target: string;
  startedAt: string;
  durationSeconds: number;
  /** False when the campaign stopped before its last seed (Ctrl-C), or a merged one lacks a shard. */
  complete: boolean;
  runs: SeedResult[];
  /** Merged campaigns: the shards that went in, by index. */
  shards?: MergedShard[];
  /** Merged campaigns: shard indexes no directory was given for (their seeds did not run). */
  missingShards?: number[];
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

export interface Tally {
  valid: number;
  /** Seeds with anomalies or a model divergence (status `invalid`); `divergent` of them had no anomaly. */
  invalid: number;
  divergent: number;
  inconclusive: number;
  error: number;
  anomalyTypes: string[];
}

export function tally(c: CampaignResult): Tally {
  const count = (s: SeedStatus) => c.runs.filter((r) => r.status === s).length;
  return {
    valid: count('valid'), invalid: count('invalid'), inconclusive: count('inconclusive'), error: count('error'),
    divergent: c.runs.filter((r) => r.status === 'invalid' && r.anomalyTypes.length === 0).length,
    anomalyTypes: [...new Set(c.runs.flatMap((r) => r.anomalyTypes))].sort(),
  };
}

/**
 * The seeds per status, as every summary prints them: `valid 8 · anomalies 1 · model divergence 1 ·
 * inconclusive 0 · could not run 0`. A divergence is counted apart from anomalies: one is the real
 * run's history breaking a rule, the other the harness' replay disagreeing with it.
 */
export function tallyWords(t: Tally, separator = ' · '): string {
  const parts = [`valid ${t.valid}`, `anomalies ${t.invalid - t.divergent}`];
  if (t.divergent > 0) parts.push(`model divergence ${t.divergent}`);
  parts.push(`inconclusive ${t.inconclusive}`, `could not run ${t.error}`);
  return parts.join(separator);
}
