// One found anomaly: what a person needs to find it in the history (op indices, key, offsets,
// values) and one sentence that says what went wrong. Whether it invalidates the history is decided
// per anomaly (`allowed`), because for some names it depends on context (a G1c cycle that needs a
// ww edge, a poll-skip under a subscription).

/** Jepsen's names (history-format.md §2), with Jepsen's meaning. */
export const JEPSEN_ANOMALIES = [
  'inconsistent-offsets', 'duplicate', 'G1a', 'precommitted-read', 'lost-write', 'unseen', 'poll-skip',
  'nonmonotonic-poll', 'nonmonotonic-send', 'int-poll-skip', 'int-nonmonotonic-poll', 'int-send-skip',
  'int-nonmonotonic-send', 'G0', 'G0-realtime', 'G1c', 'G1c-realtime',
] as const;

/** Names this project adds (docs/anomalies.md), with whether each is allowed. */
export const PROJECT_ANOMALIES = {
  'empty-transaction-graph': false,
  'garbage-read': false,
  'G-single': true,
  'G2': true,
  'ctp-duplicate-input': false,
  'ctp-lost-input': false,
  'ctp-missing-output': false,
  'ctp-orphan-output': false,
  'ctp-offset-mismatch': false,
  'zombie-write': false,
  /** Observed on the cluster by harness/forensics (not from the history): see docs/anomalies.md. */
  'hanging-transaction': false,
} as const;

export type AnomalyType = (typeof JEPSEN_ANOMALIES)[number] | keyof typeof PROJECT_ANOMALIES;

/** One edge of a reported cycle: `from` → `to` (history indices) and why. */
export interface CycleStep {
  from: number;
  to: number;
  rel: 'ww' | 'wr' | 'rw' | 'realtime';
  key?: number;
  /** ww: the earlier and later values; wr: the value read; rw: value read, then the next value. */
  values?: number[];
}

export interface Anomaly {
  type: AnomalyType;
  /** False: this anomaly alone makes the history invalid. */
  allowed: boolean;
  /** History indices (completion events) of the ops involved, in the order the sentence names them. */
  ops: number[];
  key?: number;
  offsets?: number[];
  values?: number[];
  /** Dense-index distance (skips and nonmonotonic anomalies). */
  delta?: number;
  /** Values known to exist that a skip passed over. */
  skipped?: number[];
  count?: number;
  cycle?: CycleStep[];
  explanation: string;
}

export const list = (xs: readonly number[], max = 8): string =>
  xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')}, ... (${xs.length} in all)`;
