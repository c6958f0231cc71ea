// Each documented cause from a hand-made broker view, for an `unseen` and a `lost-write`.
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../jepsen-style/anomaly.ts';
import { attribute, explainShortKey, type AttributionInput, type Cause } from './attribution.ts';
import type { KeyFacts, WriteFact } from './history-facts.ts';
import type { HangingTransaction } from './hanging.ts';
import type { PartitionView } from './snapshot.ts';
import { log, openProducer, partition, txn } from './testing.ts';

const write = (value: number, op: number, type: WriteFact['type'] = 'ok'): WriteFact => ({ value, op, type, process: 0, atSeconds: 1 });

/** Key 0 (t0/0): acknowledged writes 10 at offset 0, 11 at 2, 12 at 3; reads reached offset 0. */
function facts(): Map<number, KeyFacts> {
  return new Map([[0, { key: 0, lastAcked: 3, lastRead: 0, writes: new Map([[0, write(10, 5)], [2, write(11, 7)], [3, write(12, 9)]]) }]]);
}

const unseen: Anomaly = { type: 'unseen', allowed: false, key: 0, values: [11, 12], count: 2, ops: [7, 9], explanation: 'unseen' };

function input(view: PartitionView | null, extra: Partial<AttributionInput> = {}): AttributionInput {
  return {
    anomalies: [unseen], facts: facts(), keyPartition: () => ({ topic: 't0', partition: 0 }),
    partitions: view ? [view] : null, transactions: [], hanging: [], runStartMs: 0, atMs: 100_000, detectorRan: false, hangingThresholdMs: 55_000, ...extra,
  };
}

const causes = (i: AttributionInput): Cause[] => attribute(i).map((a) => a.cause);

// The committed log of key 0: writes 10, 11, 12 of producer 1 in one transaction, then its commit.
const committed = () => log([0, { pid: 1, values: [10] }], [1, { pid: 9, txn: false, values: [99] }], [2, { pid: 1, values: [11, 12] }], [4, { pid: 1, marker: 'COMMIT' }]);

describe('attribute', () => {
  it('read-never-reached: committed, below the LSO, readable', () => {
    const a = attribute(input(partition('t0', 0, { batches: committed() })));
    expect(a.map((x) => [x.value, x.offset, x.cause])).toEqual([[11, 2, 'read-never-reached'], [12, 3, 'read-never-reached']]);
    expect(a[0]!.evidence).toContain('no read got past offset 0');
  });

  it('hanging-transaction: the LSO is held below the write by a transaction its coordinator no longer has', () => {
    // Producer 2 opened a transaction at offset 2 (value 11's place taken by its record) and never ended it.
    const batches = log([0, { pid: 1, values: [10] }], [1, { pid: 1, marker: 'COMMIT' }], [2, { pid: 1, values: [11] }], [3, { pid: 3, values: [12] }], [4, { pid: 3, marker: 'COMMIT' }]);
    const view = partition('t0', 0, { batches, lastStableOffset: 2, producers: [openProducer(1, 4, 2)] });
    const i = input(view, { transactions: [txn('tx-1', 1, 'CompleteAbort', { producerEpoch: 5 })] });
    expect(causes(i)).toEqual(['hanging-transaction', 'hanging-transaction']);
    expect(attribute(i)[1]!.evidence).toMatch(/LSO is held at 2 by producer 1 epoch 4.*reports tx-1 CompleteAbort at epoch 5, without t0-0/);
  });

  it('hanging-transaction at once when the coordinator has moved on, however young the transaction', () => {
    const batches = log([0, { pid: 1, values: [10] }], [1, { pid: 1, marker: 'COMMIT' }], [2, { pid: 1, values: [11], time: 95_000 }], [3, { pid: 3, values: [12] }], [4, { pid: 3, marker: 'COMMIT' }]);
    const view = partition('t0', 0, { batches, lastStableOffset: 2, producers: [openProducer(1, 0, 2, 95_000)] });
    expect(causes(input(view, { transactions: [txn('tx-1', 1, 'CompleteAbort', { producerEpoch: 1 })], detectorRan: true }))).toEqual(['hanging-transaction', 'hanging-transaction']);
  });

  it('open-transaction: the holder is ongoing at its coordinator, with this partition, within its timeout', () => {
    const batches = log([0, { pid: 1, values: [10] }], [1, { pid: 1, marker: 'COMMIT' }], [2, { pid: 1, values: [11], time: 90_000 }], [3, { pid: 3, values: [12] }], [4, { pid: 3, marker: 'COMMIT' }]);
    const view = partition('t0', 0, { batches, lastStableOffset: 2, producers: [openProducer(1, 0, 2, 90_000)] });
    const ongoing = txn('tx-1', 1, 'Ongoing', { partitions: ['t0-0'], startTimeMs: 90_000 });
    expect(causes(input(view, { transactions: [ongoing] }))).toEqual(['open-transaction', 'open-transaction']);
    // The same, past its threshold: hanging.
    expect(causes(input(view, { transactions: [ongoing], atMs: 200_000 }))).toEqual(['hanging-transaction', 'hanging-transaction']);
    // The same, flagged by the detector during the run: hanging.
    const flagged = { topic: 't0', partition: 0, producerId: 1, startOffset: 2, sinceMs: 5_000 } as HangingTransaction;
    expect(causes(input(view, { transactions: [ongoing], hanging: [flagged] }))).toEqual(['hanging-transaction', 'hanging-transaction']);
  });

  it('with the detector watching, its findings alone decide overdue: a long wall-clock age is not enough', () => {
    const batches = log([0, { pid: 1, values: [10] }], [1, { pid: 1, marker: 'COMMIT' }], [2, { pid: 1, values: [11], time: 5_000 }], [3, { pid: 3, values: [12] }], [4, { pid: 3, marker: 'COMMIT' }]);
    const view = partition('t0', 0, { batches, lastStableOffset: 2, producers: [openProducer(1, 0, 2, 5_000)] });
    const aborting = txn('tx-1', 1, 'PrepareAbort', { partitions: ['t0-0'], producerEpoch: 1 });
    expect(causes(input(view, { transactions: [aborting], atMs: 200_000, detectorRan: true }))).toEqual(['open-transaction', 'open-transaction']);
    expect(causes(input(view, { transactions: [aborting], atMs: 200_000, detectorRan: false }))).toEqual(['hanging-transaction', 'hanging-transaction']);
  });

  it('leader-unavailable: no leader, or a read the leader did not serve', () => {
    expect(causes(input(partition('t0', 0, { leader: -1, isr: [], batches: committed() })))).toEqual(['leader-unavailable', 'leader-unavailable']);
    const timedOut = partition('t0', 0, { read: { from: 0, error: 'SocketTimeoutException: Read timed out', batches: [] } });
    const a = attribute(input(timedOut));
    expect(a.map((x) => x.cause)).toEqual(['leader-unavailable', 'leader-unavailable']);
    expect(a[0]!.evidence).toContain('Read timed out');
  });

  it('absent-from-log: another value, a marker or nothing at the offset', () => {
    const other = log([0, { pid: 1, values: [10] }], [1, { pid: 9, txn: false, values: [99] }], [2, { pid: 1, values: [77, 12] }], [4, { pid: 1, marker: 'COMMIT' }]);
    expect(causes(input(partition('t0', 0, { batches: other })))).toEqual(['absent-from-log', 'read-never-reached']);
    const short = log([0, { pid: 1, values: [10] }], [1, { pid: 1, marker: 'COMMIT' }]);
    const a = attribute(input(partition('t0', 0, { batches: short })));
    expect(a.map((x) => x.cause)).toEqual(['absent-from-log', 'absent-from-log']);
    expect(a[0]!.evidence).toContain('no record at offset 2');
  });

  it('aborted-in-log: the record is there, but its transaction was aborted', () => {
    const aborted = log([0, { pid: 1, values: [10] }], [1, { pid: 9, txn: false, values: [99] }], [2, { pid: 1, values: [11, 12] }], [4, { pid: 1, epoch: 1, marker: 'ABORT' }]);
    const a = attribute(input(partition('t0', 0, { batches: aborted })));
    expect(a.map((x) => x.cause)).toEqual(['aborted-in-log', 'aborted-in-log']);
    expect(a[0]!.evidence).toContain('aborted by the marker at 4 (epoch 1)');
  });

  it('read-past for a lost-write whose record is committed and readable', () => {
    const lost: Anomaly = { type: 'lost-write', allowed: false, key: 0, values: [11], offsets: [2], ops: [7, 20], explanation: 'lost' };
    expect(causes(input(partition('t0', 0, { batches: committed() }), { anomalies: [lost] }))).toEqual(['read-past']);
  });

  it('unattributed without a snapshot or an offset', () => {
    expect(causes(input(null))).toEqual(['unattributed', 'unattributed']);
    const noOffset: Anomaly = { ...unseen, values: [55] };
    expect(causes(input(partition('t0', 0, { batches: committed() }), { anomalies: [noOffset] }))).toEqual(['unattributed']);
  });

  it('explains a short key by the first acknowledged write past its last read', () => {
    const x = explainShortKey(input(partition('t0', 0, { batches: committed() })), facts().get(0)!);
    expect(x).toMatchObject({ cause: 'read-never-reached', offset: 2 });
  });
});
