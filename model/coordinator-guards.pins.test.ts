// The transaction coordinator machine's guards at their edges (TransactionCoordinator.handleAddPartitions-
// ToTransaction, timedOutTransactions, shouldExpire, the completion of markers; research §2.3-§2.9): the
// moments just before a timeout or an expiry, a transit still pending, partitions already in the
// transaction, an InitProducerId from another producer while a transaction is under way.
import { describe, expect, it } from 'vitest';
import { coordinator } from './testing/coordinator.ts';

describe('coordinator: AddPartitionsToTxn', () => {
  it('partitions already in the transaction are answered at once, with no transit; a new one among them prepares one', () => {
    const c = coordinator();
    c.init();
    c.add(['p0', 'p1']);
    c.send({ type: 'txn.logAppended' });
    expect(c.add(['p1', 'p0'])).toMatchObject({ error: 'NONE', awaitingLogAppend: false });
    expect(c.get().context.pendingState).toBeNull();
    expect(c.add(['p0', 'p2']).awaitingLogAppend).toBe(true);
    expect(c.get().context.transit?.partitions).toEqual(['p0', 'p1', 'p2']);
  });

  it('another producer id is INVALID_PRODUCER_ID_MAPPING, another epoch PRODUCER_FENCED, in an idle and in an ongoing transaction', () => {
    const c = coordinator();
    c.init();
    expect(c.add(['p0'], 0, 101).error).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(c.add(['p0'], 0, 100, 1).error).toBe('PRODUCER_FENCED');
    c.add(['p0']);
    c.send({ type: 'txn.logAppended' });
    expect(c.add(['p0'], 0, 101).error).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(c.add(['p0'], 0, 100, 1).error).toBe('PRODUCER_FENCED');
    expect(c.get().value).toBe('Ongoing');
  });
});

describe('coordinator: timeouts and expiry', () => {
  it('a transaction is not timed out at exactly its timeout, only after it', () => {
    const c = coordinator();
    c.init();
    c.add(['p0'], 5);
    c.send({ type: 'txn.logAppended' });
    c.send({ type: 'txn.tick', now: 15 });
    expect(c.get().value).toBe('Ongoing');
    c.send({ type: 'txn.tick', now: 16 });
    expect(c.get().value).toBe('PrepareEpochFence');
  });

  it('a transaction with a transit pending is not timed out, neither by the clock nor by the cleanup task', () => {
    const c = coordinator();
    c.init();
    c.add(['p0'], 0);
    c.send({ type: 'txn.logAppended' });
    c.add(['p1'], 1);
    c.send({ type: 'txn.tick', now: 50 });
    c.send({ type: 'txn.abortTimedOut', now: 50 });
    expect(c.get().value).toBe('Ongoing');
    expect(c.get().context.pendingState).toBe('Ongoing');
    // once the transit is durable, the cleanup task aborts it
    c.send({ type: 'txn.logAppended' });
    c.send({ type: 'txn.abortTimedOut', now: 51 });
    expect(c.get().value).toBe('PrepareEpochFence');
  });

  it('an idle transactional id expires only after transactional.id.expiration.ms, and not while a transit is pending', () => {
    const c = coordinator();
    c.init(0);
    c.send({ type: 'txn.tick', now: 1000 });
    expect(c.get().context.pendingState).toBeNull();
    c.add(['p0'], 1000);
    c.send({ type: 'txn.tick', now: 5000 });
    expect(c.get().context.pendingState).toBe('Ongoing');
  });

  it('a completed transaction expires like an empty one', () => {
    const c = coordinator();
    c.init(0);
    c.request({ type: 'txn.addPartitions', producerId: 100, producerEpoch: 0, partitions: ['p0'], now: 0 });
    c.request({ type: 'txn.endTxn', producerId: 100, producerEpoch: 0, commit: false, now: 0 });
    c.send({ type: 'txn.markerAnswered', partition: 'p0', error: 'NONE', coordinatorEpoch: 0 });
    c.request({ type: 'txn.completeTxn', now: 0 });
    expect(c.get().value).toBe('CompleteAbort');
    c.send({ type: 'txn.tick', now: 1000 });
    expect(c.get().context.pendingState).toBeNull();
    c.send({ type: 'txn.tick', now: 1001 });
    expect(c.get().context.pendingState).toBe('Dead');
  });
});

describe('coordinator: completing a transaction', () => {
  const preparing = () => {
    const c = coordinator();
    c.init(0);
    c.request({ type: 'txn.addPartitions', producerId: 100, producerEpoch: 0, partitions: ['p0', 'p1'], now: 0 });
    c.request({ type: 'txn.endTxn', producerId: 100, producerEpoch: 0, commit: true, now: 1 });
    return c;
  };

  it('is not completed while a partition still owes its marker', () => {
    const c = preparing();
    c.send({ type: 'txn.markerAnswered', partition: 'p0', error: 'NONE', coordinatorEpoch: 0 });
    c.send({ type: 'txn.completeTxn', now: 2 });
    expect(c.get().context.pendingState).toBeNull();
    c.send({ type: 'txn.markerAnswered', partition: 'p1', error: 'NONE', coordinatorEpoch: 0 });
    c.send({ type: 'txn.completeTxn', now: 3 });
    expect(c.get().context.pendingState).toBe('CompleteCommit');
  });

  it('a completion already pending is not prepared again: the first one\'s time is what lands', () => {
    const c = preparing();
    c.send({ type: 'txn.markerAnswered', partition: 'p0', error: 'NONE', coordinatorEpoch: 0 });
    c.send({ type: 'txn.markerAnswered', partition: 'p1', error: 'NONE', coordinatorEpoch: 0 });
    c.send({ type: 'txn.completeTxn', now: 3 });
    c.send({ type: 'txn.completeTxn', now: 9 });
    c.send({ type: 'txn.logAppended' });
    expect(c.get().value).toBe('CompleteCommit');
    expect(c.get().context.lastUpdateTick).toBe(3);
  });

  it('a retriable marker answer keeps the partition owed', () => {
    const c = preparing();
    c.send({ type: 'txn.markerAnswered', partition: 'p0', error: 'NOT_ENOUGH_REPLICAS', coordinatorEpoch: 0 });
    expect(c.get().context).toMatchObject({ pendingMarkers: ['p0', 'p1'], markersCancelled: false });
  });
});

describe('coordinator: InitProducerId while a transaction is under way', () => {
  it('KIP-360: an InitProducerId expecting another producer id is PRODUCER_FENCED, not a fence of this transaction', () => {
    const c = coordinator();
    c.init(0);
    c.request({ type: 'txn.addPartitions', producerId: 100, producerEpoch: 0, partitions: ['p0'], now: 0 });
    expect(c.send({ type: 'txn.initProducerId', newProducerId: 200, now: 1, expected: { producerId: 55, producerEpoch: 0 } }).error).toBe('PRODUCER_FENCED');
    expect(c.get().value).toBe('Ongoing');
    c.request({ type: 'txn.endTxn', producerId: 100, producerEpoch: 0, commit: true, now: 1 });
    expect(c.send({ type: 'txn.initProducerId', newProducerId: 200, now: 1, expected: { producerId: 55, producerEpoch: 0 } }).error).toBe('PRODUCER_FENCED');
    expect(c.send({ type: 'txn.initProducerId', newProducerId: 200, now: 1, expected: { producerId: 100, producerEpoch: 0 } }).error).toBe('CONCURRENT_TRANSACTIONS');
  });

  it('an InitProducerId while its own bump is pending answers CONCURRENT_TRANSACTIONS', () => {
    const c = coordinator();
    c.init(0);
    c.send({ type: 'txn.initProducerId', newProducerId: 100, now: 1 });
    expect(c.send({ type: 'txn.initProducerId', newProducerId: 100, now: 1 }).error).toBe('CONCURRENT_TRANSACTIONS');
  });

  it('the retry of a lost bump answer is answered NONE with the current epoch and prepares nothing', () => {
    const c = coordinator();
    c.init(0);
    c.request({ type: 'txn.initProducerId', newProducerId: 100, now: 1, expected: { producerId: 100, producerEpoch: 0 } });
    const r = c.send({ type: 'txn.initProducerId', newProducerId: 100, now: 2, expected: { producerId: 100, producerEpoch: 0 } });
    expect(r).toMatchObject({ error: 'NONE', producerId: 100, producerEpoch: 1, awaitingLogAppend: false });
    expect(c.get().context.pendingState).toBeNull();
  });
});
