// The exactly-once invariants of the model, each a function of what a run has observed so far. Each
// returns null when it holds and a sentence naming the offending record/offset/client when it does not.
import type { LogEntry, Sim } from '../../model/index.ts';
import { CTP_GROUP, CTP_INPUT, CTP_OUTPUT } from './ctp.ts';
import { KEYS, type Monitor } from './monitor.ts';

export type Fate = 'committed' | 'aborted' | 'open' | 'plain';

/** A record's fate as the log alone says: the first marker of its producer after it decides it. */
export function fateAt(log: readonly LogEntry[], offset: number): Fate {
  const r = log[offset];
  if (r === undefined || r.kind !== 'record') throw new Error(`no record at offset ${offset}`);
  if (!r.transactional) return 'plain';
  for (let o = offset + 1; o < log.length; o++) {
    const m = log[o]!;
    if (m.kind === 'marker' && m.producerId === r.producerId) return m.commit ? 'committed' : 'aborted';
  }
  return 'open';
}

const keys = () => Array.from({ length: KEYS }, (_, k) => k);

/** No (producerId, epoch, sequence) is appended twice to a partition. */
export function noDuplicateAppend({ sim }: Monitor): string | null {
  for (const k of keys()) {
    const seen = new Map<string, number>();
    for (const e of sim.log(k)) {
      if (e.kind !== 'record') continue;
      const id = `${e.producerId}/${e.producerEpoch}/${e.sequence}`;
      const first = seen.get(id);
      if (first !== undefined) return `key ${k}: (pid, epoch, seq) ${id} appended at offsets ${first} and ${e.offset}`;
      seen.set(id, e.offset);
    }
  }
  return null;
}

/** read_committed polls never return aborted data or data of a transaction still open. */
export function readCommittedSeesOnlyCommitted({ sim, committedReads }: Monitor): string | null {
  for (const [k, off] of committedReads) {
    const fate = fateAt(sim.log(k), off);
    if (fate === 'aborted' || fate === 'open') return `key ${k}: read_committed poll returned offset ${off}, whose transaction is ${fate}`;
  }
  return null;
}

/** LSO ≤ HW, and the LSO is the first offset of the earliest open transaction (the HW if none is open). */
export function lastStableOffsetIsExact({ sim }: Monitor): string | null {
  for (const k of keys()) {
    const log = sim.log(k);
    const hw = sim.highWatermark(k);
    const lso = sim.lastStableOffset(k);
    if (lso > hw) return `key ${k}: LSO ${lso} > HW ${hw}`;
    const firstOpen = log.findIndex((e) => e.kind === 'record' && fateAt(log, e.offset) === 'open');
    const expected = firstOpen < 0 ? hw : firstOpen;
    if (lso !== expected) return `key ${k}: LSO ${lso}, but the earliest open transaction starts at ${expected} (HW ${hw})`;
  }
  return null;
}

/** Every partition of a transaction gets the same marker: no transaction has a record committed and another
 *  aborted. (A record still open while the transaction's markers are on their way is not a split yet; one
 *  left open after its transaction ended is a hanging transaction: noHangingTransaction.) */
export function transactionsAreAtomic({ sim, txnOfValue }: Monitor): string | null {
  const fates = new Map<string, Array<[string, number, number]>>();
  for (const k of keys()) {
    for (const e of sim.log(k)) {
      if (e.kind !== 'record' || !e.transactional) continue;
      const txn = txnOfValue.get(`${k}:${e.value}`);
      if (txn === undefined) continue;
      const list = fates.get(txn) ?? [];
      list.push([fateAt(sim.log(k), e.offset), k, e.offset]);
      fates.set(txn, list);
    }
  }
  for (const [txn, list] of fates) {
    const distinct = new Set(list.map(([f]) => f));
    if (distinct.has('committed') && distinct.has('aborted')) return `transaction ${txn} is split: ${list.map(([f, k, o]) => `key ${k}@${o} ${f}`).join(', ')}`;
  }
  return null;
}

/** A transaction that ended at its coordinator (Empty, CompleteCommit, CompleteAbort: nothing under way) leaves
 *  no partition with an open transaction of its producer: the hanging transaction KIP-890 is about, which
 *  holds the LSO, and which the next transaction of the same epoch (TV1) would adopt. */
export function noHangingTransaction({ sim }: Monitor): string | null {
  const idle = new Map<number, string>();
  for (const [id, c] of sim.inspect().coordinators) {
    if (c.state === 'Empty' || c.state === 'CompleteCommit' || c.state === 'CompleteAbort') idle.set(c.context.producerId, `${id} (${c.state})`);
  }
  for (const k of keys()) {
    const log = sim.log(k);
    const open = log.find((e) => e.kind === 'record' && e.transactional && idle.has(e.producerId) && fateAt(log, e.offset) === 'open');
    if (open !== undefined) return `key ${k}: the record at offset ${open.offset} is in an open transaction of producer ${open.kind === 'record' ? open.producerId : ''}, whose transactional id ${idle.get(open.kind === 'record' ? open.producerId : -1)} has nothing under way`;
  }
  return null;
}

/** A producer fenced by a newer instance of its transactional.id never appends or commits again. */
export function fencedProducersStayFenced({ zombieSuccesses }: Monitor): string | null {
  const z = zombieSuccesses[0];
  return z === undefined ? null : `fenced producer ${z[0]} succeeded at ${z[1]}`;
}

/** Committed group offsets move only to transactional offsets of a transaction that committed. */
export function groupOffsetsMoveOnlyOnCommit({ unexplainedOffsetMoves }: Monitor): string | null {
  return unexplainedOffsetMoves[0] ?? null;
}

const committedValues = (sim: Sim, k: number): number[] =>
  sim.log(k).filter((e) => e.kind === 'record' && ['plain', 'committed'].includes(fateAt(sim.log(k), e.offset)))
    .map((e) => (e as { value: number }).value);

/** Consume-transform-produce: every input below the committed offset has exactly one committed output, and no other input has one. */
export function ctpInputsCommittedExactlyOnce({ sim }: Monitor): string | null {
  const upTo = sim.committedOffsets(CTP_GROUP)[CTP_INPUT] ?? 0;
  const inputLog = sim.log(CTP_INPUT);
  const consumed = new Set(committedValues(sim, CTP_INPUT).filter((v) => inputLog.find((e) => e.kind === 'record' && e.value === v)!.offset < upTo));
  const allInputs = new Set(inputLog.flatMap((e) => (e.kind === 'record' ? [e.value] : [])));
  const counts = new Map<number, number>();
  for (const v of committedValues(sim, CTP_OUTPUT)) if (allInputs.has(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [v, n] of counts) {
    if (n > 1) return `input value ${v} has ${n} committed outputs`;
    if (!consumed.has(v)) return `input value ${v} has a committed output but is not below the committed offset ${upTo}`;
  }
  for (const v of consumed) if (!counts.has(v)) return `input value ${v} is below the committed offset ${upTo} but has no committed output`;
  return null;
}
