// Hand-made broker views for the forensics' unit tests: a partition's log written as a list of
// batches, and the admin API's answers about it.
import type { LogBatch, MarkerType } from './record-batches.ts';
import type { PartitionView, ProducerView, TransactionView } from './snapshot.ts';

export interface BatchSpec {
  pid: number;
  epoch?: number;
  txn?: boolean;
  marker?: MarkerType;
  /** One record per value, at consecutive offsets from `offset`. */
  values?: number[];
  time?: number;
}

/** A log from [offset, spec] pairs, e.g. `log([0, { pid: 1, values: [5] }], [1, { pid: 1, marker: 'COMMIT' }])`. */
export function log(...entries: Array<[number, BatchSpec]>): LogBatch[] {
  return entries.map(([offset, s]) => {
    const values = s.marker ? [] : (s.values ?? [0]);
    return {
      baseOffset: offset,
      lastOffset: offset + Math.max(0, values.length - 1),
      producerId: s.pid,
      producerEpoch: s.epoch ?? 0,
      baseSequence: s.marker ? -1 : 0,
      transactional: s.txn ?? true,
      marker: s.marker ?? null,
      ...(s.marker ? { coordinatorEpoch: 0 } : {}),
      partitionLeaderEpoch: 0,
      maxTimestamp: s.time ?? 1_000,
      records: values.map((v, i) => ({ offset: offset + i, key: '0', value: String(v), timestamp: s.time ?? 1_000 })),
      compression: 'none',
    };
  });
}

export function partition(topic: string, p: number, v: Partial<PartitionView> & { batches?: LogBatch[] }): PartitionView {
  const batches = v.batches ?? [];
  const end = batches.length > 0 ? batches[batches.length - 1]!.lastOffset + 1 : 0;
  const { batches: _ignored, ...rest } = v;
  return {
    topic, partition: p, leader: 1, isr: [1, 2, 3], replicas: [1, 2, 3],
    highWatermark: end, lastStableOffset: end, logStartOffset: 0,
    producers: [],
    read: { from: 0, errorCode: 'NONE', batches, highWatermark: v.highWatermark ?? end, lastStableOffset: v.lastStableOffset ?? end },
    ...rest,
  };
}

export function openProducer(pid: number, epoch: number, txnStartOffset: number, lastTimestamp = 1_000): ProducerView {
  return { producerId: pid, producerEpoch: epoch, lastSequence: 0, lastTimestamp, txnStartOffset };
}

export function txn(transactionalId: string, pid: number, state: string, extra: Partial<TransactionView> = {}): TransactionView {
  return { transactionalId, producerId: pid, state, describedState: state, describedProducerId: pid, producerEpoch: 0, timeoutMs: 30_000, partitions: [], ...extra };
}
