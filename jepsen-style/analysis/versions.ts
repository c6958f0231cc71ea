// Version orders inferred from offsets (research/jepsen.md §1.6). Each key's log holds the values
// seen at each offset: sends of ops that must have committed, and polls of every op (ok, info and
// fail), because a read_committed poll must return safe data whether or not its transaction commits.
// Analyses compare *dense* indices (positions among non-empty offsets), so the offsets that
// transaction markers take never look like gaps.
import { growNaN, IntMap } from './int-map.ts';
import { INFO, OK, type OpTable } from './ops.ts';

export interface KeyLog {
  /** Distinct offsets observed, ascending: dense index i is offsets[i]. */
  offsets: Float64Array;
  /** The value at each dense index (the first one observed, when several conflict). */
  values: Float64Array;
  /** offset → dense index for small offsets (-1: not observed); `far` holds the rest. */
  denseOf: Int32Array;
  far: Map<number, number>;
  /** value → lowest offset where it was observed. */
  valueOffset: IntMap;
  /** Values observed at more than one offset → all those offsets, ascending. */
  dupOffsets: Map<number, number[]>;
  /** Offsets observed with more than one value → those values, in observation order. */
  conflicts: Map<number, number[]>;
}

export interface Versions {
  /** Per op: ok, or info with a write some ok op read (Jepsen's must-have-committed?). */
  committed: Uint8Array;
  /** Per key id: value → the write (index into the write columns) most likely to have committed it. */
  writerOf: IntMap[];
  /** Per key id: offset → the write that recorded it (the Kafka ack named that offset). */
  recordedAt: IntMap[];
  /** Per read: the write that recorded the read's offset with its value, else `writerOf`; -1 if no op sent it. */
  readWriter: Int32Array;
  /** Per write: some ok op polled its value on its key. */
  readByOk: Uint8Array;
  logs: KeyLog[];
  /** Dense index of each write (its own offset if in the log, else its value's first if `writerAt` gives it that one), -1 if unknown. */
  wIdx: Int32Array;
  /** Dense index of each read. */
  rIdx: Int32Array;
}

export function indexOfOffset(log: KeyLog, offset: number): number {
  // Stryker disable next-line ConditionalExpression: an offset outside the array reads undefined, which every caller treats as -1 (only compared with >= 0: a write's own offset; reads and first offsets are the log's own)
  if (offset >= 0 && offset < log.denseOf.length && Number.isInteger(offset)) {
    const dense = log.denseOf[offset]!;
    // An offset first seen far beyond the array stays in `far` even once the array grew past it.
    // Stryker disable next-line ConditionalExpression: a short cut: an empty far map answers -1 too
    if (dense >= 0 || log.far.size === 0) return dense;
  }
  return log.far.get(offset) ?? -1;
}

/** Dense index of the lowest offset holding `value`, -1 if never observed. */
export function firstIndexOf(log: KeyLog, value: number): number {
  const o = log.valueOffset.get(value);
  // Stryker disable next-line ConditionalExpression: indexOfOffset(log, undefined) is -1 too
  return o === undefined ? -1 : indexOfOffset(log, o);
}

/** Dense index of the highest offset holding `value`, -1 if never observed. */
export function lastIndexOf(log: KeyLog, value: number): number {
  const dups = log.dupOffsets.get(value);
  return dups ? indexOfOffset(log, dups[dups.length - 1]!) : firstIndexOf(log, value);
}

/**
 * Offsets are dense-ish per partition, so small ones index a typed array (most observations are
 * re-reads of a known record, answered without touching a Map); offsets far beyond what was seen go
 * to a Map, so that one odd offset cannot make the array huge.
 */
class LogBuilder {
  slots = new Float64Array(1024).fill(NaN);
  readonly farValue = new Map<number, number>();
  private count = 0;
  readonly valueOffset = new IntMap();
  readonly dupOffsets = new Map<number, number[]>();
  readonly conflicts = new Map<number, number[]>();

  observe(offset: number, value: number): void {
    let seen: number | undefined;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: which store takes an offset (the array or the far map) makes the same log: finish merges them, and an offset stays in the store that first took it; offsets are non-negative integers (an unknown one, NaN, is never observed)
    const small = offset >= 0 && Number.isInteger(offset) && (offset < this.slots.length || offset < 4 * this.count + (1 << 20));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a short cut: has() on an empty far map is false
    if (small && !(this.farValue.size > 0 && this.farValue.has(offset))) {
      // Stryker disable next-line ConditionalExpression: growing to hold an offset the array already holds copies it to an array of the same length
      if (offset >= this.slots.length) this.slots = growNaN(this.slots, offset);
      seen = this.slots[offset]!;
      if (seen === value) return;
      if (seen !== seen) { this.slots[offset] = value; this.count++; seen = undefined; }
    } else {
      seen = this.farValue.get(offset);
      if (seen === value) return;
      if (seen === undefined) { this.farValue.set(offset, value); this.count++; }
    }
    if (seen !== undefined) {
      const vs = this.conflicts.get(offset);
      if (!vs) this.conflicts.set(offset, [seen, value]);
      else if (!vs.includes(value)) vs.push(value);
    }
    const first = this.valueOffset.get(value);
    if (first === undefined) this.valueOffset.set(value, offset);
    else if (first !== offset) {
      let dups = this.dupOffsets.get(value);
      if (!dups) this.dupOffsets.set(value, (dups = [first]));
      if (!dups.includes(offset)) {
        dups.push(offset);
        dups.sort((x, y) => x - y);
        this.valueOffset.set(value, dups[0]!);
      }
    }
  }

  finish(): KeyLog {
    const far = Float64Array.from(this.farValue.keys()).sort();
    const offsets = new Float64Array(this.count), values = new Float64Array(this.count);
    const denseOf = new Int32Array(this.slots.length).fill(-1), farDense = new Map<number, number>();
    let i = 0, j = 0;
    for (let o = 0; o < this.slots.length; o++) {
      if (this.slots[o] !== this.slots[o]) continue;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: far[far.length] is undefined (undefined < o is false, and the write past the arrays' end is dropped); an offset is never in both stores, so far[j] never equals o
      for (; j < far.length && far[j]! < o; j++, i++) { offsets[i] = far[j]!; values[i] = this.farValue.get(far[j]!)!; farDense.set(far[j]!, i); }
      offsets[i] = o; values[i] = this.slots[o]!; denseOf[o] = i++;
    }
    // Stryker disable next-line EqualityOperator: far[far.length] is undefined: the write past the typed arrays' end is dropped, and farDense's undefined key is never looked up
    for (; j < far.length; j++, i++) { offsets[i] = far[j]!; values[i] = this.farValue.get(far[j]!)!; farDense.set(far[j]!, i); }
    return { offsets, values, denseOf, far: farDense, valueOffset: this.valueOffset, dupOffsets: this.dupOffsets, conflicts: this.conflicts };
  }
}

const RANK = [0, 2, 1]; // by op type code: ok, fail, info

/**
 * The write of the value at `offset` of key `k`: the one that recorded that offset with that value,
 * else the value's `writerOf`; -1 if no op sent it.
 */
export function writerAt(t: OpTable, v: Pick<Versions, 'writerOf' | 'recordedAt'>, k: number, offset: number, value: number): number {
  const w = v.recordedAt[k]!.get(offset);
  // Stryker disable next-line ConditionalExpression: t.wValue[undefined] is undefined, never a value
  if (w !== undefined && t.wValue[w] === value) return w;
  return v.writerOf[k]!.get(value) ?? -1;
}

export function buildVersions(t: OpTable): Versions {
  const nKeys = t.keys.length;
  const nW = t.wKey.length, nR = t.rKey.length;
  // Values are unique per key, except that a copier's attempts send the same copies: an attempt the
  // coordinator aborted and its retry, or an info attempt that lists copies it never sent (no
  // offset) beside the retry that recorded them. A value that an op recorded at an offset belongs to
  // that op there (`recordedAt`): a read at that offset is its read, whatever else sent the same
  // value. Only a read at an offset nobody recorded falls back to `writerOf`, the attempt most likely
  // to have committed it: ok, info, fail, and among equals one that recorded an offset, since a send
  // without an offset is only a possible write (seed 59 of campaign c4160, a false zombie-write: an
  // aborted info attempt that merely intended to send 2294 was taken as its writer, so as committed).
  const rank = (w: number) => 2 * RANK[t.type[t.wOp[w]!]!]! + (t.wOffset[w] === t.wOffset[w] ? 0 : 1);
  const writerOf = Array.from({ length: nKeys }, () => new IntMap());
  const recordedAt = Array.from({ length: nKeys }, () => new IntMap());
  // Per key: values whose likeliest writers are two ops of the same rank (1), so `writerOf` is a guess.
  const tied = Array.from({ length: nKeys }, () => new IntMap());
  for (let w = 0; w < nW; w++) {
    const m = writerOf[t.wKey[w]!]!;
    const seen = m.get(t.wValue[w]!);
    if (seen === undefined || rank(w) < rank(seen)) {
      m.set(t.wValue[w]!, w);
      // Stryker disable next-line ConditionalExpression: deleting a value absent from tied changes nothing
      if (seen !== undefined) tied[t.wKey[w]!]!.delete(t.wValue[w]!);
    } else if (rank(w) === rank(seen) && t.wOp[w] !== t.wOp[seen]) tied[t.wKey[w]!]!.set(t.wValue[w]!, 1);
    const o = t.wOffset[w]!;
    // Stryker disable next-line ConditionalExpression: a NaN offset recorded is never looked up: reads and the log's offsets are never NaN
    if (o !== o) continue;
    const at = recordedAt[t.wKey[w]!]!, before = at.get(o);
    if (before === undefined || rank(w) < rank(before)) at.set(o, w);
  }
  // Promote info ops whose writes were read by an ok op: by atomicity they committed. A read that
  // only a tie of `writerOf` attributes (no op recorded its offset, two ops as likely sent its value)
  // promotes neither: a guess is no evidence of a commit.
  const committed = new Uint8Array(t.n);
  // Stryker disable next-line EqualityOperator: committed[n] is past the typed array's end, so the write is dropped
  for (let i = 0; i < t.n; i++) if (t.type[i] === OK) committed[i] = 1;
  const readByOk = new Uint8Array(nW);
  const readWriter = new Int32Array(nR);
  const attribution = { writerOf, recordedAt };
  for (let r = 0; r < nR; r++) {
    const w = writerAt(t, attribution, t.rKey[r]!, t.rOffset[r]!, t.rValue[r]!);
    readWriter[r] = w;
    // Stryker disable next-line ConditionalExpression: w is -1 only for a value nobody sent: t.wOp[-1] is undefined, and readByOk[-1] = 1 writes nothing
    if (w < 0 || t.type[t.rOp[r]!] !== OK) continue;
    readByOk[w] = 1;
    if (t.type[t.wOp[w]!] !== INFO) continue;
    if (t.wOffset[w] !== t.rOffset[r] && tied[t.rKey[r]!]!.get(t.rValue[r]!) !== undefined) continue;
    committed[t.wOp[w]!] = 1;
  }
  const builders = Array.from({ length: nKeys }, () => new LogBuilder());
  // Stryker disable next-line EqualityOperator: t.wOp[nW] is undefined, and committed[undefined] is undefined, so the extra write is never observed
  for (let w = 0; w < nW; w++) {
    const o = t.wOffset[w]!;
    if (o === o && committed[t.wOp[w]!]) builders[t.wKey[w]!]!.observe(o, t.wValue[w]!);
  }
  for (let r = 0; r < nR; r++) builders[t.rKey[r]!]!.observe(t.rOffset[r]!, t.rValue[r]!);
  const logs = builders.map((b) => b.finish());
  const rIdx = new Int32Array(nR);
  for (let r = 0; r < nR; r++) rIdx[r] = indexOfOffset(logs[t.rKey[r]!]!, t.rOffset[r]!);
  // A write sits at its own offset; failing that (no offset, or one the log does not hold: aborted,
  // never read) at its value's first offset, but only if that position is its own by `writerAt`:
  // another op's copy of the same value says nothing about where this op's went.
  const wIdx = new Int32Array(nW);
  for (let w = 0; w < nW; w++) {
    const k = t.wKey[w]!, log = logs[k]!, value = t.wValue[w]!;
    const o = t.wOffset[w]!;
    // Stryker disable next-line ConditionalExpression: indexOfOffset(log, NaN) is -1
    const own = o === o ? indexOfOffset(log, o) : -1;
    if (own >= 0 && log.values[own] === value) { wIdx[w] = own; continue; }
    const first = firstIndexOf(log, value);
    // Stryker disable next-line ConditionalExpression: with first -1, log.offsets[-1] is undefined and no writer is found there, so the index is -1 either way
    wIdx[w] = first >= 0 && writerAt(t, attribution, k, log.offsets[first]!, value) === w ? first : -1;
  }
  return { committed, writerOf, recordedAt, readWriter, readByOk, logs, wIdx, rIdx };
}
