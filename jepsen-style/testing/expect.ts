// Test helpers: check a built history and pick one anomaly type, without the prose (each test file
// pins a few sentences separately, so wording changes do not ripple through every case).
import type { Anomaly } from '../anomaly.ts';
import { checkHistory, type CheckOptions, type Verdict } from '../checker.ts';
import type { HistoryBuilder } from './history-builder.ts';

export const verdictOf = (b: HistoryBuilder, options?: CheckOptions): Verdict => checkHistory(b.events, options);

export function anomaliesOf(b: HistoryBuilder, type: string, options?: CheckOptions): Omit<Anomaly, 'explanation'>[] {
  return (verdictOf(b, options).anomalies[type] ?? []).map(({ explanation: _, ...rest }) => rest);
}
