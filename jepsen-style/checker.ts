// The checker: history (and optionally the program's metadata) in, verdict out. Pure: it never
// touches Kafka or the disk. The indices are built once (op table, version orders), then each
// detector is a small function of them, and validity is decided from the detectors' `allowed` flags.
import type { Anomaly } from './anomaly.ts';
import { ctpCases } from './analysis/ctp-cases.ts';
import { duplicateCases, inconsistentOffsetCases } from './analysis/log-cases.ts';
import { buildOpTable, OK, type HistoryStats, type OpTable } from './analysis/ops.ts';
import { internalCases, processCases } from './analysis/order-cases.ts';
import { g1aCases, garbageReadCases, lostWriteCases, precommittedReadCases, unseenCases } from './analysis/read-cases.ts';
import { buildVersions, type Versions } from './analysis/versions.ts';
import { zombieCases } from './analysis/zombie-cases.ts';
import { cycleCases } from './graph/cycle-cases.ts';
import type { HistoryEvent } from './history.ts';
import type { ProgramInfo } from './program-info.ts';
import type { CycleWorkerData } from './cycle-worker.ts';
import { startWorker } from './threads.ts';

export interface CheckOptions {
  /** Program metadata for the checks beyond Jepsen (consume-transform-produce, zombie fencing). */
  program?: ProgramInfo;
  /** At most this many examples are listed per anomaly type (all are counted). Default 256. */
  maxPerType?: number;
}

/** The checker's result. The first four fields are the contract (history-format.md §3). */
export interface Verdict {
  valid: boolean;
  /** Every anomaly name found, sorted, allowed ones included. */
  anomalyTypes: string[];
  /** Name → examples (at most `maxPerType`), each with ops, key, offsets and a sentence. */
  anomalies: Record<string, Anomaly[]>;
  /** `ops` counts completed client operations, `ok + fail + info` of them. */
  stats: HistoryStats;
  /** Names with at least one anomaly that is not allowed: the reasons the history is invalid. */
  invalidTypes: string[];
  /** Name → number found (the lists in `anomalies` may be truncated). */
  anomalyCounts: Record<string, number>;
}

/** Checks a history held in memory (model runs, tests). Events must be in history order. */
export function checkHistory(events: Iterable<HistoryEvent>, options: CheckOptions = {}): Verdict {
  return checkOpTable(buildOpTable(events), options);
}

/** All anomalies of an indexed history, unsorted and unfiltered. */
export function findAnomalies(t: OpTable, v: Versions, options: CheckOptions = {}): Anomaly[] {
  return withCycles(t, otherAnomalies(t, v, options), cycleCases(t, v, { maxPerType: options.maxPerType ?? 256 }));
}

/** Every detector's anomalies but the cycles': those listed before them and after them. */
function otherAnomalies(t: OpTable, v: Versions, options: CheckOptions): [before: Anomaly[], after: Anomaly[]] {
  return [[
    ...inconsistentOffsetCases(t, v), ...duplicateCases(t, v), ...garbageReadCases(t, v), ...g1aCases(t, v), ...precommittedReadCases(t),
    ...lostWriteCases(t, v), ...unseenCases(t, v), ...internalCases(t, v), ...processCases(t, v),
  ], [...ctpCases(t, v, options.program), ...zombieCases(t, v, options.program)]];
}

/** The cycles (found here or in a worker) in their place among the other anomalies. */
function withCycles(t: OpTable, [before, after]: [Anomaly[], Anomaly[]], cycles: Anomaly[]): Anomaly[] {
  const found = [...before, ...cycles, ...after];
  if (!t.type.some((x) => x === OK)) {
    found.push({
      type: 'empty-transaction-graph', allowed: false, ops: [],
      explanation: 'the history has no ok send, poll or txn op, so nothing could be checked (Jepsen treats this as invalid too)',
    });
  }
  return found;
}

/** Checks an op table built while streaming (the `check` command). */
export function checkOpTable(t: OpTable, options: CheckOptions = {}): Verdict {
  return verdictOf(t, findAnomalies(t, buildVersions(t), options), options);
}

/**
 * The same verdict as `checkOpTable`, with the cycle search in a worker thread (cycle-worker.ts)
 * while this thread runs the other detectors. The table must be in shared memory (an
 * OpTableBuilder's is), or it is copied to the worker.
 */
export async function checkOpTableInParallel(t: OpTable, options: CheckOptions = {}): Promise<Verdict> {
  const maxPerType = options.maxPerType ?? 256;
  // Only what the graph needs: the transaction ids and assignments could be large to copy.
  // Stryker disable next-line ArrayDeclaration: the cycle search never reads assignments
  const table: OpTable = { ...t, txnId: new Map(), assignments: [] };
  const worker = startWorker('cycle-worker', { table, maxPerType } satisfies CycleWorkerData);
  try {
    const cycles = new Promise<Anomaly[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`cycle search thread exited with code ${code}`)));
    });
    // Stryker disable next-line CallExpression: the cycle promise is awaited before any event can reject it
    cycles.catch(() => {}); // awaited below; a failure meanwhile must not be unhandled
    const others = otherAnomalies(t, buildVersions(t), options);
    return verdictOf(t, withCycles(t, others, await cycles), options);
  } finally {
    await worker.terminate();
  }
}

function verdictOf(t: OpTable, found: Anomaly[], options: CheckOptions): Verdict {
  const maxPerType = options.maxPerType ?? 256;
  const anomalies: Record<string, Anomaly[]> = {};
  const anomalyCounts: Record<string, number> = {};
  const invalid = new Set<string>();
  for (const a of found) {
    anomalyCounts[a.type] = (anomalyCounts[a.type] ?? 0) + 1;
    const list = (anomalies[a.type] ??= []);
    if (!a.allowed) invalid.add(a.type);
    // Keep the examples that invalidate the history ahead of allowed ones of the same name.
    if (list.length < maxPerType) list.push(a);
    else if (!a.allowed) {
      const i = list.findIndex((x) => x.allowed);
      // Stryker disable next-line ConditionalExpression: with no allowed example to displace, i is -1, and list[-1] is a property, not an element: the verdict's JSON and every reader see the same list
      if (i >= 0) list[i] = a;
    }
  }
  const anomalyTypes = Object.keys(anomalies).sort();
  return {
    valid: invalid.size === 0,
    anomalyTypes,
    anomalies: Object.fromEntries(anomalyTypes.map((k) => [k, anomalies[k]!])),
    stats: { ...t.stats },
    invalidTypes: [...invalid].sort(),
    anomalyCounts: Object.fromEntries(anomalyTypes.map((k) => [k, anomalyCounts[k]!])),
  };
}
