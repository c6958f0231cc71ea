import { describe, expect, it } from 'vitest';
import { copyBatch, TxnReads } from './txnReads.ts';

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

  it('commits offsets only up to what the batch copies', () => {
    const reads = new TxnReads(new Map([[1, 9]]));
    const { batch } = copyBatch({ 1: [[0, 1], [1, 2], [2, 3]] }, 2);
    expect(reads.absorb(batch)).toEqual([['send', 9, 1], ['send', 9, 2]]);
    expect(reads.nextOffset.get(1)).toBe(2);
  });
});
