// The rules behind G1a, precommitted-read, lost-write and unseen (research/jepsen.md §2, kafka.clj
// 1001-1143 and 1482-1533), each pinned by a hand-made history and the verdict Jepsen's rule gives it.
// Keys x=0, y=1 (and others where the order of keys matters); values are small integers.
import { describe, expect, it } from 'vitest';
import { anomaliesOf, verdictOf } from '../testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';

const x = 0, y = 1;

describe('G1a: an ok op read a value whose writer definitely failed (kafka.clj g1a-cases)', () => {
  it('counts only reads of ok ops: a failed or indeterminate poll of an aborted write proves nothing', () => {
    for (const reader of ['fail', 'info'] as const) {
      const h = new HistoryBuilder();
      h.op(0, 'fail', 'send', [send(x, 2)]);
      h.op(1, reader, 'poll', [poll()], [polled({ [x]: [[0, 2]] })]);
      expect(anomaliesOf(h, 'G1a')).toEqual([]);
    }
  });

  it('needs a definite failure: an info writer may have committed, an ok one did', () => {
    for (const writer of ['info', 'ok'] as const) {
      const h = new HistoryBuilder();
      h.op(0, writer, 'send', [send(x, 2)]);
      h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 2]] })]);
      expect(anomaliesOf(h, 'G1a')).toEqual([]);
    }
  });

  it('ignores a read of a value no op of the history sent', () => {
    const h = new HistoryBuilder();
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 9]] })]);
    expect(anomaliesOf(h, 'G1a')).toEqual([]);
  });
});

describe('precommitted-read: a transaction polled a value it sent itself (kafka.clj 1020-1043)', () => {
  it('flags only the transaction\'s own values, not other values it polled', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    const own = h.op(1, 'ok', 'txn', [send(x, 2), poll()], [sent(x, 1, 2), polled({ [x]: [[0, 1], [1, 2]] })]);
    h.op(2, 'ok', 'txn', [send(y, 3), poll()], [sent(y, 0, 3), polled({ [x]: [[0, 1], [1, 2]] })]);
    expect(anomaliesOf(h, 'precommitted-read')).toEqual([
      { type: 'precommitted-read', allowed: false, key: x, values: [2], offsets: [1], ops: [own] },
    ]);
    expect(verdictOf(h).anomalies['precommitted-read']![0]!.explanation).toBe(
      `op ${own} polled value 2 of key 0, which it sent itself in the same transaction, before that transaction committed`);
  });

  it('finds it in a large transaction too (twenty sends), matching key and value', () => {
    const h = new HistoryBuilder();
    const sends = Array.from({ length: 20 }, (_, i) => sent(i % 2, i >> 1, 100 + i));
    // It polls its own value 107 of key 1 (offset 3), and value 108, which it sent to key 0 only.
    const big = h.op(0, 'ok', 'txn', [...sends.map((m) => send(m[1] as number, 100)), poll()],
      [...sends, polled({ [y]: [[3, 107], [4, 108]] })]);
    expect(anomaliesOf(h, 'precommitted-read')).toEqual([
      { type: 'precommitted-read', allowed: false, key: y, values: [107], offsets: [3], ops: [big] },
    ]);
  });
});

describe('lost-write: a committed write below the highest read position that no ok op read (kafka.clj 1045-1143)', () => {
  it('bounds the log at the highest position any ok read reached, whatever the order of the polls', () => {
    const h = new HistoryBuilder();
    const w = h.op(0, 'ok', 'send', [send(x, 1), send(x, 2), send(x, 3)], [sent(x, 0, 1), sent(x, 1, 2), sent(x, 2, 3)]);
    const far = h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[2, 3]] })]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]] })]);
    h.op(3, 'ok', 'poll', [poll()], [polled({ [x]: [[2, 3]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: x, values: [2], offsets: [1], ops: [w, far], delta: 1 },
    ]);
    expect(verdictOf(h).anomalies['lost-write']![0]!.explanation).toBe(
      `value 2 of key 0 (offset 1), sent by op ${w} which must have committed, was never read, though op ${far} read past it (to offset 2)`);
  });

  it('takes a read value at its first copy: a duplicate further on does not raise the bound', () => {
    // c sits at offsets 1 and 3 (a duplicate); the reader saw only the second copy. The bound is c's
    // first index, so a (before it) is lost, but b (between the copies) is not known to be.
    const [a, b, c] = [1, 2, 3];
    const h = new HistoryBuilder();
    const wa = h.op(0, 'ok', 'send', [send(x, a)], [sent(x, 0, a)]);
    h.op(0, 'ok', 'send', [send(x, c)], [sent(x, 1, c)]);
    h.op(0, 'ok', 'send', [send(x, b)], [sent(x, 2, b)]);
    const reader = h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[3, c]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: x, values: [a], offsets: [0], ops: [wa, reader], delta: 1 },
    ]);
    expect(verdictOf(h).anomalyTypes).toContain('duplicate');
  });

  it('counts a write at the very first offset that a reader reached and saw holding another value', () => {
    const h = new HistoryBuilder();
    const wa = h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 0, 2)]);
    const reader = h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 2]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: x, values: [1], offsets: [0], ops: [wa, reader], delta: 0 },
    ]);
  });

  it('names the first ok poll that reached the bound as the witness', () => {
    const h = new HistoryBuilder();
    const w = h.op(0, 'ok', 'send', [send(x, 1), send(x, 2)], [sent(x, 0, 1), sent(x, 1, 2)]);
    const first = h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2]] })]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2]] })]);
    expect(anomaliesOf(h, 'lost-write').map((e) => e.ops)).toEqual([[w, first]]);
  });

  it('needs a writer that must have committed: a failed send, or an info one nobody read, is not lost', () => {
    for (const writer of ['fail', 'info'] as const) {
      const h = new HistoryBuilder();
      h.op(0, writer, 'send', [send(x, 1)], writer === 'fail' ? [send(x, 1)] : [sent(x, 0, 1)]);
      h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 1, 2)]);
      h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2]] })]);
      expect(anomaliesOf(h, 'lost-write')).toEqual([]);
    }
  });

  it('reports a value sent twice (an aborted attempt and its retry) once, for the attempt that committed', () => {
    const h = new HistoryBuilder();
    h.op(0, 'fail', 'txn', [send(x, 1)], [sent(x, 0, 1)]);
    const retry = h.op(0, 'ok', 'txn', [send(x, 1)], [sent(x, 0, 1)]);
    h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 1, 2)]);
    const reader = h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: x, values: [1], offsets: [0], ops: [retry, reader], delta: 1 },
    ]);
  });

  it('leaves a write whose offset nobody saw to unseen: its position in the log is unknown', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, null, 1)]);
    h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 5, 2)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[5, 2]] })]);
    expect(verdictOf(h)).toMatchObject({ anomalyTypes: ['unseen'] });
  });
});

describe('unseen: acknowledged sends no ok op polled by the end of the history (kafka.clj 1482-1533)', () => {
  it('counts acknowledged sends only: a failed or indeterminate send may never have happened', () => {
    for (const writer of ['fail', 'info'] as const) {
      const h = new HistoryBuilder();
      h.op(0, writer, 'send', [send(x, 1)]);
      h.op(1, 'ok', 'poll', [poll()], [polled({})]);
      expect(anomaliesOf(h, 'unseen')).toEqual([]);
    }
  });

  it('lists keys in ascending order, and each op once however many of its values are unseen', () => {
    const h = new HistoryBuilder();
    const first = h.op(0, 'ok', 'send', [send(5, 1), send(5, 2)], [sent(5, 0, 1), sent(5, 1, 2)]);
    const second = h.op(1, 'ok', 'send', [send(2, 3), send(5, 4)], [sent(2, 0, 3), sent(5, 2, 4)]);
    expect(anomaliesOf(h, 'unseen')).toEqual([
      { type: 'unseen', allowed: false, key: 2, count: 1, values: [3], ops: [second] },
      { type: 'unseen', allowed: false, key: 5, count: 3, values: [1, 2, 4], ops: [first, second] },
    ]);
    expect(verdictOf(h).anomalies.unseen![1]!.explanation).toBe(
      `3 acknowledged send(s) to key 5 were never polled by an ok op by the end of the history: values 1, 2, 4 (ops ${first}, ${second})`);
  });

  it('keeps at most 32 example values and ops per key, and counts them all', () => {
    const h = new HistoryBuilder();
    const ops = Array.from({ length: 40 }, (_, i) => h.op(i, 'ok', 'send', [send(x, i)], [sent(x, i, i)]));
    const [unseen] = anomaliesOf(h, 'unseen');
    expect(unseen).toMatchObject({ count: 40, values: ops.slice(0, 32).map((_, i) => i), ops: ops.slice(0, 32) });
  });
});

describe('garbage-read: a poll returned a value no op of the history sent to that key (Jepsen: no-writer-of-value)', () => {
  it('reports one anomaly per key and value, in key then value order, with every offset it was polled at', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    // Found in the order y:5, x:9, x:8; reported as x:8, x:9, y:5. Value 9 is polled at offsets 1 and
    // 3 (twice by one op, again by another at offset 1).
    const a = h.op(1, 'ok', 'poll', [poll()], [polled({ [y]: [[0, 5]] })]);
    const b = h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1], [1, 9], [3, 9]] })]);
    const c = h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 9], [2, 8]] })]);
    expect(anomaliesOf(h, 'garbage-read')).toEqual([
      { type: 'garbage-read', allowed: false, key: x, values: [8], offsets: [2], ops: [c] },
      { type: 'garbage-read', allowed: false, key: x, values: [9], offsets: [1, 3], ops: [b, c] },
      { type: 'garbage-read', allowed: false, key: y, values: [5], offsets: [0], ops: [a] },
    ]);
  });

  it('keeps the same value on different keys apart: a value belongs to the key it was sent to', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 4)], [sent(x, 0, 4)]);
    const reader = h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 4]], [y]: [[0, 4]] })]);
    expect(anomaliesOf(h, 'garbage-read')).toEqual([
      { type: 'garbage-read', allowed: false, key: y, values: [4], offsets: [0], ops: [reader] },
    ]);
  });

  it('names at most 32 of the ops that polled it', () => {
    const h = new HistoryBuilder();
    const readers = Array.from({ length: 34 }, (_, i) => h.op(i, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 7]] })]));
    const [garbage] = anomaliesOf(h, 'garbage-read');
    expect(garbage).toMatchObject({ values: [7], offsets: [0], ops: readers.slice(0, 32) });
  });
});

describe('precommitted-read in a large transaction: only its own sends count', () => {
  it('does not flag a value that the next op sent, even when the transaction sends more than sixteen', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(y, 50)], [sent(y, 0, 50)]);
    const sends = Array.from({ length: 20 }, (_, i) => sent(x, i, 100 + i));
    // Another process's send, concurrent with the transaction, which the transaction polls.
    h.invoke(1, 'send', [send(y, 51)]);
    h.op(0, 'ok', 'txn', [...sends.map(() => send(x, 100)), poll()], [...sends, polled({ [y]: [[1, 51]] })]);
    h.complete(1, 'ok', [sent(y, 1, 51)]);
    expect(anomaliesOf(h, 'precommitted-read')).toEqual([]);
  });
});
