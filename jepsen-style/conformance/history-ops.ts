// Client ops of a history with their mops as they really happened (completion mops when present),
// their real-time bounds, which ops committed (ok, or info with a write some op read at the offset the
// write got), and who wrote each value: the view the conformance checks share. Held as objects:
// conformance runs on one run's history, not on million-op benchmarks.
import type { ClientEvent, HistoryEvent, Mop } from '../history.ts';

export interface ReplayOp {
  /** History index naming the op: its completion, or its invoke if it never completed. */
  index: number;
  invokeIndex: number;
  process: number;
  type: 'ok' | 'fail' | 'info';
  f: 'send' | 'poll' | 'txn';
  mops: Mop[];
  txnId?: string;
  committed: boolean;
  /** Real time (ns) of the invoke and of the completion (Infinity: never completed). */
  invokeTime: number;
  time: number;
  error?: string;
  /** Mops (indices) of sends whose answer was lost but whose record a poll returned: where they landed is known. */
  located?: Set<number>;
}

/** The first op of a process, whatever its f: where a transactional producer runs InitProducerId. */
export interface ProcessStart {
  process: number;
  index: number;
  invokeIndex: number;
  f: ClientEvent['f'];
  type: 'ok' | 'fail' | 'info';
  invokeTime: number;
  time: number;
  /** The assignment it asked for, when the first op is an assign/subscribe. */
  assign?: number[];
}

export interface HistoryOps {
  /** In completion order; unfinished invokes (info) last. */
  ops: ReplayOp[];
  /** `${key}:${value}` → the op most likely to have committed that sent it. */
  writerOf: Map<string, ReplayOp>;
  /** Every client process's first op, by process. */
  starts: Map<number, ProcessStart>;
  maxKey: number;
  nemesisEvents: number;
}

export const kv = (k: number, v: number) => `${k}:${v}`;
export type SendOf = { key: number; value: number; offset: number | null };
export const sendsOf = (op: ReplayOp): SendOf[] => op.mops.filter((m): m is Extract<Mop, readonly ['send', ...unknown[]]> => m[0] === 'send')
  .map((m) => ({ key: m[1], value: Array.isArray(m[2]) ? (m[2] as readonly [number | null, number])[1] : (m[2] as number), offset: Array.isArray(m[2]) ? (m[2] as readonly [number | null, number])[0] : null }));
export const readsOf = (mop: Mop): [number, [number, number][]][] =>
  mop[0] === 'poll' && mop.length === 2 ? Object.entries(mop[1]).map(([k, pairs]) => [Number(k), pairs.map(([o, v]) => [o, v] as [number, number])]) : [];

export function historyOps(events: Iterable<HistoryEvent>): HistoryOps {
  const pending = new Map<number, ClientEvent>();
  const ops: ReplayOp[] = [];
  const starts = new Map<number, ProcessStart>();
  let maxKey = 0, nemesisEvents = 0;
  const make = (inv: ClientEvent, done: ClientEvent | undefined): ReplayOp => ({
    index: (done ?? inv).index, invokeIndex: inv.index, process: inv.process, type: done ? (done.type as ReplayOp['type']) : 'info',
    f: inv.f as ReplayOp['f'], mops: (Array.isArray(done?.value) ? done!.value : inv.value) as Mop[], committed: false,
    invokeTime: inv.time, time: done?.time ?? Infinity,
    ...((done?.txnId ?? inv.txnId) !== undefined ? { txnId: done?.txnId ?? inv.txnId } : {}),
    ...(done?.error !== undefined ? { error: done.error } : {}),
  });
  const start = (inv: ClientEvent, done: ClientEvent | undefined) => {
    if (starts.has(inv.process)) return;
    starts.set(inv.process, {
      process: inv.process, index: (done ?? inv).index, invokeIndex: inv.index, f: inv.f, type: done ? (done.type as ProcessStart['type']) : 'info',
      invokeTime: inv.time, time: done?.time ?? Infinity,
      ...(inv.f === 'assign' || inv.f === 'subscribe' ? { assign: [...((inv.value as number[] | null) ?? [])] } : {}),
    });
  };
  for (const e of events) {
    if (e.process === 'nemesis') { nemesisEvents++; continue; }
    if (e.type === 'invoke') { pending.set(e.process, e); continue; }
    const inv = pending.get(e.process);
    pending.delete(e.process);
    if (!inv) continue;
    start(inv, e);
    if (e.f === 'send' || e.f === 'poll' || e.f === 'txn') ops.push(make(inv, e));
    else if (e.f === 'assign' || e.f === 'subscribe') for (const k of (e.value as number[] | null) ?? []) maxKey = Math.max(maxKey, k);
  }
  for (const inv of pending.values()) {
    start(inv, undefined);
    if (inv.f === 'send' || inv.f === 'poll' || inv.f === 'txn') ops.push(make(inv, undefined));
  }
  for (const op of ops) {
    for (const s of sendsOf(op)) maxKey = Math.max(maxKey, s.key);
    for (const m of op.mops) for (const [k] of readsOf(m)) maxKey = Math.max(maxKey, k);
  }
  const writerOf = resolveWrites(ops);
  return { ops, writerOf, starts, maxKey, nemesisEvents };
}

/**
 * Fills in where unacknowledged sends landed, decides which info ops committed, and names each value's
 * writer. A read of (key, value) at offset o belongs to the op that was told o for that value; only reads
 * nobody was told about can place a send whose answer was lost. (A copier writes a value again after an
 * aborted copy: its records of the first attempt, never read, must not borrow the second attempt's offsets.)
 */
function resolveWrites(ops: ReplayOp[]): Map<string, ReplayOp> {
  /** Every offset each value was read at, first read first. */
  const readAt = new Map<string, Set<number>>();
  for (const op of ops) {
    for (const m of op.mops) for (const [k, pairs] of readsOf(m)) {
      for (const [o, v] of pairs) {
        const at = readAt.get(kv(k, v));
        if (at) at.add(o); else readAt.set(kv(k, v), new Set([o]));
      }
    }
  }
  const acked = new Set<string>();
  for (const op of ops) for (const s of sendsOf(op)) if (s.offset !== null) acked.add(`${s.key}:${s.value}@${s.offset}`);
  const claimed = new Set<string>();
  for (const op of ops) {
    op.mops = op.mops.map((m, i) => {
      if (m[0] !== 'send' || (Array.isArray(m[2]) && m[2][0] !== null)) return m;
      const v = Array.isArray(m[2]) ? (m[2] as readonly [null, number])[1] : (m[2] as number);
      const free = [...(readAt.get(kv(m[1], v)) ?? [])].find((o) => !acked.has(`${m[1]}:${v}@${o}`) && !claimed.has(`${m[1]}:${v}@${o}`));
      if (free === undefined) return m;
      claimed.add(`${m[1]}:${v}@${free}`);
      (op.located ??= new Set()).add(i);
      return ['send', m[1], [free, v]];
    });
    // Non-transactional sends are not atomic: of an info send op, the sends nobody acknowledged or
    // read are resolved as never having happened (a kill can cut an op after its first send).
    if (op.f === 'send' && op.type === 'info') {
      const kept = op.mops.map((m, i) => [m, i] as const).filter(([m]) => Array.isArray(m[2]) && m[2][0] !== null);
      const located = new Set(kept.flatMap(([, i], n) => (op.located?.has(i) ? [n] : [])));
      op.mops = kept.map(([m]) => m);
      if (op.located) op.located = located;
    }
  }
  // An info op committed if any op read one of its writes where it landed: a read_committed poll
  // returns only committed records whatever its own op's outcome (the reason Jepsen's version orders
  // take polls of every op).
  const readHere = (s: SendOf) => s.offset !== null && (readAt.get(kv(s.key, s.value))?.has(s.offset) ?? false);
  const rank = { ok: 0, info: 1, fail: 2 };
  const writerOf = new Map<string, ReplayOp>();
  for (const op of ops) {
    op.committed = op.type === 'ok' || (op.type === 'info' && sendsOf(op).some(readHere));
    for (const s of sendsOf(op)) {
      const seen = writerOf.get(kv(s.key, s.value));
      const better = !seen || rank[op.type] < rank[seen.type] || (op.committed && !seen.committed);
      if (better) writerOf.set(kv(s.key, s.value), op);
    }
  }
  return writerOf;
}
