// Client ops of a history with their mops as they really happened (completion mops when present),
// which ops committed (ok, or info with a write some op read), and who wrote each value:
// the view the conformance checks share. Held as objects: conformance runs on one run's history,
// not on million-op benchmarks.
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
}

export interface HistoryOps {
  /** In completion order; unfinished invokes (info) last. */
  ops: ReplayOp[];
  /** `${key}:${value}` → the op most likely to have committed that sent it. */
  writerOf: Map<string, ReplayOp>;
  maxKey: number;
  nemesisEvents: number;
}

export const kv = (k: number, v: number) => `${k}:${v}`;
export const sendsOf = (op: ReplayOp) => op.mops.filter((m): m is Extract<Mop, readonly ['send', ...unknown[]]> => m[0] === 'send')
  .map((m) => ({ key: m[1], value: Array.isArray(m[2]) ? (m[2] as readonly [number | null, number])[1] : (m[2] as number), offset: Array.isArray(m[2]) ? (m[2] as readonly [number | null, number])[0] : null }));
export const readsOf = (mop: Mop): [number, [number, number][]][] =>
  mop[0] === 'poll' && mop.length === 2 ? Object.entries(mop[1]).map(([k, pairs]) => [Number(k), pairs.map(([o, v]) => [o, v] as [number, number])]) : [];

export function historyOps(events: Iterable<HistoryEvent>): HistoryOps {
  const pending = new Map<number, ClientEvent>();
  const ops: ReplayOp[] = [];
  let maxKey = 0, nemesisEvents = 0;
  const make = (inv: ClientEvent, done: ClientEvent | undefined): ReplayOp => ({
    index: (done ?? inv).index, invokeIndex: inv.index, process: inv.process, type: done ? (done.type as ReplayOp['type']) : 'info',
    f: inv.f as ReplayOp['f'], mops: (Array.isArray(done?.value) ? done!.value : inv.value) as Mop[], committed: false,
    ...((done?.txnId ?? inv.txnId) !== undefined ? { txnId: done?.txnId ?? inv.txnId } : {}),
  });
  for (const e of events) {
    if (e.process === 'nemesis') { nemesisEvents++; continue; }
    if (e.f !== 'send' && e.f !== 'poll' && e.f !== 'txn') {
      if (e.f === 'assign' || e.f === 'subscribe') for (const k of (e.value as number[] | null) ?? []) maxKey = Math.max(maxKey, k);
      continue;
    }
    if (e.type === 'invoke') { pending.set(e.process, e); continue; }
    const inv = pending.get(e.process);
    pending.delete(e.process);
    if (inv) ops.push(make(inv, e));
  }
  for (const inv of pending.values()) ops.push(make(inv, undefined));
  // An info op committed if any op read one of its writes: a read_committed poll returns only
  // committed records whatever its own op's outcome (the reason Jepsen's version orders take polls
  // of every op). A stricter rule would make the model refuse what Kafka legitimately showed.
  /** Every offset each value was read at, first read first: a copier writes a value again after an aborted copy. */
  const readAt = new Map<string, Set<number>>();
  for (const op of ops) {
    for (const s of sendsOf(op)) maxKey = Math.max(maxKey, s.key);
    for (const m of op.mops) for (const [k, pairs] of readsOf(m)) {
      maxKey = Math.max(maxKey, k);
      for (const [o, v] of pairs) {
        const at = readAt.get(kv(k, v));
        if (at) at.add(o); else readAt.set(kv(k, v), new Set([o]));
      }
    }
  }
  // A read proves this op's write only where the offsets agree (or the op never learned its offset).
  const readHere = (s: ReturnType<typeof sendsOf>[number]) => {
    const at = readAt.get(kv(s.key, s.value));
    return at !== undefined && (s.offset === null || at.has(s.offset));
  };
  // A send whose answer was lost has no offset in its op, but a poll that returned it tells where it
  // landed: the replay needs that to append it in the order the cluster did.
  for (const op of ops) {
    op.mops = op.mops.map((m) => {
      if (m[0] !== 'send' || (Array.isArray(m[2]) && m[2][0] !== null)) return m;
      const v = Array.isArray(m[2]) ? (m[2] as readonly [null, number])[1] : (m[2] as number);
      const first = readAt.get(kv(m[1], v))?.values().next();
      return first === undefined ? m : ['send', m[1], [first.value!, v]];
    });
    // Non-transactional sends are not atomic: of an info send op, the sends nobody acknowledged or
    // read are resolved as never having happened (a kill can cut an op after its first send).
    if (op.f === 'send' && op.type === 'info') op.mops = op.mops.filter((m) => Array.isArray(m[2]) && m[2][0] !== null);
  }
  const rank = { ok: 0, info: 1, fail: 2 };
  const writerOf = new Map<string, ReplayOp>();
  for (const op of ops) {
    op.committed = op.type === 'ok' || (op.type === 'info' && sendsOf(op).some(readHere));
    for (const s of sendsOf(op)) {
      const seen = writerOf.get(kv(s.key, s.value));
      if (!seen || rank[op.type] < rank[seen.type]) writerOf.set(kv(s.key, s.value), op);
    }
  }
  return { ops, writerOf, maxKey, nemesisEvents };
}
