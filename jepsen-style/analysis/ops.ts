// The op table: every send/poll/txn op of a history as columns of numbers, built while the history
// streams. An op's mops are taken from its completion when it has them (the completion is what
// really happened: a copier's sends depend on what it polled), from its invoke otherwise.
import { F_NAMES, POLL, POLL_MAP, SEND_PAIR, SEND_PLAIN, TYPE_NAMES, V_KEYS, V_MOPS, V_EMPTY, type FastEventScanner } from '../fast-scan.ts';
import type { HistoryEvent } from '../history.ts';
import { F64Vec, I32Vec } from './vec.ts';

export const OK = 0, FAIL = 1, INFO = 2;
export const F_SEND = 0, F_POLL = 1, F_TXN = 2;
const TYPE_CODE: Record<string, number> = { ok: OK, fail: FAIL, info: INFO };
const F_CODE: Record<string, number> = { send: F_SEND, poll: F_POLL, txn: F_TXN };

/** An assign or subscribe that may have taken effect (ok or info): it resets per-key process state. */
export interface Assignment { process: number; index: number; keys: number[]; subscribe: boolean }

export interface HistoryStats { ops: number; ok: number; fail: number; info: number }

/** Op ids are dense, in completion order; unfinished invokes come last, as `info`. */
export interface OpTable {
  n: number;
  /** History index that names the op in reports: its completion, or its invoke if it never completed. */
  index: Int32Array;
  invokeIndex: Int32Array;
  process: Int32Array;
  type: Int32Array;
  f: Int32Array;
  invokeTime: Float64Array;
  /** Infinity for ops that never completed. */
  completeTime: Float64Array;
  /** Writes of op i are wStart[i] .. wStart[i+1]-1, in send order; likewise reads. */
  wStart: Int32Array;
  rStart: Int32Array;
  /** Dense key id per write/read; `keys[id]` is the history's key. */
  wKey: Int32Array; wOffset: Float64Array; wValue: Float64Array; wOp: Int32Array;
  rKey: Int32Array; rOffset: Float64Array; rValue: Float64Array; rOp: Int32Array;
  keys: number[];
  keyId: Map<number, number>;
  txnId: Map<number, string>;
  assignments: Assignment[];
  /** Number of history events (for realtime order). */
  events: number;
  stats: HistoryStats;
}

/** An invoke awaiting completion; its mops are JS values (JSON.parse) or scanned numbers. */
interface Pending { index: number; time: number; f: string; value: unknown; txnId: string | undefined }
type Mops = unknown[] | Float64Array;
const EMPTY = new Float64Array(0);

/** Stream sink: feed events with `add`, then call `finish`. */
export class OpTableBuilder {
  private readonly pending = new Map<number, Pending>();
  private readonly index = new I32Vec(); private readonly invokeIndex = new I32Vec();
  private readonly process = new I32Vec(); private readonly type = new I32Vec(); private readonly f = new I32Vec();
  private readonly invokeTime = new F64Vec(); private readonly completeTime = new F64Vec();
  private readonly wStart = new I32Vec(); private readonly rStart = new I32Vec();
  private readonly wKey = new I32Vec(); private readonly wOffset = new F64Vec();
  private readonly wValue = new F64Vec(); private readonly wOp = new I32Vec();
  private readonly rKey = new I32Vec(); private readonly rOffset = new F64Vec();
  private readonly rValue = new F64Vec(); private readonly rOp = new I32Vec();
  private readonly keys: number[] = [];
  private readonly keyId = new Map<number, number>();
  private readonly txnId = new Map<number, string>();
  private readonly assignments: Assignment[] = [];
  private readonly stats: HistoryStats = { ops: 0, ok: 0, fail: 0, info: 0 };
  private events = 0;

  add(e: HistoryEvent): void {
    this.events++;
    if (e.process === 'nemesis') return;
    if (e.type === 'invoke') {
      this.pending.set(e.process, { index: e.index, time: e.time, f: e.f, value: e.value, txnId: e.txnId });
      return;
    }
    const p = this.pending.get(e.process);
    this.pending.delete(e.process);
    this.stats.ops++;
    this.stats[e.type]++;
    if (!p) return; // the rules make this impossible; a hand-built event list may still try
    if (e.f === 'assign' || e.f === 'subscribe') {
      if (e.type !== 'fail') {
        const keys = (Array.isArray(e.value) ? e.value : p.value) as number[];
        this.assignments.push({ process: e.process, index: e.index, keys, subscribe: e.f === 'subscribe' });
      }
      return;
    }
    const f = F_CODE[e.f];
    if (f === undefined) return;
    const value = Array.isArray(e.value) ? e.value : p.value;
    this.pushOp(e.index, p, e.process, TYPE_CODE[e.type]!, f, e.time, value as Mops, e.txnId ?? p.txnId);
  }

  /** The same as `add`, for an event the fast scanner read (its mops are still in the scratch array). */
  addScanned(s: FastEventScanner): void {
    this.events++;
    const type = TYPE_NAMES[s.type]!, fName = F_NAMES[s.f]!;
    const hasValue = s.valueKind === V_MOPS || s.valueKind === V_EMPTY || s.valueKind === V_KEYS;
    if (type === 'invoke') {
      // Kept only as the fallback for a completion without mops; ["poll"]s carry nothing to keep.
      let i = 0;
      while (s.valueKind === V_MOPS && i < s.length && s.scratch[i] === POLL) i++;
      const keep = s.valueKind === V_KEYS || (s.valueKind === V_MOPS && i < s.length);
      this.pending.set(s.process, { index: s.index, time: s.time, f: fName, value: keep ? s.scratch.slice(0, s.length) : EMPTY, txnId: s.txnId });
      return;
    }
    const mops = hasValue ? s.scratch.subarray(0, s.length) : null;
    const p = this.pending.get(s.process);
    this.pending.delete(s.process);
    this.stats.ops++;
    this.stats[type]++;
    if (!p) return;
    if (fName === 'assign' || fName === 'subscribe') {
      if (type !== 'fail') this.assignments.push({ process: s.process, index: s.index, keys: Array.from(mops ?? []), subscribe: fName === 'subscribe' });
      return;
    }
    const f = F_CODE[fName];
    if (f === undefined) return;
    this.pushOp(s.index, p, s.process, TYPE_CODE[type]!, f, s.time, (mops ?? p.value) as Mops, s.txnId ?? p.txnId);
  }

  finish(): OpTable {
    // The contract treats an invoke left without completion as info (history-format.md §1).
    for (const [process, p] of this.pending) {
      const f = F_CODE[p.f];
      if (f !== undefined) this.pushOp(p.index, p, process, INFO, f, Infinity, p.value as Mops, p.txnId);
    }
    this.pending.clear();
    this.wStart.push(this.wKey.length);
    this.rStart.push(this.rKey.length);
    return {
      n: this.index.length,
      index: this.index.view(), invokeIndex: this.invokeIndex.view(), process: this.process.view(),
      type: this.type.view(), f: this.f.view(), invokeTime: this.invokeTime.view(),
      completeTime: this.completeTime.view(), wStart: this.wStart.view(), rStart: this.rStart.view(),
      wKey: this.wKey.view(), wOffset: this.wOffset.view(), wValue: this.wValue.view(), wOp: this.wOp.view(),
      rKey: this.rKey.view(), rOffset: this.rOffset.view(), rValue: this.rValue.view(), rOp: this.rOp.view(),
      keys: this.keys, keyId: this.keyId, txnId: this.txnId, assignments: this.assignments,
      events: this.events, stats: this.stats,
    };
  }

  private key(k: number): number {
    let id = this.keyId.get(k);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(k);
      this.keyId.set(k, id);
    }
    return id;
  }

  private pushOp(index: number, p: Pending, process: number, type: number, f: number, completeTime: number,
    mops: Mops, txnId: string | undefined): void {
    const op = this.index.length;
    this.index.push(index); this.invokeIndex.push(p.index); this.process.push(process);
    this.type.push(type); this.f.push(f); this.invokeTime.push(p.time); this.completeTime.push(completeTime);
    this.wStart.push(this.wKey.length); this.rStart.push(this.rKey.length);
    if (txnId !== undefined) this.txnId.set(op, txnId);
    if (mops instanceof Float64Array) this.scannedMops(op, mops);
    else this.parsedMops(op, mops);
  }

  private write(op: number, k: number, offset: number, value: number): void {
    this.wKey.push(this.key(k)); this.wOp.push(op); this.wOffset.push(offset); this.wValue.push(value);
  }

  private read(op: number, id: number, offset: number, value: number): void {
    this.rKey.push(id); this.rOffset.push(offset); this.rValue.push(value); this.rOp.push(op);
  }

  private parsedMops(op: number, mops: unknown[]): void {
    for (const mop of mops) {
      const m = mop as unknown[];
      if (m[0] === 'send') {
        const v = m[2];
        if (Array.isArray(v)) this.write(op, m[1] as number, v[0] === null ? NaN : v[0], v[1]);
        else this.write(op, m[1] as number, NaN, v as number);
      } else if (m.length === 2) {
        const polled = m[1] as Record<string, [number, number][]>;
        for (const k in polled) {
          const id = this.key(Number(k));
          for (const [offset, value] of polled[k]!) this.read(op, id, offset, value);
        }
      }
    }
  }

  /** Walks the fast scanner's encoding (fast-scan.ts): kind codes followed by their numbers. */
  private scannedMops(op: number, s: Float64Array): void {
    for (let i = 0; i < s.length;) {
      const kind = s[i]!;
      if (kind === SEND_PLAIN) { this.write(op, s[i + 1]!, NaN, s[i + 2]!); i += 3; }
      else if (kind === SEND_PAIR) { this.write(op, s[i + 1]!, s[i + 2]!, s[i + 3]!); i += 4; }
      else if (kind === POLL_MAP) {
        const keys = s[i + 1]!;
        i += 2;
        for (let k = 0; k < keys; k++) {
          const id = this.key(s[i]!), n = s[i + 1]!;
          i += 2;
          for (let j = 0; j < n; j++, i += 2) this.read(op, id, s[i]!, s[i + 1]!);
        }
      } else i++;
    }
  }
}

/** Builds the op table of an in-memory event list (tests, the `run` command). */
export function buildOpTable(events: Iterable<HistoryEvent>): OpTable {
  const b = new OpTableBuilder();
  for (const e of events) b.add(e);
  return b.finish();
}
