// The snapshot as kafka/forensics.json keeps it: each record batch on one short object instead of the
// parser's full form, so that a two-minute run's logs stay a few hundred KB, and read back into the
// full form, so that a recorded run can be judged again without Kafka (fixtures, later rules).
import type { LogBatch } from './record-batches.ts';
import type { ClusterSnapshot, PartitionView } from './snapshot.ts';

export interface CompactBatch {
  offsets: number | [number, number];
  producer: number;
  epoch: number;
  seq: number;
  txn?: true;
  marker?: 'COMMIT' | 'ABORT';
  coordinatorEpoch?: number;
  /** The records' values in offset order, or the codec when they could not be read. */
  values?: Array<string | null> | string;
  time: number;
}

type CompactPartition = Omit<PartitionView, 'read'> & { read?: Omit<NonNullable<PartitionView['read']>, 'batches'> & { batches: CompactBatch[] } };
export type CompactSnapshot = Omit<ClusterSnapshot, 'partitions'> & { partitions: CompactPartition[] };

export function compactSnapshot(s: ClusterSnapshot): CompactSnapshot {
  return { ...s, partitions: s.partitions.map((p) => ({ ...p, read: p.read && { ...p.read, batches: p.read.batches.map(compactBatch) } })) };
}

export function expandSnapshot(s: CompactSnapshot): ClusterSnapshot {
  return { ...s, partitions: s.partitions.map((p) => ({ ...p, read: p.read && { ...p.read, batches: p.read.batches.map(expandBatch) } })) };
}

function compactBatch(b: LogBatch): CompactBatch {
  return {
    offsets: b.baseOffset === b.lastOffset ? b.baseOffset : [b.baseOffset, b.lastOffset],
    producer: b.producerId, epoch: b.producerEpoch, seq: b.baseSequence,
    ...(b.transactional ? { txn: true as const } : {}),
    ...(b.marker ? { marker: b.marker, coordinatorEpoch: b.coordinatorEpoch } : { values: b.records?.map((r) => r.value) ?? b.compression }),
    time: b.maxTimestamp,
  };
}

function expandBatch(c: CompactBatch): LogBatch {
  const [baseOffset, lastOffset] = typeof c.offsets === 'number' ? [c.offsets, c.offsets] : c.offsets;
  const values = Array.isArray(c.values) ? c.values : null;
  return {
    baseOffset, lastOffset, producerId: c.producer, producerEpoch: c.epoch, baseSequence: c.seq,
    transactional: c.txn === true, marker: c.marker ?? null,
    ...(c.coordinatorEpoch !== undefined ? { coordinatorEpoch: c.coordinatorEpoch } : {}),
    partitionLeaderEpoch: -1, maxTimestamp: c.time,
    records: c.marker ? [] : values ? values.map((value, i) => ({ offset: baseOffset + i, key: null, value, timestamp: c.time })) : null,
    compression: c.marker || values ? 'none' : ((c.values as LogBatch['compression'] | undefined) ?? 'unknown'),
  };
}
