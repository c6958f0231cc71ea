// The partition leader's append rules, one Kafka rule per test, with expectations worked out by hand from
// ProducerAppendInfo / UnifiedLog (research §1.2, §3).
import { describe, expect, it } from 'vitest';
import { fetchFrom } from './fetch.ts';
import { type PartitionEvent, lastStableOffset, partitionMachine } from './partition.machine.ts';
import { stepperFor } from './step.ts';
import { INT32_MAX, type TxnVersion } from './types.ts';

function leader(txnVersion: TxnVersion = 1) {
  const m = stepperFor(partitionMachine, { key: 0, txnVersion });
  let s = m.initial({ key: 0, txnVersion });
  // Every append is replicated at once (acks=all, followers in sync), as the cluster does by default.
  const send = (ev: PartitionEvent) => {
    s = m.step(s, ev);
    const reply = s.context.reply;
    s = m.step(s, { type: 'partition.replicate' });
    return reply;
  };
  const produce = (producerId: number, producerEpoch: number, sequence: number, value: number, transactional = false, verified = true) =>
    send({ type: 'partition.produce', request: { producerId, producerEpoch, sequence, value, transactional }, verified });
  const marker = (producerId: number, producerEpoch: number, commit: boolean, coordinatorEpoch = 0) =>
    send({ type: 'partition.writeTxnMarker', producerId, producerEpoch, commit, coordinatorEpoch });
  return { produce, marker, get: () => s };
}

describe('partition leader: sequence rules (ProducerAppendInfo.checkSequence)', () => {
  it('accepts any first sequence when it has no state for the producer', () => {
    const l = leader();
    expect(l.produce(7, 0, 42, 1)).toEqual({ error: 'NONE', offset: 0, duplicate: false });
    expect(l.produce(7, 0, 43, 2).offset).toBe(1);
  });

  it('rejects a gap and a new epoch that does not start at 0', () => {
    const l = leader();
    l.produce(7, 0, 0, 1);
    expect(l.produce(7, 0, 2, 2).error).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(l.produce(7, 1, 1, 3).error).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(l.produce(7, 1, 0, 4)).toEqual({ error: 'NONE', offset: 1, duplicate: false });
  });

  it('wraps from Integer.MAX_VALUE to 0', () => {
    const l = leader();
    l.produce(7, 0, INT32_MAX, 1);
    expect(l.produce(7, 0, 0, 2).error).toBe('NONE');
  });

  it('answers a duplicate of one of the last 5 batches with its original offset, and appends nothing', () => {
    const l = leader();
    for (let seq = 0; seq < 6; seq++) l.produce(7, 0, seq, 100 + seq);
    expect(l.produce(7, 0, 1, 999)).toEqual({ error: 'NONE', offset: 1, duplicate: true });
    // seq 0 has left the 5-batch window: it is no longer a duplicate, just out of order
    expect(l.produce(7, 0, 0, 999).error).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(l.get().context.log).toHaveLength(6);
  });

  it('rejects a lower epoch with INVALID_PRODUCER_EPOCH', () => {
    const l = leader();
    l.produce(7, 3, 0, 1);
    expect(l.produce(7, 2, 1, 2).error).toBe('INVALID_PRODUCER_EPOCH');
  });
});

describe('partition leader: transactions, markers and the LSO', () => {
  it('refuses an unverified transactional write and a plain write inside an open transaction', () => {
    const l = leader();
    expect(l.produce(7, 0, 0, 1, true, false).error).toBe('INVALID_TXN_STATE');
    expect(l.produce(7, 0, 0, 1, true, true).error).toBe('NONE');
    expect(l.get().value).toBe('unstable');
    expect(l.produce(7, 0, 1, 2, false).error).toBe('INVALID_TXN_STATE');
  });

  it('reproduces Kafka\'s interleaving example: read_committed sees exactly x1@0 and x2@3 (research §3.5)', () => {
    const l = leader();
    const [P1, P2] = [1, 2];
    l.produce(P2, 0, 0, 10, true); // x1
    l.produce(P1, 0, 0, 20, true); // y1
    l.produce(P1, 0, 1, 21, true); // y2
    l.produce(P2, 0, 1, 11, true); // x2
    expect(lastStableOffset(l.get().context)).toBe(0);
    expect(l.marker(P1, 0, false).offset).toBe(4);
    expect(lastStableOffset(l.get().context)).toBe(0); // P2 still open from offset 0
    expect(l.marker(P2, 0, true).offset).toBe(5);
    const c = l.get().context;
    expect(lastStableOffset(c)).toBe(6);
    expect(l.get().value).toBe('stable');
    expect(c.abortedIndex).toEqual([{ producerId: P1, firstOffset: 1, lastOffset: 4 }]);
    expect(fetchFrom(c, 0, true)).toEqual({ records: [[0, 10], [3, 11]], nextOffset: 6 });
    expect(fetchFrom(c, 0, false).records).toEqual([[0, 10], [1, 20], [2, 21], [3, 11]]);
  });

  it('TV1 accepts a marker at the current epoch; TV2 rejects it while the transaction is open (KAFKA-19999)', () => {
    const v1 = leader(1);
    v1.produce(7, 0, 0, 1, true);
    expect(v1.marker(7, 0, true).error).toBe('NONE');
    const v2 = leader(2);
    v2.produce(7, 0, 0, 1, true);
    expect(v2.marker(7, 0, true).error).toBe('INVALID_PRODUCER_EPOCH');
    expect(v2.marker(7, 1, true).error).toBe('NONE');
    // the idempotent retry of the same marker, with nothing open, is accepted and takes an offset
    expect(v2.marker(7, 1, true)).toEqual({ error: 'NONE', offset: 2, duplicate: false });
    // after the TV2 bump the batch cache is gone: the next transaction starts at sequence 0
    expect(v2.produce(7, 1, 1, 2, true).error).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
  });

  it('fences a zombie coordinator by coordinator epoch', () => {
    const l = leader();
    l.produce(7, 0, 0, 1, true);
    l.marker(7, 0, true, 3);
    l.produce(7, 0, 1, 2, true);
    expect(l.marker(7, 0, false, 2).error).toBe('TRANSACTION_COORDINATOR_FENCED');
  });
});
