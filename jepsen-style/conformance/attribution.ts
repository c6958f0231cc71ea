// Which transactional.id each process of a history ran as. A process runs InitProducerId for its
// transactional id at its first op, and that request fences the previous instance even when the op never
// completes (its answer lost, its retries still going after the client gave up). `txn` events name the id
// (`txnId`); a process whose every op failed before any transaction (an `info` assign) names nothing, so
// it is matched to the program's workers by the assignment its first op asked for: a fresh process re-issues
// its worker's assignment as it stands then, the first one or any later `assign` of the worker. Where that is
// ambiguous, or the op did not complete, the init is only *possible*: the replay may fire it, it need not.
import type { HistoryOps } from './history-ops.ts';

/** What the replay needs of a program's worker (program.json `workers`). */
export interface WorkerInfo {
  transactionalId: string | null;
  /** The assignment its first op asks for. */
  assign?: readonly number[];
  /** Every assignment its ops ask for, the first included: a fresh process re-issues the one current then. */
  assigns?: ReadonlyArray<readonly number[]>;
  groupId?: string;
}

export interface Attribution {
  transactionalId: string;
  /** The process certainly ran as this transactional id (a `txn` event says so, or only one worker matches). */
  certain: boolean;
  /** Other transactional ids it may have run as (several workers asked for the same assignment). */
  alternatives?: string[];
}

const sameKeys = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && [...a].sort((x, y) => x - y).every((k, i) => k === [...b].sort((x, y) => x - y)[i]);

export function attributeProcesses(h: HistoryOps, workers: readonly WorkerInfo[] = []): Map<number, Attribution> {
  const out = new Map<number, Attribution>();
  const idempotent = new Set<number>();
  for (const op of h.ops) {
    // A history without `txnId` still runs each transactional process as a producer of its own.
    if (op.f === 'txn') out.set(op.process, { transactionalId: op.txnId ?? out.get(op.process)?.transactionalId ?? `tx-${op.process}`, certain: true });
    if (op.f === 'send') idempotent.add(op.process);
  }
  for (const [process, start] of h.starts) {
    if (out.has(process) || idempotent.has(process) || start.assign === undefined) continue;
    const matching = workers.filter((w) => (w.assigns ?? (w.assign !== undefined ? [w.assign] : [])).some((a) => sameKeys(a, start.assign!)));
    const ids = [...new Set(matching.map((w) => w.transactionalId))];
    const txnIds = ids.filter((id): id is string => id !== null);
    if (txnIds.length === 0) continue;
    // Several transactional ids with the same assignment: each is only possible (the replay may fire the
    // process's InitProducerId for any of them, never must).
    out.set(process, { transactionalId: txnIds[0]!, certain: ids.length === 1, ...(txnIds.length > 1 ? { alternatives: txnIds.slice(1) } : {}) });
  }
  return out;
}

/** Workers of a program.json (`workers[]` with `transactionalId`, `groupId` and a first `assign` op). */
export function workersOfProgram(program: unknown): WorkerInfo[] {
  const workers = (program as { workers?: unknown[] } | null)?.workers;
  if (!Array.isArray(workers)) return [];
  return workers.map((w) => {
    const worker = w as { transactionalId?: string | null; groupId?: string; ops?: Array<{ f?: string; value?: unknown }> };
    const first = worker.ops?.[0];
    const assigns = (worker.ops ?? []).filter((o) => o.f === 'assign' && Array.isArray(o.value)).map((o) => o.value as number[]);
    return {
      transactionalId: worker.transactionalId ?? null,
      ...(worker.groupId !== undefined ? { groupId: worker.groupId } : {}),
      ...(first?.f === 'assign' && Array.isArray(first.value) ? { assign: first.value as number[] } : {}),
      ...(assigns.length > 0 ? { assigns } : {}),
    };
  });
}
