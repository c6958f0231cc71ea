// The transaction coordinator's decision tables, row by row, as Kafka's TransactionCoordinator writes them
// (endTransactionWithTV1 / endTransaction, prepareInitProducerIdTransit with KIP-360, handleVerifyPartitions-
// InTransaction, TransactionMarkerRequestCompletionHandler; research §2.4-§2.9). Each case is one hand-made
// coordinator state, one request and Kafka's answer; the machine tests (coordinator.machine.test.ts) reach
// these rows through whole conversations, here every row and its edges are named one by one.
import { describe, expect, it } from 'vitest';
import {
  type CoordinatorContext, type Transit, completeTransit, endTxnVerdict, fenceTransit, initFromOtherProducer,
  initProducerIdVerdict, isEndOf, markerAnswerAction, verifyVerdict,
} from './coordinator.rules.ts';
import { EPOCH_EXHAUSTED, type KafkaError, TXN_STATES, type TxnState, type TxnVersion } from './types.ts';

/** A coordinator holding producer 7 at epoch 4 (last epoch 3), transaction over p0 and p1, TV1 cluster. */
const coordinator = (over: Partial<CoordinatorContext> = {}): CoordinatorContext => ({
  transactionalId: 't', txnVersion: 1, clientTxnVersion: 1, state: 'Ongoing', producerId: 7, prevProducerId: -1,
  epoch: 4, lastEpoch: 3, partitions: ['p0', 'p1'], txnStartTick: 10, lastUpdateTick: 12, timeoutTicks: 100,
  expirationTicks: 1000, coordinatorEpoch: 2, pendingState: null, transit: null, pendingMarkers: [],
  markersCancelled: false, reply: { error: 'NONE', producerId: 7, producerEpoch: 4, awaitingLogAppend: false },
  ...over,
});

const endTxn = (c: CoordinatorContext, producerEpoch: number, commit: boolean, txnVersion?: TxnVersion) =>
  endTxnVerdict(c, { producerId: c.producerId, producerEpoch, commit, now: 50, ...(txnVersion ? { txnVersion } : {}) });
const errorOf = (v: ReturnType<typeof endTxnVerdict>): KafkaError | 'prepare' => (v.kind === 'reply' ? v.error : 'prepare');

describe('EndTxn: who may end the transaction', () => {
  it('a Dead transactional id or another producer id is INVALID_PRODUCER_ID_MAPPING, whatever the version', () => {
    for (const tv of [1, 2] as const) {
      expect(errorOf(endTxn(coordinator({ state: 'Dead', txnVersion: tv }), 4, true))).toBe('INVALID_PRODUCER_ID_MAPPING');
      const c = coordinator({ txnVersion: tv });
      expect(endTxnVerdict(c, { producerId: 8, producerEpoch: 4, commit: true, now: 50 })).toEqual({ kind: 'reply', error: 'INVALID_PRODUCER_ID_MAPPING' });
    }
  });

  it('the request version decides the table, not the cluster: EndTxn v5 on a TV1 cluster bumps the epoch, v4 on TV2 does not', () => {
    const tv1Cluster = coordinator({ txnVersion: 1 });
    const tv2Cluster = coordinator({ txnVersion: 2 });
    const epochAfter = (v: ReturnType<typeof endTxnVerdict>) => (v.kind === 'prepare' ? v.transit.epoch : null);
    expect(epochAfter(endTxn(tv1Cluster, 4, true, 2))).toBe(5);
    expect(epochAfter(endTxn(tv2Cluster, 4, true, 1))).toBe(4);
    // no version on the request: the cluster's
    expect(epochAfter(endTxn(tv1Cluster, 4, true))).toBe(4);
    expect(epochAfter(endTxn(tv2Cluster, 4, true))).toBe(5);
  });
});

describe('EndTxn under TV1 (endTransactionWithTV1)', () => {
  it('any epoch but the current one is PRODUCER_FENCED, in every state', () => {
    for (const state of TXN_STATES.filter((s) => s !== 'Dead')) {
      expect(errorOf(endTxn(coordinator({ state }), 3, true)), state).toBe('PRODUCER_FENCED');
      expect(errorOf(endTxn(coordinator({ state }), 5, false)), state).toBe('PRODUCER_FENCED');
    }
  });

  it('a pending transit answers CONCURRENT_TRANSACTIONS (the client retries)', () => {
    expect(errorOf(endTxn(coordinator({ pendingState: 'Ongoing' }), 4, true))).toBe('CONCURRENT_TRANSACTIONS');
  });

  it('Ongoing prepares the commit or abort at the same epoch, keeping the last epoch, partitions and start', () => {
    for (const commit of [true, false]) {
      const v = endTxn(coordinator(), 4, commit);
      expect(v).toEqual({
        kind: 'prepare',
        transit: {
          state: commit ? 'PrepareCommit' : 'PrepareAbort', producerId: 7, epoch: 4, lastEpoch: 3,
          partitions: ['p0', 'p1'], txnStartTick: 10, now: 50, txnVersion: 1,
        } satisfies Transit,
      });
    }
  });

  it('a retried end of a completed transaction is NONE; the opposite end is INVALID_TXN_STATE', () => {
    const table: [TxnState, boolean, KafkaError][] = [
      ['CompleteCommit', true, 'NONE'], ['CompleteCommit', false, 'INVALID_TXN_STATE'],
      ['CompleteAbort', false, 'NONE'], ['CompleteAbort', true, 'INVALID_TXN_STATE'],
      // in the middle of the same end: retry later; of the other end: refused
      ['PrepareCommit', true, 'CONCURRENT_TRANSACTIONS'], ['PrepareCommit', false, 'INVALID_TXN_STATE'],
      ['PrepareAbort', false, 'CONCURRENT_TRANSACTIONS'], ['PrepareAbort', true, 'INVALID_TXN_STATE'],
      // nothing to end
      ['Empty', true, 'INVALID_TXN_STATE'], ['Empty', false, 'INVALID_TXN_STATE'],
      ['PrepareEpochFence', false, 'INVALID_TXN_STATE'],
    ];
    for (const [state, commit, error] of table) {
      expect(endTxn(coordinator({ state }), 4, commit), `${state} ${commit ? 'commit' : 'abort'}`).toEqual({ kind: 'reply', error });
    }
  });
});

describe('EndTxn under TV2 (endTransaction, KIP-890)', () => {
  const tv2 = (over: Partial<CoordinatorContext> = {}) => coordinator({ txnVersion: 2, clientTxnVersion: 2, ...over });

  it('Ongoing: the end bumps the epoch, and the old epoch becomes the last one (its retry is recognised)', () => {
    for (const commit of [true, false]) {
      expect(endTxn(tv2(), 4, commit)).toEqual({
        kind: 'prepare',
        transit: {
          state: commit ? 'PrepareCommit' : 'PrepareAbort', producerId: 7, epoch: 5, lastEpoch: 4,
          partitions: ['p0', 'p1'], txnStartTick: 10, now: 50, txnVersion: 2,
        },
      });
    }
  });

  it('which epochs are valid: Ongoing and Empty the current only; Prepare* the retry (current - 1) only; Complete* both', () => {
    const valid = (state: TxnState, epoch: number) => errorOf(endTxn(tv2({ state }), epoch, false)) !== 'PRODUCER_FENCED';
    expect([valid('Ongoing', 4), valid('Ongoing', 3), valid('Ongoing', 5)]).toEqual([true, false, false]);
    expect([valid('Empty', 4), valid('Empty', 3)]).toEqual([true, false]);
    for (const s of ['PrepareCommit', 'PrepareAbort'] as const) expect([valid(s, 3), valid(s, 4), valid(s, 2)], s).toEqual([true, false, false]);
    for (const s of ['CompleteCommit', 'CompleteAbort'] as const) expect([valid(s, 3), valid(s, 4), valid(s, 2), valid(s, 5)], s).toEqual([true, true, false, false]);
  });

  it('a pending transit with a valid epoch answers CONCURRENT_TRANSACTIONS', () => {
    expect(errorOf(endTxn(tv2({ pendingState: 'PrepareCommit' }), 4, true))).toBe('CONCURRENT_TRANSACTIONS');
  });

  it('the retry of an end under way: the same end waits, the other is refused', () => {
    expect(errorOf(endTxn(tv2({ state: 'PrepareCommit' }), 3, true))).toBe('CONCURRENT_TRANSACTIONS');
    expect(errorOf(endTxn(tv2({ state: 'PrepareCommit' }), 3, false))).toBe('INVALID_TXN_STATE');
    expect(errorOf(endTxn(tv2({ state: 'PrepareAbort' }), 3, false))).toBe('CONCURRENT_TRANSACTIONS');
    expect(errorOf(endTxn(tv2({ state: 'PrepareAbort' }), 3, true))).toBe('INVALID_TXN_STATE');
  });

  it('Empty: a commit is INVALID_TXN_STATE; the "empty abort" bumps the epoch through PrepareAbort', () => {
    expect(errorOf(endTxn(tv2({ state: 'Empty', partitions: [] }), 4, true))).toBe('INVALID_TXN_STATE');
    expect(endTxn(tv2({ state: 'Empty', partitions: [], txnStartTick: -1 }), 4, false)).toEqual({
      kind: 'prepare', transit: { state: 'PrepareAbort', producerId: 7, epoch: 5, lastEpoch: 4, partitions: [], txnStartTick: -1, now: 50, txnVersion: 2 },
    });
  });

  it('after an abort: the retried abort is NONE, a new abort at the current epoch is an empty abort, a commit is refused', () => {
    const c = tv2({ state: 'CompleteAbort', partitions: [] });
    expect(endTxn(c, 3, false)).toEqual({ kind: 'reply', error: 'NONE' });
    expect(endTxn(c, 4, false)).toMatchObject({ kind: 'prepare', transit: { state: 'PrepareAbort', epoch: 5, lastEpoch: 4 } });
    expect(errorOf(endTxn(c, 3, true))).toBe('INVALID_TXN_STATE');
    expect(errorOf(endTxn(c, 4, true))).toBe('INVALID_TXN_STATE');
  });

  it('after a commit: the retried commit is NONE, a commit at the current epoch INVALID_TXN_STATE; an abort retry is refused, a new one is an empty abort', () => {
    const c = tv2({ state: 'CompleteCommit', partitions: [] });
    expect(endTxn(c, 3, true)).toEqual({ kind: 'reply', error: 'NONE' });
    expect(endTxn(c, 4, true)).toEqual({ kind: 'reply', error: 'INVALID_TXN_STATE' });
    expect(endTxn(c, 3, false)).toEqual({ kind: 'reply', error: 'INVALID_TXN_STATE' });
    expect(endTxn(c, 4, false)).toMatchObject({ kind: 'prepare', transit: { state: 'PrepareAbort', epoch: 5, lastEpoch: 4, txnVersion: 2 } });
  });

  it('PrepareEpochFence is no state to end a transaction in', () => {
    expect(endTxn(tv2({ state: 'PrepareEpochFence' }), 4, false)).toEqual({ kind: 'reply', error: 'INVALID_TXN_STATE' });
  });
});

describe('fencing an epoch (prepareFenceProducerEpoch, then the internal abort)', () => {
  it('aborts at the next epoch under the server\'s version; TV1 forgets the last epoch, TV2 keeps the fenced one', () => {
    const tv1 = fenceTransit(coordinator({ clientTxnVersion: 2 }), 60);
    expect(tv1).toEqual({ state: 'PrepareAbort', producerId: 7, epoch: 5, lastEpoch: -1, partitions: ['p0', 'p1'], txnStartTick: 10, now: 60, txnVersion: 1 });
    const tv2 = fenceTransit(coordinator({ txnVersion: 2, clientTxnVersion: 1 }), 60);
    expect(tv2).toMatchObject({ epoch: 5, lastEpoch: 4, txnVersion: 2 });
  });

  it('only PrepareCommit and PrepareAbort owe markers', () => {
    expect(TXN_STATES.filter(isEndOf)).toEqual(['PrepareCommit', 'PrepareAbort']);
  });
});

describe('completeTransitionTo: the durable transit becomes the metadata', () => {
  const transit: Transit = { state: 'PrepareCommit', producerId: 7, epoch: 5, lastEpoch: 4, partitions: ['p0', 'p1'], txnStartTick: 10, now: 70, txnVersion: 2 };

  it('takes the transit\'s state and epochs, clears the pending state, and owes a marker to every partition of an end', () => {
    const c = coordinator({ pendingState: 'PrepareCommit', transit, markersCancelled: true, reply: { error: 'NONE', producerId: 7, producerEpoch: 4, awaitingLogAppend: true } });
    const next = completeTransit(c);
    expect(next).toEqual({
      state: 'PrepareCommit', producerId: 7, epoch: 5, lastEpoch: 4, prevProducerId: -1, partitions: ['p0', 'p1'],
      txnStartTick: 10, lastUpdateTick: 70, pendingState: null, transit: null, pendingMarkers: ['p0', 'p1'],
      markersCancelled: false, clientTxnVersion: 2,
      reply: { error: 'NONE', producerId: 7, producerEpoch: 5, awaitingLogAppend: false },
    });
    // the owed markers are a list of its own: answering one does not edit the transaction's partitions
    expect(next.pendingMarkers).not.toBe(transit.partitions);
  });

  it('a transit to a state other than Prepare* owes no markers', () => {
    for (const state of ['Empty', 'Ongoing', 'CompleteCommit', 'CompleteAbort'] as const) {
      expect(completeTransit(coordinator({ transit: { ...transit, state } })).pendingMarkers, state).toEqual([]);
    }
  });

  it('a new producer id remembers the previous one (KIP-360: its owner may still ask to bump); the same id keeps the old memory', () => {
    const rotated = completeTransit(coordinator({ prevProducerId: 3, transit: { ...transit, state: 'Empty', producerId: 9, epoch: 0, lastEpoch: -1 } }));
    expect(rotated.prevProducerId).toBe(7);
    expect(rotated.reply).toMatchObject({ producerId: 9, producerEpoch: 0 });
    expect(completeTransit(coordinator({ prevProducerId: 3, transit })).prevProducerId).toBe(3);
  });

  it('a transit made without a client version keeps the transaction\'s version', () => {
    const { txnVersion: _, ...noVersion } = transit;
    const next = completeTransit(coordinator({ clientTxnVersion: 1, transit: noVersion }));
    expect('clientTxnVersion' in next).toBe(false);
  });
});

describe('InitProducerId (prepareInitProducerIdTransit, KIP-360)', () => {
  const init = (c: CoordinatorContext, expected?: { producerId: number; producerEpoch: number }) =>
    initProducerIdVerdict(c, { type: 'txn.initProducerId', newProducerId: 42, now: 80, ...(expected ? { expected } : {}) });
  const fresh = { state: 'Empty', partitions: [], txnStartTick: -1, now: 80 };

  it('a transactional id with no producer id yet, or a Dead one, gets a new producer id at epoch 0', () => {
    for (const c of [coordinator({ producerId: -1, epoch: -1, lastEpoch: -1, state: 'Empty' }), coordinator({ state: 'Dead' })]) {
      expect(init(c)).toEqual({ kind: 'prepare', transit: { ...fresh, producerId: 42, epoch: 0, lastEpoch: -1 } });
    }
  });

  it('producer id 0 is a producer id like any other: its epoch is bumped', () => {
    expect(init(coordinator({ producerId: 0, state: 'CompleteCommit' }))).toMatchObject({ kind: 'prepare', transit: { producerId: 0, epoch: 5 } });
  });

  it('without an expected epoch (a new client instance): epoch + 1, and no last epoch (the old one is fenced for good)', () => {
    expect(init(coordinator({ state: 'CompleteAbort' }))).toEqual({ kind: 'prepare', transit: { ...fresh, producerId: 7, epoch: 5, lastEpoch: -1 } });
  });

  it('an exhausted epoch (>= Short.MAX_VALUE - 1) rotates the producer id; one below it is bumped', () => {
    expect(init(coordinator({ epoch: EPOCH_EXHAUSTED, state: 'Empty' }))).toMatchObject({ transit: { producerId: 42, epoch: 0 } });
    expect(init(coordinator({ epoch: EPOCH_EXHAUSTED - 1, state: 'Empty' }))).toMatchObject({ transit: { producerId: 7, epoch: EPOCH_EXHAUSTED } });
    // the owner bumping its own exhausted epoch rotates too
    expect(init(coordinator({ epoch: EPOCH_EXHAUSTED, state: 'Empty' }), { producerId: 7, producerEpoch: EPOCH_EXHAUSTED })).toMatchObject({ transit: { producerId: 42, epoch: 0 } });
  });

  it('the owner bumping its epoch (expected == current): epoch + 1, and the old epoch is kept as the last one', () => {
    expect(init(coordinator({ state: 'CompleteAbort' }), { producerId: 7, producerEpoch: 4 })).toEqual({
      kind: 'prepare', transit: { ...fresh, producerId: 7, epoch: 5, lastEpoch: 4 },
    });
  });

  it('the retry of a bump whose answer was lost (expected == last epoch) gets the current epoch again, also when exhausted', () => {
    expect(init(coordinator({ state: 'Empty' }), { producerId: 7, producerEpoch: 3 })).toEqual({ kind: 'current' });
    expect(init(coordinator({ state: 'Empty', epoch: EPOCH_EXHAUSTED, lastEpoch: EPOCH_EXHAUSTED - 1 }), { producerId: 7, producerEpoch: EPOCH_EXHAUSTED - 1 })).toEqual({ kind: 'current' });
  });

  it('any other expected epoch is PRODUCER_FENCED', () => {
    expect(init(coordinator({ state: 'Empty' }), { producerId: 7, producerEpoch: 2 })).toEqual({ kind: 'reply', error: 'PRODUCER_FENCED' });
    expect(init(coordinator({ state: 'Empty', epoch: EPOCH_EXHAUSTED }), { producerId: 7, producerEpoch: 2 })).toEqual({ kind: 'reply', error: 'PRODUCER_FENCED' });
  });

  it('isValidProducerId: an expected id that is neither this id\'s producer nor its exhausted predecessor is fenced', () => {
    const other = (c: CoordinatorContext, producerId: number, producerEpoch: number) =>
      initFromOtherProducer(c, { type: 'txn.initProducerId', newProducerId: 42, now: 80, expected: { producerId, producerEpoch } });
    const c = coordinator({ state: 'Empty', prevProducerId: 6 });
    expect(other(c, 7, 1)).toBe(false);
    expect(other(c, 8, 4)).toBe(true);
    // the previous producer id is accepted only when its epoch was exhausted (that is why it was rotated)
    expect(other(c, 6, EPOCH_EXHAUSTED)).toBe(false);
    expect(other(c, 6, EPOCH_EXHAUSTED - 1)).toBe(true);
    // an exhausted epoch vouches only for this id's previous producer, not for any producer id
    expect(other(c, 8, EPOCH_EXHAUSTED)).toBe(true);
    // no epoch yet (a fresh transactional id), or no expectation (a new client): nothing to compare with
    expect(other(coordinator({ epoch: -1 }), 8, 4)).toBe(false);
    expect(initFromOtherProducer(c, { type: 'txn.initProducerId', newProducerId: 42, now: 80 })).toBe(false);
    expect(init(c, { producerId: 8, producerEpoch: 4 })).toEqual({ kind: 'reply', error: 'PRODUCER_FENCED' });
  });
});

describe('VerifyPartitionsInTransaction (TV1 produce verification, read only)', () => {
  const verify = (c: CoordinatorContext, producerId = 7, producerEpoch = 4, partition = 'p0') =>
    verifyVerdict(c, { type: 'txn.verify', producerId, producerEpoch, partition });

  it('an unknown producer id mapping: no producer id, Dead, or another producer id', () => {
    expect(verify(coordinator({ producerId: -1 }), -1)).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(verify(coordinator({ state: 'Dead' }))).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(verify(coordinator(), 8)).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(verify(coordinator({ producerId: 0 }), 0)).toBe('NONE');
  });

  it('another epoch is fenced; an end under way is CONCURRENT_TRANSACTIONS', () => {
    expect(verify(coordinator(), 7, 3)).toBe('PRODUCER_FENCED');
    expect(verify(coordinator(), 7, 5)).toBe('PRODUCER_FENCED');
    expect(verify(coordinator({ state: 'PrepareCommit' }))).toBe('CONCURRENT_TRANSACTIONS');
    expect(verify(coordinator({ state: 'PrepareAbort' }))).toBe('CONCURRENT_TRANSACTIONS');
  });

  it('a partition of the transaction is verified; one never added makes the transaction abortable', () => {
    expect(verify(coordinator())).toBe('NONE');
    expect(verify(coordinator(), 7, 4, 'p2')).toBe('TRANSACTION_ABORTABLE');
    expect(verify(coordinator({ state: 'CompleteCommit' }))).toBe('NONE');
  });

  it('is blind to a pending transit (unlike AddPartitionsToTxn and EndTxn)', () => {
    expect(verify(coordinator({ pendingState: 'PrepareCommit' }))).toBe('NONE');
  });
});

describe('WriteTxnMarkers answers (TransactionMarkerRequestCompletionHandler)', () => {
  const answered = (c: CoordinatorContext, error: KafkaError, partition = 'p0', coordinatorEpoch = 2) =>
    markerAnswerAction(c, { type: 'txn.markerAnswered', partition, error, coordinatorEpoch });
  const preparing = (over: Partial<CoordinatorContext> = {}) => coordinator({ state: 'PrepareCommit', pendingMarkers: ['p0', 'p1'], ...over });

  it('NONE takes the partition off the list', () => {
    expect(answered(preparing(), 'NONE')).toBe('done');
    expect(answered(preparing({ state: 'PrepareAbort' }), 'NONE', 'p1')).toBe('done');
  });

  it('a retriable error sends the marker again', () => {
    for (const e of ['NOT_LEADER_OR_FOLLOWER', 'NOT_ENOUGH_REPLICAS', 'REQUEST_TIMED_OUT', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE'] as const) {
      expect(answered(preparing(), e), e).toBe('retry');
    }
  });

  it('a fenced epoch or coordinator cancels the markers for good', () => {
    for (const e of ['INVALID_PRODUCER_EPOCH', 'TRANSACTION_COORDINATOR_FENCED'] as const) expect(answered(preparing(), e), e).toBe('cancel');
  });

  it('an answer that is no longer awaited is stale: another coordinator epoch, no end under way, cancelled markers, a partition already done', () => {
    expect(answered(preparing(), 'NONE', 'p0', 1)).toBe('stale');
    expect(answered(preparing(), 'INVALID_PRODUCER_EPOCH', 'p0', 3)).toBe('stale');
    expect(answered(preparing({ state: 'CompleteCommit' }), 'NONE')).toBe('stale');
    expect(answered(preparing({ markersCancelled: true }), 'NONE')).toBe('stale');
    expect(answered(preparing({ pendingMarkers: ['p1'] }), 'NONE')).toBe('stale');
  });
});
