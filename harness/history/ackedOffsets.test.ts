import { describe, expect, it } from 'vitest';
import { AckedOffsets } from './ackedOffsets.ts';

describe('AckedOffsets', () => {
  it('keeps the highest offset per key from sends with known offsets and from polls', () => {
    const a = new AckedOffsets();
    a.track([['send', 1, [4, 10]], ['send', 2, [null, 3]], ['poll', { '1': [[2, 8]], '3': [[0, 1], [7, 2]] }]]);
    a.track([['send', 2, 9]]);
    a.track(null);
    expect(a.entries()).toEqual([[1, 4], [3, 7]]);
    expect(a.reachedBy(new Map([[1, 4], [3, 7]]))).toBe(true);
    expect(a.reachedBy(new Map([[1, 4], [3, 6]]))).toBe(false);
    expect(a.reachedBy(new Map([[3, 9]]))).toBe(false);
  });
});
