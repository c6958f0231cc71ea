// Version orders inferred from offsets (research/jepsen.md §1.6). Each key's log holds the values
// seen at each offset: sends of ops that must have committed, and polls of every op (ok, info and
// fail), because a read_committed poll must return safe data whether or not its transaction commits.
// Analyses compare *dense* indices (positions among non-empty offsets), so the offsets that
// transaction markers take never look like gaps.
import { INFO, OK, type OpTable } from './ops.ts';

export interface KeyLog {
  /** Distinct offsets observed, ascending: dense index i is offsets[i]. */
  offsets: Float64Array;
  /** The value at each dense index (the first one observed, when several conflict). */
  values: Float64Array;
  /** value → lowest offset where it was observed. */
  valueOffset: Map<number, number>;
  /** Values observed at more than one offset → all those offsets, ascending. */
  dupOffsets: Map<number, number[]>;
  /** Offsets observed with more than one value → those values, in observation order. */
  conflicts: Map<number, number[]>;
}

export interface Versions {
  /** Per op: ok, or info with a write some ok op read (Jepsen's must-have-committed?). */
  committed: Uint8Array;
  /** Per key id: value → the first write (index into the write columns) that sent it. */
  writerOf: Map<number, number>[];
  /** Per write: some ok op polled its value on its key. */
  readByOk: Uint8Array;
  logs: KeyLog[];
  /** Dense index of each write (own offset if in the log, else its value's first), -1 if unknown. */
  wIdx: Int32Array;
  /** Dense index of each read. */
  rIdx: Int32Array;
}

export function indexOfOffset(log: KeyLog, offset: number): number {
  const a = log.offsets;
  let lo = 0, hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid]!;
    if (x === offset) return mid;
    if (x < offset) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** Dense index of the lowest offset holding `value`, -1 if never observed. */
export function firstIndexOf(log: KeyLog, value: number): number {
  const o = log.valueOffset.get(value);
  return o === undefined ? -1 : indexOfOffset(log, o);
}

/** Dense index of the highest offset holding `value`, -1 if never observed. */
export function lastIndexOf(log: KeyLog, value: number): number {
  const dups = log.dupOffsets.get(value);
  return dups ? indexOfOffset(log, dups[dups.length - 1]!) : firstIndexOf(log, value);
}

interface LogBuilder { offsetValue: Map<number, number>; log: KeyLog }

function observe(b: LogBuilder, offset: number, value: number): void {
  const seen = b.offsetValue.get(offset);
  if (seen === undefined) b.offsetValue.set(offset, value);
  else if (seen !== value) {
    const vs = b.log.conflicts.get(offset);
    if (!vs) b.log.conflicts.set(offset, [seen, value]);
    else if (!vs.includes(value)) vs.push(value);
  }
  const first = b.log.valueOffset.get(value);
  if (first === undefined) b.log.valueOffset.set(value, offset);
  else if (first !== offset) {
    let dups = b.log.dupOffsets.get(value);
    if (!dups) b.log.dupOffsets.set(value, (dups = [first]));
    if (!dups.includes(offset)) {
      dups.push(offset);
      dups.sort((x, y) => x - y);
      b.log.valueOffset.set(value, dups[0]!);
    }
  }
}

const RANK = [0, 2, 1]; // by op type code: ok, fail, info

export function buildVersions(t: OpTable): Versions {
  const nKeys = t.keys.length;
  const nW = t.wKey.length, nR = t.rKey.length;
  // Values are unique per key, except that a copier's aborted attempt and its retry send the same
  // copy: the writer of a value is then the attempt most likely to have committed (ok, info, fail).
  const rank = (w: number) => RANK[t.type[t.wOp[w]!]!]!;
  const writerOf: Map<number, number>[] = Array.from({ length: nKeys }, () => new Map());
  for (let w = 0; w < nW; w++) {
    const m = writerOf[t.wKey[w]!]!;
    const seen = m.get(t.wValue[w]!);
    if (seen === undefined || rank(w) < rank(seen)) m.set(t.wValue[w]!, w);
  }
  // Promote info ops whose writes were read by an ok op: by atomicity they committed.
  const committed = new Uint8Array(t.n);
  for (let i = 0; i < t.n; i++) if (t.type[i] === OK) committed[i] = 1;
  const readByOk = new Uint8Array(nW);
  for (let r = 0; r < nR; r++) {
    if (t.type[t.rOp[r]!] !== OK) continue;
    const w = writerOf[t.rKey[r]!]!.get(t.rValue[r]!);
    if (w === undefined) continue;
    readByOk[w] = 1;
    if (t.type[t.wOp[w]!] === INFO) committed[t.wOp[w]!] = 1;
  }
  const builders: LogBuilder[] = Array.from({ length: nKeys }, () => ({
    offsetValue: new Map(),
    log: { offsets: new Float64Array(0), values: new Float64Array(0), valueOffset: new Map(), dupOffsets: new Map(), conflicts: new Map() },
  }));
  for (let w = 0; w < nW; w++) {
    const o = t.wOffset[w]!;
    if (o === o && committed[t.wOp[w]!]) observe(builders[t.wKey[w]!]!, o, t.wValue[w]!);
  }
  for (let r = 0; r < nR; r++) observe(builders[t.rKey[r]!]!, t.rOffset[r]!, t.rValue[r]!);
  const logs = builders.map(({ offsetValue, log }) => {
    const offsets = Float64Array.from(offsetValue.keys()).sort();
    const values = new Float64Array(offsets.length);
    for (let i = 0; i < offsets.length; i++) values[i] = offsetValue.get(offsets[i]!)!;
    return { ...log, offsets, values };
  });
  const rIdx = new Int32Array(nR);
  for (let r = 0; r < nR; r++) rIdx[r] = indexOfOffset(logs[t.rKey[r]!]!, t.rOffset[r]!);
  const wIdx = new Int32Array(nW);
  for (let w = 0; w < nW; w++) {
    const log = logs[t.wKey[w]!]!;
    const o = t.wOffset[w]!;
    const own = o === o ? indexOfOffset(log, o) : -1;
    wIdx[w] = own >= 0 && log.values[own] === t.wValue[w] ? own : firstIndexOf(log, t.wValue[w]!);
  }
  return { committed, writerOf, readByOk, logs, wIdx, rIdx };
}
