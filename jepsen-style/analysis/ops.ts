// The op table: every send/poll/txn op of a history as columns of numbers, built while the history
// streams. An op's mops are taken from its completion when it has them (the completion is what
// really happened: a copier's sends depend on what it polled), from its invoke otherwise.
import { POLL_MAP, SEND_PAIR, SEND_PLAIN, V_KEYS, V_MOPS, V_EMPTY, type FastEventScanner } from '../fast-scan.ts';
import type { HistoryEvent } from '../history.ts';
import { MopColumns, OpColumns } from './columns.ts';
import { IntMap } from './int-map.ts';

export const OK = 0, FAIL = 1, INFO = 2;
/** A send offset of -1 is the Java client's "no offset" (RecordMetadata.UNKNOWN_OFFSET): unknown, as null. */
export const NO_OFFSET = -1;
export const F_SEND = 0, F_POLL = 1, F_TXN = 2;
const TYPE_CODE: Record<string, number> = { ok: OK, fail: FAIL, info: INFO };
const F_CODE: Record<string, number> = { send: F_SEND, poll: F_POLL, txn: F_TXN };
/** The scanner's f numbers (fast-scan.ts F_NAMES) → F_CODE, -1 for assign, subscribe and crash. */
const SCANNED_F = [F_SEND, F_POLL, F_TXN, -1, -1, -1];
const SCANNED_ASSIGN = 3, SCANNED_SUBSCRIBE = 4;

/** An assign or subscribe that may have taken effect (ok or info): it resets per-key process state. */
/** `index`: the assign's completion; `invokeIndex`: its invoke (a process's first op starts its life). */
export interface Assignment { process: number; index: number; invokeIndex: number; keys: number[]; subscribe: boolean }

export interface HistoryStats { ops: number; ok: number; fail: number; info: number }

/** Op ids are dense, in completion order; unfinished invokes come last, as `info`. */
export interface OpTable {
  n: number;
  /** History index that names the op in reports: its completion, or its invoke if it never completed. */
  index: Int32Array;
  invokeIndex: Int32Array;
  process: Float64Array;
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

/**
 * Invokes awaiting completion, one reusable slot each (a history has few live processes), so that
 * a million invokes allocate nothing. An invoke's mops are scanned numbers (`mops`, `length`) or,
 * from JSON.parse, a JS value (`parsed`, with `length` -1).
 */
class PendingInvokes {
  /** process → slot. */
  private readonly slotOf = new IntMap();
  private readonly free: number[] = [];
  private opened = 0;
  // Equivalent mutants (docs/testing.md): a column starting with a junk element still gets each slot
  // written by `open` before it is read (only `index`, whose length numbers new slots, and `mops`,
  // read before written, would notice).
  // Stryker disable next-line ArrayDeclaration: written at the slot before any read
  index: number[] = []; time: number[] = []; f: string[] = []; txnId: (string | undefined)[] = [];
  // Stryker disable next-line ArrayDeclaration: written at the slot before any read
  parsed: unknown[] = []; mops: Float64Array[] = []; length: number[] = [];
  /** When the slot's process became pending (a count of opened slots). */
  // Stryker disable next-line ArrayDeclaration: written at the slot before any read
  private since: number[] = [];

  open(process: number, index: number, time: number, f: string, txnId: string | undefined): number {
    let slot = this.slotOf.get(process);
    // Stryker disable next-line ConditionalExpression: a process opens only when not pending (the rules refuse an invoke while one is), so it never has a slot here
    if (slot === undefined) {
      slot = this.free.pop() ?? this.index.length;
      // Stryker disable next-line ConditionalExpression: appending to the columns for a reused slot only lengthens them
      if (slot === this.index.length) {
        // Only `mops` is read before `open` writes it; the others are written at the slot below.
        // Stryker disable next-line CallExpression,StringLiteral: each column is written at the slot below before it is read
        this.index.push(0); this.time.push(0); this.f.push(''); this.txnId.push(undefined);
        // Stryker disable next-line CallExpression: each column but mops is written at the slot below before it is read
        this.parsed.push(null); this.mops.push(new Float64Array(64)); this.length.push(0); this.since.push(0);
      }
      this.slotOf.set(process, slot);
      this.since[slot] = this.opened++;
    }
    this.index[slot] = index; this.time[slot] = time; this.f[slot] = f; this.txnId[slot] = txnId;
    this.parsed[slot] = null; this.length[slot] = 0;
    return slot;
  }

  keepScanned(slot: number, s: Float64Array, base: number, length: number): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: growing more often only allocates more
    if (this.mops[slot]!.length < length) this.mops[slot] = new Float64Array(2 * length);
    const kept = this.mops[slot]!;
    // A subarray to `set` from would be an allocation per invoke.
    // Stryker disable next-line EqualityOperator: a number copied past `length` is never read
    for (let i = 0; i < length; i++) kept[i] = s[base + i]!;
    this.length[slot] = length;
  }

  close(process: number): number | undefined {
    const slot = this.slotOf.get(process);
    // Stryker disable next-line ConditionalExpression,CallExpression: only a pending process completes (the rules), and a slot never freed costs memory only
    if (slot !== undefined) { this.slotOf.delete(process); this.free.push(slot); }
    return slot;
  }

  /** Pending processes and their slots, in the order they became pending; empties the table. */
  drain(): [process: number, slot: number][] {
    const out = this.slotOf.keys().map((p): [number, number] => [p, this.slotOf.get(p)!]);
    // Stryker disable next-line CallExpression: `finish` drains once, as the builder's last step
    for (const [p] of out) this.slotOf.delete(p);
    return out.sort((a, b) => this.since[a[1]]! - this.since[b[1]]!);
  }
}

/** Stream sink: feed events with `add` (or `addScanned`), then call `finish`. */
export class OpTableBuilder {
  private readonly pending = new PendingInvokes();
  private readonly ops = new OpColumns();
  private readonly w = new MopColumns();
  private readonly r = new MopColumns();
  private readonly keys: number[] = [];
  private readonly keyId = new Map<number, number>();
  /** key → id + 1 for small keys (0: not seen), the Map otherwise. */
  private readonly smallKeyId = new Int32Array(4096);
  private readonly txnId = new Map<number, string>();
  private readonly assignments: Assignment[] = [];
  private nOps = 0; private nOk = 0; private nFail = 0; private nInfo = 0;
  private events = 0;

  add(e: HistoryEvent): void {
    this.events++;
    if (e.process === 'nemesis') return;
    if (e.type === 'invoke') {
      const slot = this.pending.open(e.process, e.index, e.time, e.f, e.txnId);
      this.pending.parsed[slot] = e.value;
      this.pending.length[slot] = -1;
      return;
    }
    this.count(TYPE_CODE[e.type]!);
    const slot = this.pending.close(e.process);
    // The rules make this impossible; a hand-built event list may still try.
    // Stryker disable next-line ConditionalExpression: unreachable for a history the rules accepted
    if (slot === undefined) return;
    if (e.f === 'assign' || e.f === 'subscribe') {
      if (e.type !== 'fail') {
        const keys = (Array.isArray(e.value) ? e.value : this.pending.parsed[slot]) as number[];
        this.assignments.push({ process: e.process, index: e.index, invokeIndex: this.pending.index[slot]!, keys, subscribe: e.f === 'subscribe' });
      }
      return;
    }
    const f = F_CODE[e.f];
    if (f === undefined) return;
    const op = this.pushOp(e.index, slot, e.process, TYPE_CODE[e.type]!, f, e.time, e.txnId ?? this.pending.txnId[slot]);
    if (Array.isArray(e.value)) this.parsedMops(op, e.value);
    else this.invokeMops(op, slot);
  }

  /** The same as `add`, for an event the fast scanner read (its mops are in its scratch array from `base`). */
  addScanned(s: FastEventScanner): void {
    this.events++;
    const kind = s.valueKind, length = s.length, scratch = s.scratch, base = s.base;
    if (s.type === 0) {
      const slot = this.pending.open(s.process, s.index, s.time, FAST_F_NAMES[s.f]!, s.txnId);
      // The fallback for a completion without mops. Kept whatever the kind: an assign's keys or a
      // poll's ["poll"]s are a few numbers, never read (the rules make an assign's completion carry
      // its keys; a ["poll"] reads nothing), and null or [] leaves `length` 0.
      this.pending.keepScanned(slot, scratch, base, length);
      return;
    }
    const type = s.type - 1;
    this.count(type);
    const slot = this.pending.close(s.process);
    // Stryker disable next-line ConditionalExpression: unreachable: the scanner's events passed the rules
    if (slot === undefined) return;
    const hasValue = kind === V_MOPS || kind === V_EMPTY || kind === V_KEYS;
    if (s.f === SCANNED_ASSIGN || s.f === SCANNED_SUBSCRIBE) {
      if (type !== FAIL) this.assignments.push({ process: s.process, index: s.index, invokeIndex: this.pending.index[slot]!, keys: Array.from(scratch.subarray(base, base + length)), subscribe: s.f === SCANNED_SUBSCRIBE });
      return;
    }
    const f = SCANNED_F[s.f]!;
    if (f < 0) return;
    const op = this.pushOp(s.index, slot, s.process, type, f, s.time, s.txnId ?? this.pending.txnId[slot]);
    if (hasValue) this.scannedMops(op, scratch, base, length);
    else this.invokeMops(op, slot);
  }

  finish(): OpTable {
    // The contract treats an invoke left without completion as info (history-format.md §1).
    const p = this.pending;
    for (const [process, slot] of p.drain()) {
      const f = F_CODE[p.f[slot]!];
      if (f === undefined) continue;
      const op = this.pushOp(p.index[slot]!, slot, process, INFO, f, Infinity, p.txnId[slot]);
      this.invokeMops(op, slot);
    }
    const o = this.ops, w = this.w, r = this.r;
    o.closeStarts(w.n, r.n);
    const n = o.n;
    return {
      n,
      index: o.index.subarray(0, n), invokeIndex: o.invokeIndex.subarray(0, n), process: o.process.subarray(0, n),
      type: o.type.subarray(0, n), f: o.f.subarray(0, n), invokeTime: o.invokeTime.subarray(0, n),
      completeTime: o.completeTime.subarray(0, n), wStart: o.wStart.subarray(0, n + 1), rStart: o.rStart.subarray(0, n + 1),
      wKey: w.key.subarray(0, w.n), wOffset: w.offset.subarray(0, w.n), wValue: w.value.subarray(0, w.n), wOp: w.op.subarray(0, w.n),
      rKey: r.key.subarray(0, r.n), rOffset: r.offset.subarray(0, r.n), rValue: r.value.subarray(0, r.n), rOp: r.op.subarray(0, r.n),
      keys: this.keys, keyId: this.keyId, txnId: this.txnId, assignments: this.assignments,
      events: this.events, stats: { ops: this.nOps, ok: this.nOk, fail: this.nFail, info: this.nInfo },
    };
  }

  private count(type: number): void {
    this.nOps++;
    if (type === OK) this.nOk++; else if (type === FAIL) this.nFail++; else this.nInfo++;
  }

  /** The key's dense id. `smallKeyId` is only a cache of `keyId` for small keys (speed). */
  private key(k: number): number {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: which keys the cache holds changes no id
    const small = k >= 0 && k < 4096 && (k | 0) === k;
    // Stryker disable next-line ConditionalExpression: skipping the cache finds the same id in keyId
    if (small && this.smallKeyId[k] !== 0) return this.smallKeyId[k]! - 1;
    let id = this.keyId.get(k);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(k);
      this.keyId.set(k, id);
    }
    // Stryker disable next-line ConditionalExpression: filling the cache or not changes no id
    if (small) this.smallKeyId[k] = id + 1;
    return id;
  }

  private pushOp(index: number, slot: number, process: number, type: number, f: number, completeTime: number, txnId: string | undefined): number {
    const op = this.ops.add(index, this.pending.index[slot]!, process, type, f, this.pending.time[slot]!, completeTime, this.w.n, this.r.n);
    // Stryker disable next-line ConditionalExpression: the table's txnId map is only read with get, which answers undefined either way
    if (txnId !== undefined) this.txnId.set(op, txnId);
    return op;
  }

  private invokeMops(op: number, slot: number): void {
    const p = this.pending;
    if (p.length[slot]! < 0) this.parsedMops(op, p.parsed[slot] as unknown[]);
    else this.scannedMops(op, p.mops[slot]!, 0, p.length[slot]!);
  }

  private parsedMops(op: number, mops: unknown[]): void {
    for (const mop of mops) {
      const m = mop as unknown[];
      if (m[0] === 'send') {
        const v = m[2];
        if (Array.isArray(v)) this.w.add(op, this.key(m[1] as number), v[0] === null || v[0] === NO_OFFSET ? NaN : v[0], v[1]);
        else this.w.add(op, this.key(m[1] as number), NaN, v as number);
      } else {
        // A poll: ["poll"] without its result (m[1] undefined) reads nothing, as for...in over undefined does.
        const polled = m[1] as Record<string, [number, number][]>;
        for (const k in polled) {
          const id = this.key(Number(k));
          for (const [offset, value] of polled[k]!) this.r.add(op, id, offset, value);
        }
      }
    }
  }

  /** Walks the fast scanner's encoding (fast-scan.ts): kind codes followed by their numbers. */
  private scannedMops(op: number, s: Float64Array, base: number, length: number): void {
    const w = this.w, r = this.r;
    for (let i = base, end = base + length; i < end;) {
      const kind = s[i]!;
      if (kind === SEND_PLAIN) { w.add(op, this.key(s[i + 1]!), NaN, s[i + 2]!); i += 3; }
      else if (kind === SEND_PAIR) { w.add(op, this.key(s[i + 1]!), s[i + 2]!, s[i + 3]!); i += 4; }
      else if (kind === POLL_MAP) {
        const keys = s[i + 1]!;
        i += 2;
        for (let k = 0; k < keys; k++) {
          const id = this.key(s[i]!), n = s[i + 1]!;
          i += 2;
          r.reserve(n);
          for (let j = 0; j < n; j++, i += 2) r.addReserved(op, id, s[i]!, s[i + 1]!);
        }
      } else i++;
    }
  }
}

const FAST_F_NAMES = ['send', 'poll', 'txn', 'assign', 'subscribe', 'crash'];

/** Builds the op table of an in-memory event list (tests, the `run` command). */
export function buildOpTable(events: Iterable<HistoryEvent>): OpTable {
  const b = new OpTableBuilder();
  for (const e of events) b.add(e);
  return b.finish();
}
