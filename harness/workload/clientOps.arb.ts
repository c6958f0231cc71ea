// Arbitraries for one worker's op list. Sends carry a placeholder value (0) here: values are made
// unique per key afterwards, over the whole program, by `assignValues` (./values.ts), so that these
// arbitraries stay independent of each other and shrink freely. Op lists are generated at full length
// and shrink to shorter prefixes (./shrinkable.ts); the first op (the assignment) always stays.
import fc from 'fast-check';
import type { Key } from '../../jepsen-style/history.ts';
import type { ResolvedOptions } from './options.ts';
import type { PollMop, ProgramOp, SendMop } from './program.ts';
import { shrinkablePrefix } from './shrinkable.ts';

/** Probabilities become integer weights out of this, so that they shrink like any other integer. */
const SCALE = 10_000;

/** `true` with probability p, shrinking towards `false`. */
export const chance = (p: number): fc.Arbitrary<boolean> =>
  fc.integer({ min: 0, max: SCALE - 1 }).map((x) => x >= SCALE - Math.round(p * SCALE));

const sendMop = (keys: Key[]): fc.Arbitrary<SendMop> => fc.constantFrom(...keys).map((k): SendMop => ['send', k, 0]);
const pollMop: fc.Arbitrary<PollMop> = fc.constant<PollMop>(['poll']);

export const sendOpArb = (o: ResolvedOptions, keys: Key[]): fc.Arbitrary<ProgramOp> =>
  fc.array(sendMop(keys), { minLength: 1, maxLength: o.maxMops }).map((value) => ({ f: 'send', value }));

export const txnOpArb = (o: ResolvedOptions, keys: Key[]): fc.Arbitrary<ProgramOp> =>
  fc
    .record({
      value: fc.array(fc.oneof(sendMop(keys), pollMop), { minLength: 1, maxLength: o.maxMops }),
      abort: chance(o.abortP),
    })
    .map(({ value, abort }) => ({ f: 'txn', value, abort }));

export const pollOpArb: fc.Arbitrary<ProgramOp> = fc.constant<ProgramOp>({ f: 'poll', value: [['poll']] });

/** assign or subscribe (per `subVia`) to a non-empty set of keys, sorted for readability. */
export const reassignOpArb = (o: ResolvedOptions, keys: Key[]): fc.Arbitrary<ProgramOp> =>
  fc
    .record({ f: fc.constantFrom(...o.subVia), value: fc.subarray(keys, { minLength: 1 }) })
    .map(({ f, value }) => ({ f, value: [...value].sort((a, b) => a - b) }));

export const crashOpArb: fc.Arbitrary<ProgramOp> = fc.constant<ProgramOp>({ f: 'crash', value: null });

function weighted(entries: Array<[number, fc.Arbitrary<ProgramOp>]>): fc.Arbitrary<ProgramOp> {
  const live = entries.filter(([w]) => w > 0).map(([weight, arbitrary]) => ({ weight, arbitrary }));
  return fc.oneof(...live);
}

/**
 * A producer-consumer worker (Jepsen's client): it starts with an assignment, then mixes its main op
 * (`send` for an idempotent worker, `txn` for a transactional one) with polls, occasional
 * re-assignments and crashes. The main op comes first so that shrinking turns other ops into it.
 */
export function clientOpsArb(o: ResolvedOptions, role: 'idempotent' | 'transactional', writeKeys: Key[], readKeys: Key[], count: number): fc.Arbitrary<ProgramOp[]> {
  const crashW = Math.round(o.crashP * SCALE);
  const reassignW = Math.round(o.reassignP * SCALE);
  const rest = Math.max(0, SCALE - crashW - reassignW);
  const mainW = Math.round(rest * 0.65);
  const main = role === 'idempotent' ? sendOpArb(o, writeKeys) : txnOpArb(o, writeKeys);
  const op = weighted([[mainW, main], [rest - mainW, pollOpArb], [reassignW, reassignOpArb(o, readKeys)], [crashW, crashOpArb]]);
  return fc
    .tuple(reassignOpArb(o, readKeys), shrinkablePrefix(fc.array(op, { minLength: count - 1, maxLength: count - 1 }), count - 1))
    .map(([first, ops]) => [first, ...ops]);
}

/**
 * A copier: it assigns its input keys, then runs consume-transform-produce iterations, each a
 * transaction that may be aborted on purpose, with occasional crashes (a fresh process resumes from
 * the group's committed offsets).
 */
export function copierOpsArb(o: ResolvedOptions, inputKeys: Key[], count: number): fc.Arbitrary<ProgramOp[]> {
  const crashW = Math.round(o.crashP * SCALE);
  const copy = chance(o.abortP).map((abort): ProgramOp => ({ f: 'copy', abort }));
  const op = weighted([[SCALE - crashW, copy], [crashW, crashOpArb]]);
  return shrinkablePrefix(fc.array(op, { minLength: count - 1, maxLength: count - 1 }), count - 1)
    .map((ops): ProgramOp[] => [{ f: 'assign', value: [...inputKeys] }, ...ops]);
}
