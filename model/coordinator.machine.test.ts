// The transaction coordinator: two-phase transitions, the EndTxn tables of TV1 and TV2, fencing and timeouts
// (research §2.3-§2.9). Expectations are Kafka's tables, applied by hand.
import { describe, expect, it } from 'vitest';
import { coordinator } from './testing/coordinator.ts';

describe('coordinator: two-phase transitions', () => {
  it('answers CONCURRENT_TRANSACTIONS while a transit is pending, then applies it on the log append', () => {
    const c = coordinator(1);
    c.request({ type: 'txn.initProducerId', newProducerId: 100, now: 0 });
    expect(c.send({ type: 'txn.addPartitions', producerId: 100, producerEpoch: 0, partitions: ['p0'], now: 1 }).awaitingLogAppend).toBe(true);
    expect(c.get().value).toBe('Empty');
    expect(c.get().context.pendingState).toBe('Ongoing');
    expect(c.send({ type: 'txn.addPartitions', producerId: 100, producerEpoch: 0, partitions: ['p1'], now: 1 }).error).toBe('CONCURRENT_TRANSACTIONS');
    c.send({ type: 'txn.logAppended' });
    expect(c.get().value).toBe('Ongoing');
    expect(c.get().context.partitions).toEqual(['p0']);
  });

  it('drops a transit whose log append failed', () => {
    const c = coordinator(1);
    c.request({ type: 'txn.initProducerId', newProducerId: 100, now: 0 });
    c.send({ type: 'txn.addPartitions', producerId: 100, producerEpoch: 0, partitions: ['p0'], now: 1 });
    expect(c.send({ type: 'txn.logAppendFailed' }).error).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(c.get().value).toBe('Empty');
    expect(c.get().context.pendingState).toBeNull();
  });
});

describe('coordinator: EndTxn', () => {
  it('TV1: commit goes through PrepareCommit to CompleteCommit at the same epoch; a retry gets NONE, an abort INVALID_TXN_STATE', () => {
    const c = coordinator(1);
    const { producerId, producerEpoch } = c.begin();
    expect(c.request({ type: 'txn.endTxn', producerId, producerEpoch, commit: true, now: 1 }).error).toBe('NONE');
    expect(c.get().value).toBe('PrepareCommit');
    expect(c.get().context.pendingMarkers).toEqual(['p0', 'p1']);
    c.finishMarkers();
    expect(c.get().value).toBe('CompleteCommit');
    expect(c.get().context.epoch).toBe(0);
    expect(c.request({ type: 'txn.endTxn', producerId, producerEpoch, commit: true, now: 2 }).error).toBe('NONE');
    expect(c.request({ type: 'txn.endTxn', producerId, producerEpoch, commit: false, now: 2 }).error).toBe('INVALID_TXN_STATE');
    expect(c.request({ type: 'txn.endTxn', producerId, producerEpoch: 5, commit: true, now: 2 }).error).toBe('PRODUCER_FENCED');
  });

  it('TV2: every end bumps the epoch, the retry at the old epoch gets NONE, and an empty abort is allowed', () => {
    const c = coordinator(2);
    const { producerId, producerEpoch } = c.begin();
    const r = c.request({ type: 'txn.endTxn', producerId, producerEpoch, commit: true, now: 1 });
    expect(r).toMatchObject({ error: 'NONE', producerId, producerEpoch: producerEpoch + 1 });
    c.finishMarkers();
    expect(c.request({ type: 'txn.endTxn', producerId, producerEpoch, commit: true, now: 2 }).error).toBe('NONE');
    // the empty abort: CompleteCommit at the current epoch → PrepareAbort, epoch + 1
    expect(c.request({ type: 'txn.endTxn', producerId, producerEpoch: producerEpoch + 1, commit: false, now: 2 }).producerEpoch).toBe(producerEpoch + 2);
    expect(c.get().value).toBe('PrepareAbort');
  });

  it('TV1 refuses an abort from Empty; TV2 allows it', () => {
    for (const [tv, error] of [[1, 'INVALID_TXN_STATE'], [2, 'NONE']] as const) {
      const c = coordinator(tv);
      const { producerId, producerEpoch } = c.request({ type: 'txn.initProducerId', newProducerId: 100, now: 0 });
      expect(c.request({ type: 'txn.endTxn', producerId, producerEpoch, commit: false, now: 1 }).error).toBe(error);
    }
  });
});

describe('coordinator: fencing and timeouts', () => {
  it('InitProducerId on an Ongoing transaction fences: CONCURRENT_TRANSACTIONS, abort at epoch + 1, then epoch + 2', () => {
    const c = coordinator(1);
    const { producerEpoch } = c.begin();
    expect(c.request({ type: 'txn.initProducerId', newProducerId: 200, now: 1 }).error).toBe('CONCURRENT_TRANSACTIONS');
    expect(c.get().value).toBe('PrepareEpochFence');
    c.send({ type: 'txn.logAppended' });
    expect(c.get().value).toBe('PrepareAbort');
    expect(c.get().context.epoch).toBe(producerEpoch + 1);
    c.finishMarkers();
    expect(c.request({ type: 'txn.initProducerId', newProducerId: 200, now: 2 })).toMatchObject({ error: 'NONE', producerId: 100, producerEpoch: producerEpoch + 2 });
  });

  it('a failover loses a prepared fence: the transaction is Ongoing again at the old epoch', () => {
    const c = coordinator(1);
    const { producerEpoch } = c.begin();
    c.send({ type: 'txn.initProducerId', newProducerId: 200, now: 1 });
    c.send({ type: 'txn.failover' });
    expect(c.get().value).toBe('Ongoing');
    expect(c.get().context).toMatchObject({ epoch: producerEpoch, pendingState: null, coordinatorEpoch: 1 });
  });

  it('a failover during PrepareCommit re-sends every marker', () => {
    const c = coordinator(1);
    const { producerId, producerEpoch } = c.begin();
    c.request({ type: 'txn.endTxn', producerId, producerEpoch, commit: true, now: 1 });
    c.send({ type: 'txn.markerAnswered', partition: 'p0', error: 'NONE', coordinatorEpoch: 0 });
    expect(c.get().context.pendingMarkers).toEqual(['p1']);
    c.send({ type: 'txn.failover' });
    expect(c.get().context.pendingMarkers).toEqual(['p0', 'p1']);
    // An answer to the old coordinator's marker no longer counts.
    c.send({ type: 'txn.markerAnswered', partition: 'p0', error: 'NONE', coordinatorEpoch: 0 });
    expect(c.get().context.pendingMarkers).toEqual(['p0', 'p1']);
  });

  it('a refused marker leaves the transaction in PrepareCommit, sending no more markers, until a new coordinator loads it', () => {
    const c = coordinator(1);
    const { producerId, producerEpoch } = c.begin();
    c.request({ type: 'txn.endTxn', producerId, producerEpoch, commit: true, now: 1 });
    c.send({ type: 'txn.markerAnswered', partition: 'p0', error: 'NONE', coordinatorEpoch: 0 });
    c.send({ type: 'txn.markerAnswered', partition: 'p1', error: 'INVALID_PRODUCER_EPOCH', coordinatorEpoch: 0 });
    expect(c.get().context).toMatchObject({ pendingMarkers: ['p1'], markersCancelled: true });
    c.send({ type: 'txn.completeTxn', now: 2 });
    expect(c.get().value).toBe('PrepareCommit');
    expect(c.get().context.pendingState).toBeNull();
    // A retriable answer keeps the partition pending and the markers going.
    c.send({ type: 'txn.failover' });
    c.send({ type: 'txn.markerAnswered', partition: 'p0', error: 'NOT_LEADER_OR_FOLLOWER', coordinatorEpoch: 1 });
    expect(c.get().context).toMatchObject({ pendingMarkers: ['p0', 'p1'], markersCancelled: false });
  });

  it('times out an Ongoing transaction only after the timeout, fencing its epoch', () => {
    const c = coordinator(1);
    const { producerEpoch } = c.begin(0);
    c.send({ type: 'txn.tick', now: 10 });
    expect(c.get().value).toBe('Ongoing');
    c.send({ type: 'txn.tick', now: 11 });
    expect(c.get().value).toBe('PrepareEpochFence');
    c.send({ type: 'txn.logAppended' });
    expect(c.get().context).toMatchObject({ state: 'PrepareAbort', epoch: producerEpoch + 1, lastEpoch: -1 });
  });

  it('expires an idle transactional id to Dead, and a new InitProducerId starts with a new producer id', () => {
    const c = coordinator(1);
    c.request({ type: 'txn.initProducerId', newProducerId: 100, now: 0 });
    c.send({ type: 'txn.tick', now: 1001 });
    c.send({ type: 'txn.logAppended' });
    expect(c.get().value).toBe('Dead');
    expect(c.request({ type: 'txn.initProducerId', newProducerId: 300, now: 1002 })).toMatchObject({ producerId: 300, producerEpoch: 0 });
  });
});
