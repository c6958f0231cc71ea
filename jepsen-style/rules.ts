// The rules of ../shared/history-format.md §1, checked one event at a time so that a history of any
// length can be validated while it streams. A broken rule is unusable input (exit 2), not an anomaly:
// the checker's conclusions would be meaningless on a history that does not follow the contract.
import { IntMap } from './analysis/int-map.ts';
import type { HistoryEvent } from './history.ts';

/** Bad input: names the line (1-based) and says what is wrong and how to fix it. */
export class HistoryFormatError extends Error {
  constructor(readonly line: number, detail: string) {
    super(`line ${line}: ${detail}`);
    this.name = 'HistoryFormatError';
  }
}

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);
/**
 * Integers must be exact: beyond 2^53 - 1 a JSON reader rounds them, and two different values (or
 * process ids) would silently become one, making up duplicates and skips. Such a number is refused.
 */
// Stryker disable next-line ConditionalExpression: the typeof is for the type checker; Number.isSafeInteger is false for any non-number
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);
const isKey = (x: unknown): x is number => isInt(x) && x >= 0;
const UNSAFE = 'beyond 2^53 - 1 = 9007199254740991, the largest integer a JSON reader holds exactly (larger ones are rounded, so two different ones could be taken for the same): renumber them';

/** What a field held, for a message: a missing field says so instead of "undefined". */
export function got(x: unknown): string {
  if (x === undefined) return 'nothing (the field is missing)';
  // Stryker disable next-line ConditionalExpression: the typeof is for the type checker; Number.isInteger is false for any non-number
  if (typeof x === 'number' && Number.isInteger(x) && !Number.isSafeInteger(x)) return `${BigInt(x)}, ${UNSAFE}`;
  const text = JSON.stringify(x);
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}

/** The first integer beyond 2^53 - 1 inside a JSON value, if any. */
function unsafeIn(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isInteger(x) && !Number.isSafeInteger(x) ? x : undefined;
  if (typeof x !== 'object' || x === null) return undefined;
  for (const y of Array.isArray(x) ? x : Object.values(x)) {
    const u = unsafeIn(y);
    if (u !== undefined) return u;
  }
  return undefined;
}

/** A mop for a message, and why its numbers could not be read exactly if that is the problem. */
const shown = (m: unknown): string => {
  const u = unsafeIn(m);
  return `${JSON.stringify(m)}${u === undefined ? '' : ` (${BigInt(u)} is ${UNSAFE})`}`;
};

const F_LIST = ['send', 'poll', 'txn', 'assign', 'subscribe', 'crash'];
const CLIENT_FS = new Set(F_LIST);
const F_CRASH = 5, INVOKE = 0, INFO = 3;
/** A pending invoke as one number (no object per event): its line and f. */
const pendingOf = (line: number, f: number) => line * 8 + f;
const pendingLine = (x: number) => Math.floor(x / 8);
const pendingF = (x: number) => F_LIST[x % 8]!;

/**
 * Validates events in file order. `accept` throws HistoryFormatError on the first broken rule; the
 * per-process state it keeps is one entry per live process, so memory does not grow with the history.
 */
export class HistoryRules {
  private nextIndex = 0;
  private lastTime = -Infinity;
  /** Process → its invoke still waiting for a completion (`pendingOf`). */
  private readonly pending = new IntMap();
  /** Processes whose last completion was `info`: they must never invoke again. Line of that info. */
  private readonly retired = new IntMap();

  accept(raw: unknown, line: number): HistoryEvent {
    const fail = (detail: string): never => { throw new HistoryFormatError(line, detail); };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('an event must be a JSON object');
    const e = raw as Record<string, unknown>;
    if (!isInt(e.index)) fail(`"index" must be an integer, got ${got(e.index)}`);
    if (!isInt(e.time) || (e.time as number) < 0) fail(`"time" must be a non-negative integer, got ${got(e.time)}`);
    this.order(e.index as number, e.time as number, fail);
    // Stryker disable next-line ConditionalExpression: the typeof is for the type checker; TYPES holds strings only
    if (typeof e.type !== 'string' || !TYPES.has(e.type)) {
      fail(`"type" must be one of invoke, ok, fail, info; got ${got(e.type)}`);
    }
    if (typeof e.f !== 'string') fail(`"f" must be a string, got ${got(e.f)}`);
    if (e.error !== undefined && typeof e.error !== 'string') fail(`"error", when present, must be a string, got ${got(e.error)}`);
    if (e.txnId !== undefined && typeof e.txnId !== 'string') fail(`"txnId", when present, must be a string, got ${got(e.txnId)}`);
    if (e.process !== 'nemesis') {
      if (!isKey(e.process)) fail(`"process" must be a non-negative integer or "nemesis", got ${got(e.process)}`);
      const f = e.f as string;
      if (!CLIENT_FS.has(f)) fail(`client op "f" must be one of ${[...CLIENT_FS].join(', ')}; got ${JSON.stringify(f)}`);
      if (!('value' in e)) fail(`"value" is missing (a ${f} event has one${f === 'crash' ? ': null' : '; a completion that learned nothing may give null'})`);
      if (e.type === 'invoke' && f === 'crash' && e.value !== null) fail('a crash invoke must have "value": null');
      checkValue(f, e.value, e.type === 'invoke', fail);
      this.alternation(e.process as number, e.type as string, f, line, fail);
    }
    this.nextIndex++;
    this.lastTime = e.time as number;
    return raw as HistoryEvent;
  }

  /**
   * The same rules for a client event whose field types and value shape the caller (the fast
   * reader) has already checked: only the ordering and alternation rules remain. `type` and `f`
   * are numbers: positions in invoke/ok/fail/info and in the contract's list of client fs.
   */
  acceptClient(index: number, time: number, process: number, type: number, f: number, line: number): void {
    // The common case without allocating a closure per event; the general path has the messages.
    const pending = this.pending.get(process);
    const fine = index === this.nextIndex && time >= this.lastTime && (type === INVOKE
      ? pending === undefined && this.retired.get(process) === undefined
      // No pending invoke (-1) matches no f.
      : (pending ?? -1) % 8 === f && (f !== F_CRASH || type === INFO));
    if (!fine) {
      const fail = (detail: string): never => { throw new HistoryFormatError(line, detail); };
      this.order(index, time, fail);
      this.alternation(process, ['invoke', 'ok', 'fail', 'info'][type]!, F_LIST[f]!, line, fail);
      // Stryker disable next-line all: unreachable (rules.contract.test.ts checks both paths agree on every sequence)
      throw new Error('unreachable: the fast rule check and the general one disagree');
    }
    if (type === INVOKE) this.pending.set(process, pendingOf(line, f));
    else {
      this.pending.delete(process);
      if (type === INFO) this.retired.set(process, line);
    }
    this.nextIndex++;
    this.lastTime = time;
  }

  private order(index: number, time: number, fail: (d: string) => never): void {
    if (index !== this.nextIndex) {
      fail(`"index" is ${index} but ${this.nextIndex} was expected (indices start at 0 and have no gaps)`);
    }
    if (time < this.lastTime) fail(`"time" ${time} is earlier than the previous event's ${this.lastTime} (time never decreases)`);
  }

  /** Processes still waiting for a completion: the contract treats them as `info`. */
  unfinished(): number[] {
    // In invoke order, which is line order.
    return this.pending.keys().sort((a, b) => this.pending.get(a)! - this.pending.get(b)!);
  }

  private alternation(process: number, type: string, f: string, line: number, fail: (d: string) => never): void {
    const pending = this.pending.get(process);
    if (type === 'invoke') {
      if (pending !== undefined) fail(`process ${process} invoked ${f} while its ${pendingF(pending)} from line ${pendingLine(pending)} has no completion yet (one client is single-threaded)`);
      const retiredAt = this.retired.get(process);
      if (retiredAt !== undefined) {
        fail(`process ${process} invoked again after its info completion on line ${retiredAt}; a fresh process id must take its place`);
      }
      this.pending.set(process, pendingOf(line, F_LIST.indexOf(f)));
      return;
    }
    if (pending === undefined) fail(`process ${process} completed ${f} (${type}) without a pending invoke`);
    if (pendingF(pending!) !== f) fail(`process ${process} completed "${f}" but invoked "${pendingF(pending!)}" on line ${pendingLine(pending!)}`);
    if (f === 'crash' && type !== 'info') fail('a crash always completes "info"');
    this.pending.delete(process);
    if (type === 'info') this.retired.set(process, line);
  }
}

function checkValue(f: string, value: unknown, invoke: boolean, fail: (d: string) => never): void {
  if (f === 'crash') return;
  if (f === 'assign' || f === 'subscribe') {
    if (!Array.isArray(value) || !value.every(isKey)) fail(`${f} value must be an array of non-negative integer keys, got ${shown(value)}`);
    return;
  }
  // A completion may omit its mops (null): the invoke's then stand, as for an unfinished op.
  // `== null`: JSON has no undefined, but an event built in memory may hold it.
  if (!invoke && value == null) return;
  if (!Array.isArray(value)) fail(`${f} value must be an array of micro-operations, got ${got(value)}`);
  for (const mop of value as unknown[]) {
    if (!Array.isArray(mop)) fail(`${f} micro-operation ${JSON.stringify(mop)} must be an array`);
    const m = mop as unknown[];
    if (m[0] === 'send') {
      if (f === 'poll') fail('a poll op may hold only ["poll"] micro-operations');
      checkSend(m, invoke, fail);
    } else if (m[0] === 'poll') {
      if (f === 'send') fail('a send op may hold only ["send", k, v] micro-operations');
      if (invoke ? m.length !== 1 : m.length > 2) fail(`bad poll micro-operation ${JSON.stringify(m)}`);
      if (m.length === 2) checkPolled(m[1], fail);
    } else {
      fail(`unknown micro-operation ${JSON.stringify(m)}: expected ["send", k, v] or ["poll"]`);
    }
  }
}

function checkSend(m: unknown[], invoke: boolean, fail: (d: string) => never): void {
  const [, k, v] = m;
  if (m.length !== 3 || !isKey(k)) fail(`bad send micro-operation ${shown(m)}: expected ["send", key, value]`);
  if (isInt(v)) return;
  // An unknown offset is null; -1 is the Java client's "no offset" (RecordMetadata.UNKNOWN_OFFSET), read as null.
  if (!invoke && Array.isArray(v) && v.length === 2 && (v[0] === null || v[0] === -1 || isKey(v[0])) && isInt(v[1])) return;
  fail(`bad send micro-operation ${shown(m)}: the value must be an integer${invoke ? '' : ' or [offset, value] with an integer offset ≥ 0, or null (or -1) when unknown'}`);
}

function checkPolled(polled: unknown, fail: (d: string) => never): void {
  if (typeof polled !== 'object' || polled === null || Array.isArray(polled)) {
    fail('a completed poll holds an object {"key": [[offset, value], ...]}');
  }
  for (const [k, pairs] of Object.entries(polled as object)) {
    if (!/^(0|[1-9]\d*)$/.test(k)) fail(`polled key ${JSON.stringify(k)} must be a decimal integer string`);
    if (!Number.isSafeInteger(Number(k))) fail(`polled key ${k} is ${UNSAFE}`);
    if (!Array.isArray(pairs)) fail(`polled key ${k} must map to an array of [offset, value] pairs`);
    for (const p of pairs as unknown[]) {
      if (!Array.isArray(p) || p.length !== 2 || !isKey(p[0]) || !isInt(p[1])) {
        fail(`polled key ${k} holds ${shown(p)}; expected [offset, value] with integer offset ≥ 0 and value`);
      }
    }
  }
}
