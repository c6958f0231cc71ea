// Questions about one partition's log, answered from its record batches as the broker stores them
// (markers and aborted data included): what sits at an offset, and how its transaction ended.
import type { LogBatch, MarkerType } from './record-batches.ts';

export type RecordFate = 'committed' | 'aborted' | 'open';

export interface OffsetLookup {
  batch: LogBatch;
  value: string | null;
  fate: RecordFate;
  /** The marker that decided it (absent while open or when not transactional). */
  marker?: { offset: number; type: MarkerType; producerEpoch: number };
}

export class LogView {
  private readonly batches: LogBatch[];

  constructor(batches: readonly LogBatch[]) {
    this.batches = [...batches].sort((a, b) => a.baseOffset - b.baseOffset);
  }

  get firstOffset(): number | null {
    return this.batches[0]?.baseOffset ?? null;
  }

  /** Offset after the last batch read. */
  get endOffset(): number | null {
    const last = this.batches[this.batches.length - 1];
    return last ? last.lastOffset + 1 : null;
  }

  batchAt(offset: number): LogBatch | undefined {
    let lo = 0;
    let hi = this.batches.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.batches[mid]!;
      if (offset < b.baseOffset) hi = mid - 1;
      else if (offset > b.lastOffset) lo = mid + 1;
      else return b;
    }
    return undefined;
  }

  /** The record at `offset` and its fate, or undefined when the log read holds no record there. */
  lookup(offset: number): OffsetLookup | undefined {
    const batch = this.batchAt(offset);
    if (!batch || batch.marker !== null) return undefined;
    const value = batch.records?.find((r) => r.offset === offset)?.value ?? null;
    if (!batch.transactional) return { batch, value, fate: 'committed' };
    const marker = this.markerAfter(batch);
    return marker ? { batch, value, fate: marker.type === 'COMMIT' ? 'committed' : 'aborted', marker } : { batch, value, fate: 'open' };
  }

  /** The first marker of the batch's producer after it: the end of the transaction the batch belongs to. */
  markerAfter(batch: LogBatch): { offset: number; type: MarkerType; producerEpoch: number } | undefined {
    const start = this.batches.indexOf(batch);
    for (let i = start + 1; i < this.batches.length; i++) {
      const b = this.batches[i]!;
      if (b.producerId === batch.producerId && b.marker !== null) return { offset: b.baseOffset, type: b.marker, producerEpoch: b.producerEpoch };
    }
    return undefined;
  }

  /** Transactions left without a marker in this read: producer, epoch and first offset (as the LSO sees them). */
  openTransactions(): Array<{ producerId: number; producerEpoch: number; firstOffset: number; lastOffset: number }> {
    const open = new Map<number, { producerId: number; producerEpoch: number; firstOffset: number; lastOffset: number }>();
    for (const b of this.batches) {
      if (!b.transactional) continue;
      if (b.marker !== null) {
        open.delete(b.producerId);
        continue;
      }
      const o = open.get(b.producerId);
      if (o) o.lastOffset = b.lastOffset;
      else open.set(b.producerId, { producerId: b.producerId, producerEpoch: b.producerEpoch, firstOffset: b.baseOffset, lastOffset: b.lastOffset });
    }
    return [...open.values()].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /** Batches overlapping [from, to], markers included: the evidence a report quotes. */
  between(from: number, to: number): LogBatch[] {
    return this.batches.filter((b) => b.lastOffset >= from && b.baseOffset <= to);
  }
}
