// The log builder's two stores (a typed array for small offsets, a Map for far ones) must make one
// ordered log, whatever order offsets arrive in.
import { describe, expect, it } from 'vitest';
import { buildOpTable } from './ops.ts';
import { buildVersions, indexOfOffset } from './versions.ts';
import { HistoryBuilder, poll, polled } from '../testing/history-builder.ts';

describe('version orders', () => {
  it('merges far offsets (seen early) with small ones (seen later) into one dense order', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'poll', [poll()], [polled({ 0: [[5_000_000, 50], [2, 2], [3_000_000, 30]] })]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ 0: [[0, 0], [5_000_000, 50], [7, 7]] })]);
    const t = buildOpTable(h.events), log = buildVersions(t).logs[0]!;
    expect(Array.from(log.offsets)).toEqual([0, 2, 7, 3_000_000, 5_000_000]);
    expect(Array.from(log.values)).toEqual([0, 2, 7, 30, 50]);
    expect([0, 2, 7, 3_000_000, 5_000_000, 1, 4_000_000].map((o) => indexOfOffset(log, o))).toEqual([0, 1, 2, 3, 4, -1, -1]);
  });
});
