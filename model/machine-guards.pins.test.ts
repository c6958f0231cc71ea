// The machines' guards at their edges: the cases next to the ones the machine tests already show (equal
// epochs, another producer's open transaction, the marker's own transaction version, a second pending
// transaction), each a Kafka rule with the answer Kafka gives (ProducerAppendInfo, UnifiedLog.appendEndTxnMarker,
// OffsetMetadataManager, research §1.2, §2.9, §3).
import { describe, expect, it } from 'vitest';
import { type ConsumerEvent, consumerMachine } from './consumer.machine.ts';
import { type GroupEvent, groupMachine } from './group.machine.ts';
import { type PartitionEvent, partitionMachine } from './partition.machine.ts';
import { stepperFor } from './step.ts';
import type { TxnVersion } from './types.ts';

/** A partition leader whose appends are replicated as they land unless `replicate` is false. */
function leader(txnVersion: TxnVersion = 1) {
  const m = stepperFor(partitionMachine, { key: 0, txnVersion });
  let s = m.initial({ key: 0, txnVersion });
  const send = (ev: PartitionEvent, replicate = true) => {
    s = m.step(s, ev);
    const reply = s.context.reply;
    if (replicate) s = m.step(s, { type: 'partition.replicate' });
    return reply;
  };
  const produce = (producerId: number, producerEpoch: number, sequence: number, transactional = false, verified = true) =>
    send({ type: 'partition.produce', request: { producerId, producerEpoch, sequence, value: 100 + sequence, transactional }, verified });
  const marker = (producerId: number, producerEpoch: number, commit: boolean, extra: { coordinatorEpoch?: number; txnVersion?: TxnVersion } = {}) =>
    send({ type: 'partition.writeTxnMarker', producerId, producerEpoch, commit, coordinatorEpoch: extra.coordinatorEpoch ?? 0, ...(extra.txnVersion ? { txnVersion: extra.txnVersion } : {}) });
  return { send, produce, marker, get: () => s };
}

describe('partition leader: who may write into a transaction', () => {
  it('a transactional write the coordinator did not vouch for is accepted while its own transaction is open at that epoch', () => {
    const l = leader();
    l.produce(7, 0, 0, true, true);
    expect(l.produce(7, 0, 1, true, false).error).toBe('NONE');
  });

  it('an open transaction of an older epoch does not cover an unverified write of the new epoch', () => {
    const l = leader();
    l.produce(7, 0, 0, true, true);
    expect(l.produce(7, 1, 0, true, false).error).toBe('INVALID_TXN_STATE');
    expect(l.produce(7, 1, 0, true, true).error).toBe('NONE');
  });

  it('verification is for transactional writes only: an unverified plain write is appended', () => {
    expect(leader().produce(7, 0, 0, false, false).error).toBe('NONE');
  });

  it('a plain write is refused only from the producer whose transaction is open, not from another producer', () => {
    const l = leader();
    l.produce(7, 0, 0, true);
    expect(l.get().value).toBe('unstable');
    expect(l.produce(8, 0, 0, false)).toEqual({ error: 'NONE', offset: 1, duplicate: false });
    expect(l.produce(7, 0, 1, false).error).toBe('INVALID_TXN_STATE');
    // once its transaction is ended, the same producer may write plainly again
    l.marker(7, 0, true);
    expect(l.produce(7, 0, 1, false).error).toBe('NONE');
  });

  it('only the first transactional write opens a transaction; a plain write does not', () => {
    const l = leader();
    l.produce(7, 0, 0, false);
    expect(l.get().value).toBe('stable');
    expect(l.get().context.ongoingTxns).toEqual({});
    l.produce(7, 0, 1, true);
    expect(l.get().context.ongoingTxns).toEqual({ 7: 1 });
    l.produce(7, 0, 2, true);
    expect(l.get().context.ongoingTxns).toEqual({ 7: 1 });
  });

  it('the same epoch is not stale: a producer keeps writing at its epoch; a lower one is fenced, a first write at any epoch is taken', () => {
    const l = leader();
    expect(l.produce(7, 5, 0).error).toBe('NONE');
    expect(l.produce(7, 5, 1).error).toBe('NONE');
    expect(l.produce(7, 4, 0).error).toBe('INVALID_PRODUCER_EPOCH');
  });
});

describe('partition leader: transaction markers', () => {
  it('the partition stays unstable while another producer\'s transaction is open after one is ended', () => {
    const l = leader();
    l.produce(1, 0, 0, true);
    l.produce(2, 0, 0, true);
    l.marker(1, 0, true);
    expect(l.get().value).toBe('unstable');
    // and producer 2 is still held to its open transaction
    expect(l.produce(2, 0, 1, false).error).toBe('INVALID_TXN_STATE');
    l.marker(2, 0, false);
    expect(l.get().value).toBe('stable');
  });

  it('a marker for a producer with nothing open here, while another\'s transaction is open, keeps the partition unstable', () => {
    const l = leader();
    l.produce(1, 0, 0, true);
    expect(l.marker(3, 0, false).error).toBe('NONE');
    expect(l.get().value).toBe('unstable');
    expect(l.produce(1, 0, 1, false).error).toBe('INVALID_TXN_STATE');
  });

  it('TV1: a marker of an older epoch is INVALID_PRODUCER_EPOCH; one of a newer epoch is accepted', () => {
    const l = leader(1);
    l.produce(7, 2, 0, true);
    expect(l.marker(7, 1, false).error).toBe('INVALID_PRODUCER_EPOCH');
    expect(l.marker(7, 3, false).error).toBe('NONE');
  });

  it('TV2: a marker of an older epoch is INVALID_PRODUCER_EPOCH, also with nothing open', () => {
    const l = leader(2);
    l.produce(7, 2, 0, true);
    l.marker(7, 3, true);
    expect(l.marker(7, 2, true).error).toBe('INVALID_PRODUCER_EPOCH');
  });

  it('the marker\'s own transaction version decides the epoch rule, not the partition\'s default (KIP-1228)', () => {
    const tv1Partition = leader(1);
    tv1Partition.produce(7, 0, 0, true);
    expect(tv1Partition.marker(7, 0, true, { txnVersion: 2 }).error).toBe('INVALID_PRODUCER_EPOCH');
    const tv2Partition = leader(2);
    tv2Partition.produce(7, 0, 0, true);
    expect(tv2Partition.marker(7, 0, true, { txnVersion: 1 }).error).toBe('NONE');
  });

  it('a marker from the same coordinator epoch as the last one is accepted; an older coordinator is fenced', () => {
    const l = leader();
    l.produce(7, 0, 0, true);
    expect(l.marker(7, 0, true, { coordinatorEpoch: 3 }).error).toBe('NONE');
    l.produce(7, 0, 1, true);
    expect(l.marker(7, 0, true, { coordinatorEpoch: 3 }).error).toBe('NONE');
    l.produce(7, 0, 2, true);
    expect(l.marker(7, 0, true, { coordinatorEpoch: 2 }).error).toBe('TRANSACTION_COORDINATOR_FENCED');
  });
});

describe('partition leader: the high watermark follows replication', () => {
  it('an append is not below the high watermark until replicated; replicating again changes nothing', () => {
    const l = leader();
    l.send({ type: 'partition.produce', request: { producerId: 7, producerEpoch: 0, sequence: 0, value: 1, transactional: false }, verified: true }, false);
    expect(l.get().context.highWatermark).toBe(0);
    l.send({ type: 'partition.replicate' }, false);
    expect(l.get().context.highWatermark).toBe(1);
  });
});

function group() {
  const m = stepperFor(groupMachine, { groupId: 'g' });
  let s = m.initial({ groupId: 'g' });
  const send = (ev: GroupEvent) => { s = m.step(s, ev); return s.context.reply.error; };
  const txnCommit = (producerId: number, producerEpoch: number, offsets: Record<number, number>, verified = true) =>
    send({ type: 'group.txnOffsetCommit', producerId, producerEpoch, offsets, verified });
  const marker = (producerId: number, producerEpoch: number, commit: boolean) => send({ type: 'group.writeTxnMarker', producerId, producerEpoch, commit });
  return { send, txnCommit, marker, get: () => s };
}

describe('group coordinator: transactional offsets', () => {
  it('a producer\'s first TxnOffsetCommit is taken at any epoch; the same epoch again too; an older one is fenced', () => {
    const g = group();
    expect(g.txnCommit(7, 0, { 0: 5 })).toBe('NONE');
    expect(g.txnCommit(7, 0, { 1: 6 })).toBe('NONE');
    g.marker(7, 1, true);
    expect(g.txnCommit(7, 0, { 0: 9 })).toBe('INVALID_PRODUCER_EPOCH');
    expect(g.marker(7, 0, false)).toBe('INVALID_PRODUCER_EPOCH');
  });

  it('a TxnOffsetCommit its verification found fenced is INVALID_PRODUCER_EPOCH, though the group never saw the newer epoch', () => {
    // The fence aborted a transaction that had no offsets here: no marker told the group. Without the
    // verification's answer the group would say INVALID_TXN_STATE (Kafka: INVALID_PRODUCER_EPOCH).
    const g = group();
    expect(g.send({ type: 'group.txnOffsetCommit', producerId: 7, producerEpoch: 3, offsets: { 0: 5 }, verified: false, fenced: true })).toBe('INVALID_PRODUCER_EPOCH');
    expect(g.get().context.pendingTxnOffsets).toEqual({});
    expect(g.txnCommit(7, 3, { 0: 5 }, false)).toBe('INVALID_TXN_STATE');
  });

  it('another producer\'s epochs do not fence this one', () => {
    const g = group();
    g.txnCommit(8, 5, { 0: 1 });
    expect(g.txnCommit(7, 0, { 1: 2 })).toBe('NONE');
  });

  it('an unverified TxnOffsetCommit is taken only into a transaction already holding offsets at that epoch', () => {
    const g = group();
    expect(g.txnCommit(7, 0, { 0: 5 }, false)).toBe('INVALID_TXN_STATE');
    g.txnCommit(7, 0, { 0: 5 });
    expect(g.txnCommit(7, 0, { 1: 6 }, false)).toBe('NONE');
    // the producer's next epoch has no transaction here yet
    expect(g.txnCommit(7, 1, { 1: 7 }, false)).toBe('INVALID_TXN_STATE');
  });

  it('two transactions holding offsets: committing one leaves the other pending, and its commit still lands', () => {
    const g = group();
    g.txnCommit(1, 0, { 0: 10 });
    g.txnCommit(2, 0, { 1: 20 });
    g.marker(1, 0, true);
    expect(g.get().value).toBe('pendingTxnOffsets');
    expect(g.get().context.committed[0]?.offset).toBe(10);
    g.marker(2, 0, true);
    expect(g.get().context.committed[1]?.offset).toBe(20);
    expect(g.get().value).toBe('stable');
  });
});

describe('consumer: only assigned partitions move', () => {
  it('a fetch or seek for a partition it is not assigned leaves the positions alone', () => {
    const m = stepperFor(consumerMachine, { consumerId: 'c' });
    let s = m.initial({ consumerId: 'c' });
    const send = (ev: ConsumerEvent) => { s = m.step(s, ev); };
    send({ type: 'consumer.assign', keys: [0], groupId: 'g', readCommitted: true, committed: { 0: 3 } });
    send({ type: 'consumer.fetched', key: 1, nextOffset: 9 });
    send({ type: 'consumer.seek', key: 1, offset: 9 });
    expect(s.context.position).toEqual({ 0: 3 });
    send({ type: 'consumer.fetched', key: 0, nextOffset: 5 });
    expect(s.context.position).toEqual({ 0: 5 });
  });
});
