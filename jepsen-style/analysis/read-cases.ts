// Anomalies about which writes reads may and must see: aborted reads (G1a), reading one's own
// uncommitted write (precommitted-read), committed writes that readers passed over (lost-write), and
// acknowledged writes nobody ever read (unseen). kafka.clj:1001-1143, 1482-1533.
import { list, type Anomaly } from '../anomaly.ts';
import { FAIL, OK, type OpTable } from './ops.ts';
import { firstIndexOf, lastIndexOf, type Versions } from './versions.ts';

/** `G1a`: an ok poll read a value whose writer definitely failed. */
export function g1aCases(t: OpTable, v: Versions): Anomaly[] {
  const out: Anomaly[] = [];
  // Stryker disable next-line EqualityOperator: one past the end reads undefined from the typed arrays, and the extra index is skipped
  for (let r = 0; r < t.rKey.length; r++) {
    const reader = t.rOp[r]!;
    if (t.type[reader] !== OK) continue;
    const w = v.readWriter[r]!;
    // Stryker disable next-line ConditionalExpression: w is -1 only for a value nobody sent: t.wOp[-1] is undefined, never FAIL
    if (w < 0 || t.type[t.wOp[w]!] !== FAIL) continue;
    const key = t.keys[t.rKey[r]!]!, value = t.rValue[r]!, writer = t.index[t.wOp[w]!]!;
    out.push({
      type: 'G1a', allowed: false, key, values: [value], offsets: [t.rOffset[r]!], ops: [writer, t.index[reader]!],
      explanation: `op ${t.index[reader]} read value ${value} of key ${key} at offset ${t.rOffset[r]}, but op ${writer}, which sent it, failed (aborted read)`,
    });
  }
  return out;
}

/**
 * `garbage-read`: a poll returned a value that no op of the history ever sent to that key. Jepsen's
 * checker refuses such a history (it throws no-writer-of-value while building the graph); here it is
 * an anomaly, one per key and value, so that the rest of the history is still checked.
 */
export function garbageReadCases(t: OpTable, v: Versions): Anomaly[] {
  const found = new Map<string, Anomaly>();
  for (let r = 0; r < t.rKey.length; r++) {
    if (v.readWriter[r]! >= 0) continue;
    const key = t.keys[t.rKey[r]!]!, value = t.rValue[r]!, op = t.index[t.rOp[r]!]!, id = `${key}:${value}`;
    const seen = found.get(id);
    if (seen) {
      if (seen.ops[seen.ops.length - 1] !== op && seen.ops.length < 32) seen.ops.push(op);
      if (!seen.offsets!.includes(t.rOffset[r]!)) seen.offsets!.push(t.rOffset[r]!);
      continue;
    }
    found.set(id, {
      type: 'garbage-read', allowed: false, key, values: [value], offsets: [t.rOffset[r]!], ops: [op],
      explanation: `op ${op} polled value ${value} of key ${key} at offset ${t.rOffset[r]}, but no op in the history ever sent value ${value} to key ${key}`,
    });
  }
  return [...found.values()].sort((a, b) => a.key! - b.key! || a.values![0]! - b.values![0]!);
}

/** `precommitted-read`: an op polled a value it sent itself, before its transaction committed. */
export function precommittedReadCases(t: OpTable): Anomaly[] {
  const out: Anomaly[] = [];
  // Stryker disable next-line EqualityOperator: t.wStart[n + 1] is undefined, so the extra op has neither writes nor reads
  for (let op = 0; op < t.n; op++) {
    const w0 = t.wStart[op]!, w1 = t.wStart[op + 1]!, r0 = t.rStart[op]!, r1 = t.rStart[op + 1]!;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a short cut: an op without writes or reads finds nothing below
    if (w0 === w1 || r0 === r1) continue;
    // An op sends a few values: comparing each read with them beats building a set per op.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: the Set and the scan of the op's sends answer the same question (did this op send this key and value)
    const sent = w1 - w0 > 16 ? new Set(Array.from({ length: w1 - w0 }, (_, i) => `${t.wKey[w0 + i]}:${t.wValue[w0 + i]}`)) : undefined;
    for (let r = r0; r < r1; r++) {
      if (sent ? !sent.has(`${t.rKey[r]}:${t.rValue[r]}`) : !sentBy(t, w0, w1, t.rKey[r]!, t.rValue[r]!)) continue;
      const key = t.keys[t.rKey[r]!]!, value = t.rValue[r]!;
      out.push({
        type: 'precommitted-read', allowed: false, key, values: [value], offsets: [t.rOffset[r]!], ops: [t.index[op]!],
        explanation: `op ${t.index[op]} polled value ${value} of key ${key}, which it sent itself in the same transaction, before that transaction committed`,
      });
    }
  }
  return out;
}

function sentBy(t: OpTable, w0: number, w1: number, key: number, value: number): boolean {
  for (let w = w0; w < w1; w++) if (t.wKey[w] === key && t.wValue[w] === value) return true;
  return false;
}

/**
 * `lost-write`: a write that must have committed sits at or below the highest position some ok
 * read reached, yet no ok op ever read it. Uses first/last appearances of each value so that
 * inconsistent offsets cannot hide a loss (kafka_test.clj "inconsistent").
 */
export function lostWriteCases(t: OpTable, v: Versions): Anomaly[] {
  const nKeys = t.keys.length;
  const bound = new Int32Array(nKeys).fill(-1);
  // Stryker disable next-line UnaryOperator: boundOp[k] is read only where bound[k] >= 0, which set it first
  const boundOp = new Int32Array(nKeys).fill(-1);
  // Stryker disable next-line EqualityOperator: one past the end reads undefined from the typed arrays, and the extra index is skipped
  for (let r = 0; r < t.rKey.length; r++) {
    if (t.type[t.rOp[r]!] !== OK) continue;
    const k = t.rKey[r]!, log = v.logs[k]!;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: for a value seen at one offset only, firstIndexOf is the read's own dense index
    const first = log.dupOffsets.size > 0 && log.dupOffsets.has(t.rValue[r]!) ? firstIndexOf(log, t.rValue[r]!) : v.rIdx[r]!;
    if (first > bound[k]!) { bound[k] = first; boundOp[k] = t.rOp[r]!; }
  }
  const out: Anomaly[] = [];
  // Stryker disable next-line EqualityOperator: one past the end reads undefined from the typed arrays, and the extra index is skipped
  for (let w = 0; w < t.wKey.length; w++) {
    const k = t.wKey[w]!, value = t.wValue[w]!;
    // Stryker disable next-line ConditionalExpression: a committed write's last index is >= 0, above a bound of -1, so last > bound skips it anyway
    if (bound[k]! < 0 || v.readByOk[w] || !v.committed[t.wOp[w]!] || v.writerOf[k]!.get(value) !== w) continue;
    const log = v.logs[k]!;
    const last = lastIndexOf(log, value);
    if (last < 0 || last > bound[k]!) continue;
    const key = t.keys[k]!, writer = t.index[t.wOp[w]!]!, maxRead = t.index[boundOp[k]!]!;
    const offset = log.valueOffset.get(value)!;
    out.push({
      type: 'lost-write', allowed: false, key, values: [value], offsets: [offset], ops: [writer, maxRead],
      delta: bound[k]! - firstIndexOf(log, value),
      explanation: `value ${value} of key ${key} (offset ${offset}), sent by op ${writer} which must have committed, was never read, though op ${maxRead} read past it (to offset ${log.offsets[bound[k]!]})`,
    });
  }
  return out;
}

/** `unseen`: acknowledged sends that no ok op had polled by the end of the history. */
export function unseenCases(t: OpTable, v: Versions): Anomaly[] {
  const perKey = new Map<number, { values: number[]; ops: number[] }>();
  // Stryker disable next-line EqualityOperator: one past the end reads undefined from the typed arrays, and the extra index is skipped
  for (let w = 0; w < t.wKey.length; w++) {
    const op = t.wOp[w]!;
    if (t.type[op] !== OK) continue;
    const first = v.writerOf[t.wKey[w]!]!.get(t.wValue[w]!)!;
    if (v.readByOk[first]) continue;
    let e = perKey.get(t.wKey[w]!);
    if (!e) perKey.set(t.wKey[w]!, (e = { values: [], ops: [] }));
    e.values.push(t.wValue[w]!);
    if (e.ops[e.ops.length - 1] !== t.index[op]) e.ops.push(t.index[op]!);
  }
  return [...perKey].sort((a, b) => t.keys[a[0]]! - t.keys[b[0]]!).map(([k, e]) => {
    const key = t.keys[k]!;
    return {
      type: 'unseen' as const, allowed: false, key, count: e.values.length, values: e.values.slice(0, 32), ops: e.ops.slice(0, 32),
      explanation: `${e.values.length} acknowledged send(s) to key ${key} were never polled by an ok op by the end of the history: values ${list(e.values)} (ops ${list(e.ops)})`,
    };
  });
}
