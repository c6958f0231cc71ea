// Values are unique per key over the whole program (history-format.md §1), which is what lets the
// checker tell a duplicate from a second write. They are assigned after generation, in worker then
// op order, so that the op arbitraries stay independent and shrinking never breaks uniqueness.
import type { Key, Value } from '../../jepsen-style/history.ts';
import type { ProgramOp, SendMop, Worker } from './program.ts';

/** Replaces every send's placeholder value with the next value of its key (1, 2, 3, ...). */
export function assignValues(workers: Worker[]): Worker[] {
  const next = new Map<Key, Value>();
  const fresh = (mop: SendMop): SendMop => {
    const v = next.get(mop[1]) ?? 1;
    next.set(mop[1], v + 1);
    return ['send', mop[1], v];
  };
  const rewrite = (op: ProgramOp): ProgramOp => {
    if (op.f === 'send') return { f: 'send', value: op.value.map(fresh) };
    if (op.f === 'txn') return { f: 'txn', value: op.value.map((m) => (m[0] === 'send' ? fresh(m) : m)), abort: op.abort };
    return op;
  };
  return workers.map((w) => ({ ...w, ops: w.ops.map(rewrite) }));
}
