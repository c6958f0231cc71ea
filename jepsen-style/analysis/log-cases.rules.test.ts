// The rules behind inconsistent-offsets and duplicate (research/jepsen.md §2, kafka.clj 969-988 and
// 1455-1480): one offset of a partition holds one record, one value is sent once. What a report must
// say: which offsets, which values, and exactly the ops that saw them, in the order of the keys and
// offsets, so that two runs of the same history read the same.
import { describe, expect, it } from 'vitest';
import { anomaliesOf, verdictOf } from '../testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';

const x = 0, y = 1;

describe('inconsistent-offsets: one offset of a key held two values', () => {
  it('names only the ops that saw that offset: committed senders and pollers, not an unproven info send', () => {
    const h = new HistoryBuilder();
    const w1 = h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    h.op(1, 'ok', 'send', [send(x, 5)], [sent(x, 1, 5)]); // another offset of the same key
    h.op(2, 'info', 'send', [send(x, 6), send(y, 6)], [sent(x, 0, 6), send(y, 6)]); // may not have committed
    const p = h.op(3, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 2], [1, 5]] })]);
    expect(anomaliesOf(h, 'inconsistent-offsets')).toEqual([
      { type: 'inconsistent-offsets', allowed: false, key: x, offsets: [0], values: [1, 2], ops: [w1, p] },
    ]);
    expect(verdictOf(h).anomalies['inconsistent-offsets']![0]!.explanation)
      .toBe(`offset 0 of key 0 held 2 different values (1, 2), seen by ops ${w1}, ${p}`);
  });

  it('lists them by key (in order of first appearance) and offset, whatever order they were seen in', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[5, 1], [2, 2], [9, 3]], [y]: [[4, 4], [1, 5]] })]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[9, 13], [2, 12], [5, 11]], [y]: [[4, 14], [1, 15]] })]);
    expect(anomaliesOf(h, 'inconsistent-offsets').map((a) => [a.key, a.offsets![0], a.values])).toEqual([
      [x, 2, [2, 12]], [x, 5, [1, 11]], [x, 9, [3, 13]], [y, 1, [5, 15]], [y, 4, [4, 14]],
    ]);
  });
});

describe('duplicate: one value of a key at more than one offset (values are unique per key)', () => {
  it('lists them by key and first offset, whatever order they were seen in, and explains each', () => {
    const h = new HistoryBuilder();
    const p1 = h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[7, 3], [3, 1], [5, 2]], [y]: [[4, 6], [2, 5]] })]);
    const p2 = h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[8, 3], [4, 1], [6, 2]], [y]: [[9, 6], [8, 5]] })]);
    expect(anomaliesOf(h, 'duplicate').map((a) => [a.key, a.values, a.offsets])).toEqual([
      [x, [1], [3, 4]], [x, [2], [5, 6]], [x, [3], [7, 8]], [y, [5], [2, 8]], [y, [6], [4, 9]],
    ]);
    expect(verdictOf(h).anomalies.duplicate![0]!.explanation).toBe(`value 1 of key 0 is at 2 offsets (3, 4), seen by ops ${p1}, ${p2}`);
  });
});
