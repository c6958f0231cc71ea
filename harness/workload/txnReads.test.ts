import { describe, expect, it } from 'vitest';
import { COPY_BATCH_MAX, copyBatch, TxnReads } from './txnReads.ts';

describe('copyBatch', () => {
  it('takes a poll whole when it fits', () => {
    const polled = { 2: [[0, 5], [1, 6]] as Array<[number, number]>, 0: [[3, 1]] as Array<[number, number]> };
    expect(copyBatch(polled, 3)).toEqual({ batch: { 0: [[3, 1]], 2: [[0, 5], [1, 6]] }, resumeAt: new Map() });
  });

  it('cuts at the cap, keys in ascending order, and says where each cut key resumes', () => {
    const polled = { 10: [[7, 70], [8, 80]] as Array<[number, number]>, 1: [[0, 1], [1, 2], [2, 3]] as Array<[number, number]>, 4: [] };
    const { batch, resumeAt } = copyBatch(polled, 2);
    expect(batch).toEqual({ 1: [[0, 1], [1, 2]] });
    expect([...resumeAt]).toEqual([[1, 2], [10, 7]]);
  });

  it('a copier takes one batch, seeks back to the rest, and commits offsets only up to what it copies', () => {
    const reads = new TxnReads(new Map([[1, 9]]));
    const polled = { 1: Array.from({ length: COPY_BATCH_MAX + 3 }, (_, o): [number, number] => [o, 100 + o]) };
    const sought: Array<[number, number]> = [];
    const { used, sends } = reads.take(polled, (k, o) => sought.push([k, o]));
    expect(used[1]).toHaveLength(COPY_BATCH_MAX);
    expect(sends).toEqual(polled[1].slice(0, COPY_BATCH_MAX).map(([, v]) => ['send', 9, v]));
    expect(sought).toEqual([[1, COPY_BATCH_MAX]]);
    expect(reads.nextOffset.get(1)).toBe(COPY_BATCH_MAX);
    expect(reads.firstRead.get(1)).toBe(0);
  });

  it('a worker that is not a copier uses the whole poll and seeks nowhere', () => {
    const reads = new TxnReads(null);
    const polled = { 1: Array.from({ length: COPY_BATCH_MAX + 3 }, (_, o): [number, number] => [o, o]) };
    const sought: unknown[] = [];
    expect(reads.take(polled, (k, o) => sought.push([k, o]))).toEqual({ used: polled, sends: [] });
    expect(sought).toEqual([]);
    expect(reads.nextOffset.get(1)).toBe(COPY_BATCH_MAX + 3);
  });
});
