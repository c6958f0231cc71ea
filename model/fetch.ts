// Fetch as the broker and the consumer do it together (UnifiedLog.read + CompletedFetch): read_uncommitted
// reads up to the high watermark; read_committed reads up to the LSO and drops the batches of aborted
// transactions named by the aborted-transaction index. Control markers are never returned.
import { type PartitionContext, highWatermark, lastStableOffset } from './partition.machine.ts';
import type { Offset, Value } from './types.ts';

export interface FetchResult {
  records: Array<[offset: Offset, value: Value]>;
  /** The consumer's position after this fetch (one past the last entry it read, markers included). */
  nextOffset: Offset;
}

/** Offsets readable at this isolation level: [position, upper). */
export const fetchUpperBound = (p: PartitionContext, readCommitted: boolean, lso = lastStableOffset): Offset =>
  readCommitted ? lso(p) : highWatermark(p);

/** Whether `offset` holds a record of an aborted transaction (collectAbortedTxns + the abortedPids filter). */
export const isAbortedRecord = (p: PartitionContext, offset: Offset): boolean => {
  const e = p.log[offset];
  if (e === undefined || e.kind !== 'record' || !e.transactional) return false;
  return p.abortedIndex.some((a) => a.producerId === e.producerId && a.firstOffset <= offset && offset <= a.lastOffset);
};

export function fetchFrom(
  p: PartitionContext, position: Offset, readCommitted: boolean, lso: (p: PartitionContext) => Offset = lastStableOffset,
): FetchResult {
  const upper = fetchUpperBound(p, readCommitted, lso);
  const records: Array<[Offset, Value]> = [];
  if (position >= upper) return { records, nextOffset: position };
  for (let o = Math.max(0, position); o < upper; o++) {
    const e = p.log[o]!;
    if (e.kind === 'marker') continue;
    if (readCommitted && isAbortedRecord(p, o)) continue;
    records.push([o, e.value]);
  }
  return { records, nextOffset: upper };
}
