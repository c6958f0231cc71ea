// The campaign's progress line: seed i of n, a bar, elapsed, ETA from the seeds done so far, and the
// anomalies found so far. Pure, so that tests can pin it down; the CLI decides where it goes.
import { formatDuration } from './index-page.ts';

export interface ProgressState {
  index: number; // 0-based index of the seed running now (= seeds done)
  total: number;
  seed: number;
  elapsedSeconds: number;
  /** Durations of the seeds done, for the ETA. */
  doneSeconds: number[];
  /** Seed → anomaly types, for the seeds that found some. */
  anomalies: Array<{ seed: number; types: string[] }>;
  errors: number;
  /** What the running seed reports (phase, ops). */
  detail?: string;
}

export function eta(s: ProgressState): number | null {
  if (s.doneSeconds.length === 0) return null;
  const mean = s.doneSeconds.reduce((a, b) => a + b, 0) / s.doneSeconds.length;
  const sinceLast = s.elapsedSeconds - s.doneSeconds.reduce((a, b) => a + b, 0);
  return Math.max(0, mean * (s.total - s.index) - Math.max(0, sinceLast));
}

export function progressLine(s: ProgressState, width = 20): string {
  const filled = s.total === 0 ? width : Math.round((s.index / s.total) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const remaining = eta(s);
  const found = s.anomalies.length === 0 ? 'anomalies: none so far'
    : `anomalies: ${s.anomalies.length} seed(s) (${s.anomalies.map((a) => `${a.seed}: ${a.types.join(',') || 'divergence'}`).join('; ')})`;
  return [`${bar} seed ${s.seed} (${s.index + 1} of ${s.total})`, `${formatDuration(s.elapsedSeconds)} elapsed`,
    `ETA ${remaining === null ? '?' : formatDuration(remaining)}`, found,
    ...(s.errors > 0 ? [`could not run: ${s.errors}`] : []), ...(s.detail ? [s.detail] : [])].join(' · ');
}
