// The cases of Jepsen's kafka_test.clj (research/jepsen.md §1.11), rewritten as contract histories:
// keys x=0, y=1; values a=1, b=2, c=3, d=4, f=6, g=7. Where Jepsen's history breaks our contract
// (a process invoking after an info completion), the info op is moved last or made ok, as noted.
import { describe, expect, it } from 'vitest';
import { buildOpTable } from './analysis/ops.ts';
import { buildVersions } from './analysis/versions.ts';
import { anomaliesOf, verdictOf } from './testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from './testing/history-builder.ts';

const x = 0, y = 1, a = 1, b = 2, c = 3, d = 4, f = 6, g = 7;

describe('version orders', () => {
  it('builds dense orders from offsets, promoting an info txn whose write was read', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'txn', [poll()], [polled({ [x]: [[0, a], [1, b]] })]);
    h.op(1, 'info', 'txn', [send(x, c), send(x, b), send(x, d)], [sent(x, 1, c), sent(x, 3, b), sent(x, 4, d)]);
    const t = buildOpTable(h.events), v = buildVersions(t);
    expect(Array.from(v.logs[t.keyId.get(x)!]!.offsets)).toEqual([0, 1, 3, 4]);
    expect(Array.from(v.logs[t.keyId.get(x)!]!.values)).toEqual([a, c, b, d]);
    expect(Array.from(v.committed)).toEqual([1, 1]);
    expect(anomaliesOf(h, 'inconsistent-offsets')).toEqual([
      { type: 'inconsistent-offsets', allowed: false, key: x, offsets: [1], values: [c, b], ops: [1, 3] },
    ]);
  });

  it('flags two ok sends at one offset (the real-world example)', () => {
    const h = new HistoryBuilder();
    h.op(379, 'ok', 'send', [send(11, 641)], [sent(11, 537, 641)]);
    h.op(363, 'ok', 'send', [send(11, 645)], [sent(11, 537, 645)]);
    expect(anomaliesOf(h, 'inconsistent-offsets')).toEqual([
      { type: 'inconsistent-offsets', allowed: false, key: 11, offsets: [537], values: [641, 645], ops: [1, 3] },
    ]);
  });
});

describe('inconsistent-offsets', () => {
  const base = () => {
    const h = new HistoryBuilder();
    h.op(0, 'info', 'send', [send(x, 1), send(y, 1)], [sent(x, 0, 1), send(y, 1)]);
    h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 0, 2)]);
    return h;
  };
  it('ignores an info send that may not have committed', () => {
    expect(anomaliesOf(base(), 'inconsistent-offsets')).toEqual([]);
  });
  it('flags it once a poll proves the info send committed', () => {
    const h = base();
    h.op(2, 'ok', 'poll', [poll()], [polled({ [y]: [[5, 1]] })]);
    expect(anomaliesOf(h, 'inconsistent-offsets')).toEqual([
      { type: 'inconsistent-offsets', allowed: false, key: x, offsets: [0], values: [1, 2], ops: [1, 3] },
    ]);
  });
});

describe('G1a', () => {
  it('flags an ok poll of a failed write', () => {
    const h = new HistoryBuilder();
    h.op(0, 'fail', 'send', [send(x, 2), send(y, 3)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 2]] })]);
    expect(anomaliesOf(h, 'G1a')).toEqual([{ type: 'G1a', allowed: false, key: x, values: [2], offsets: [0], ops: [1, 3] }]);
    expect(verdictOf(h).anomalies.G1a![0]!.explanation)
      .toBe('op 3 read value 2 of key 0 at offset 0, but op 1, which sent it, failed (aborted read)');
  });
});

describe('lost-write', () => {
  it('consistent: reading c at offset 2 means a and b should have been read', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, a)], [sent(x, 0, a)]);
    h.op(0, 'ok', 'send', [send(x, b), send(x, d)], [sent(x, 1, b), sent(x, 3, d)]);
    h.op(1, 'info', 'send', [send(x, c)]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[2, c]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: x, values: [a], offsets: [0], ops: [1, 7], delta: 2 },
      { type: 'lost-write', allowed: false, key: x, values: [b], offsets: [1], ops: [3, 7], delta: 1 },
    ]);
  });

  it('inconsistent: a loss hidden behind a conflicting offset is still found', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, a)], [sent(x, 0, a)]);
    h.op(0, 'ok', 'send', [send(x, b), send(x, c)], [sent(x, 0, b), sent(x, 2, c)]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[0, b], [2, c]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: x, values: [a], offsets: [0], ops: [1, 5], delta: 1 },
    ]);
  });

  it('atomic: reading one write of an info txn makes its other writes eligible', () => {
    const build = (withPollA: boolean) => {
      const h = new HistoryBuilder();
      h.op(0, 'info', 'send', [send(x, a), send(y, b)], [send(x, a), sent(y, 0, b)]);
      h.op(1, 'info', 'send', [send(y, c)]);
      if (withPollA) h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[0, a]] })]);
      h.op(3, 'ok', 'poll', [poll()], [polled({ [y]: [[1, c]] })]);
      return h;
    };
    expect(anomaliesOf(build(false), 'lost-write')).toEqual([]);
    expect(anomaliesOf(build(true), 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: y, values: [b], offsets: [0], ops: [1, 7], delta: 1 },
    ]);
  });
});

describe('poll-skip', () => {
  const build = (between1?: (h: HistoryBuilder) => void, between2?: (h: HistoryBuilder) => void) => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[1, a], [2, b]] })]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[3, c]] })]);
    between1?.(h);
    const p4 = h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[4, d]] })]);
    between2?.(h);
    h.op(2, 'ok', 'send', [send(x, f)], [sent(x, 6, f)]);
    const p7 = h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[7, g]] })]);
    h.op(3, 'info', 'send', [send(x, a), send(x, b), send(x, c), send(x, d), send(x, g)]);
    return { h, p4, p7 };
  };
  it('finds skips of values known from other reads and writes', () => {
    const { h, p4, p7 } = build();
    expect(anomaliesOf(h, 'poll-skip')).toEqual([
      { type: 'poll-skip', allowed: false, key: x, ops: [1, p4], delta: 2, values: [b, d], offsets: [2, 4], skipped: [c] },
      { type: 'poll-skip', allowed: false, key: x, ops: [p4, p7], delta: 2, values: [d, g], offsets: [4, 7], skipped: [f] },
    ]);
    expect(verdictOf(h).anomalies['poll-skip']![0]!.explanation).toBe(
      "process 0's op 5 polled key 0 from offset 4, but its previous ok poll, op 1, ended at offset 2: value(s) 3 between were skipped");
  });
  it('forgets keys a new assignment drops', () => {
    const { h } = build((h) => h.op(0, 'ok', 'subscribe', [y]), (h) => h.op(0, 'ok', 'assign', [y]));
    expect(anomaliesOf(h, 'poll-skip')).toEqual([]);
  });
  it('keeps state across assignments that still cover the key; allowed only under subscribe', () => {
    const { h } = build((h) => h.op(0, 'ok', 'subscribe', [x, y]), (h) => h.op(0, 'ok', 'assign', [x, y]));
    expect(anomaliesOf(h, 'poll-skip').map((e) => [e.skipped, e.allowed])).toEqual([[[c], true], [[f], false]]);
  });

  const sendSix = (h: HistoryBuilder) => h.op(0, 'ok', 'send', [0, 1, 2, 3, 4, 5].map((i) => send(x, i)), [0, 1, 2, 3, 4, 5].map((i) => sent(x, i, i)));
  it('txn abort, good: after fail or info, polling restarts where the last ok poll ended', () => {
    for (const last of ['ok', 'info'] as const) {
      const h = new HistoryBuilder();
      h.op(0, 'ok', 'send', [0, 1, 2].map((i) => send(x, i)), [0, 1, 2].map((i) => sent(x, i, i)));
      h.op(1, 'ok', 'txn', [poll()], [polled({ [x]: [[0, 0]] })]);
      h.op(1, 'fail', 'txn', [poll()], [polled({ [x]: [[1, 1], [2, 2]] })]);
      h.op(1, last, 'txn', [poll()], [polled({ [x]: [[1, 1], [2, 2]] })]);
      // With the info op last, values 1 and 2 were only read by ops that did not commit: unseen.
      expect(verdictOf(h)).toMatchObject(last === 'ok' ? { valid: true, anomalyTypes: [] } : { anomalyTypes: ['unseen'] });
    }
  });
  it("txn abort that doesn't roll back is a poll-skip, even when the later op fails", () => {
    const h = new HistoryBuilder();
    sendSix(h);
    const ok0 = h.op(1, 'ok', 'txn', [poll()], [polled({ [x]: [[0, 0]] })]);
    h.op(1, 'fail', 'txn', [poll()], [polled({ [x]: [[1, 1], [2, 2]] })]);
    const fail34 = h.op(1, 'fail', 'txn', [poll()], [polled({ [x]: [[3, 3], [4, 4]] })]);
    const ok5 = h.op(1, 'ok', 'txn', [poll()], [polled({ [x]: [[5, 5]] })]);
    expect(anomaliesOf(h, 'poll-skip').map((e) => [e.ops, e.delta, e.skipped])).toEqual([
      [[ok0, fail34], 3, [1, 2]],
      [[ok0, ok5], 5, [1, 2, 3, 4]],
    ]);
  });
  it('info can be a poll-skip', () => {
    const h = new HistoryBuilder();
    sendSix(h);
    const ok0 = h.op(1, 'ok', 'txn', [poll()], [polled({ [x]: [[0, 0]] })]);
    h.op(1, 'fail', 'txn', [poll()], [polled({ [x]: [[1, 1], [2, 2]] })]);
    const info34 = h.op(1, 'info', 'txn', [poll()], [polled({ [x]: [[3, 3], [4, 4]] })]);
    expect(anomaliesOf(h, 'poll-skip').map((e) => [e.ops, e.delta, e.skipped])).toEqual([[[ok0, info34], 3, [1, 2]]]);
  });
});

describe('nonmonotonic-poll', () => {
  const build = (between?: (h: HistoryBuilder) => void) => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, a), send(x, b), send(x, c), send(x, d)]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[1, a], [2, b], [3, c]] })]);
    between?.(h);
    h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[2, b], [3, c], [4, d]] })]);
    return h;
  };
  it('flags a poll that starts before where the previous one ended', () => {
    expect(anomaliesOf(build(), 'nonmonotonic-poll')).toEqual([
      { type: 'nonmonotonic-poll', allowed: false, key: x, ops: [3, 5], delta: -1, values: [c, b], offsets: [3, 2] },
    ]);
  });
  it('allows it after an assignment without the key, and under a subscription', () => {
    expect(anomaliesOf(build((h) => h.op(0, 'ok', 'subscribe', [y])), 'nonmonotonic-poll')).toEqual([]);
    expect(anomaliesOf(build((h) => h.op(0, 'ok', 'assign', [y])), 'nonmonotonic-poll')).toEqual([]);
    expect(anomaliesOf(build((h) => h.op(0, 'ok', 'subscribe', [x, y])), 'nonmonotonic-poll').map((e) => e.allowed)).toEqual([true]);
    expect(anomaliesOf(build((h) => h.op(0, 'ok', 'assign', [x, y])), 'nonmonotonic-poll').map((e) => e.allowed)).toEqual([false]);
  });
});

describe('nonmonotonic-send', () => {
  const build = (between?: (h: HistoryBuilder) => void) => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, c), send(x, d)], [sent(x, 3, c), sent(x, 4, d)]);
    between?.(h);
    h.op(0, 'ok', 'send', [send(x, a), send(x, b)], [sent(x, 1, a), sent(x, 2, b)]);
    return h;
  };
  it('flags a later op whose send lands before the earlier op\'s', () => {
    const ops = [1, 3];
    expect(anomaliesOf(build(), 'nonmonotonic-send')).toEqual([
      { type: 'nonmonotonic-send', allowed: false, key: x, ops, delta: -3, values: [d, a], offsets: [4, 1] },
    ]);
  });
  it('resets on assignments that drop the key', () => {
    expect(anomaliesOf(build((h) => h.op(0, 'ok', 'subscribe', [y])), 'nonmonotonic-send')).toEqual([]);
    expect(anomaliesOf(build((h) => h.op(0, 'ok', 'assign', [y])), 'nonmonotonic-send')).toEqual([]);
    expect(anomaliesOf(build((h) => h.op(0, 'ok', 'subscribe', [x, y])), 'nonmonotonic-send')).toHaveLength(1);
    expect(anomaliesOf(build((h) => h.op(0, 'ok', 'assign', [x, y])), 'nonmonotonic-send')).toHaveLength(1);
  });
});

describe('internal order', () => {
  it('int-poll-skip: within one poll and across polls of one op', () => {
    const h = new HistoryBuilder();
    h.op(1, 'info', 'send', [send(x, a), send(x, b), send(x, d)]);
    const one = h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[1, a], [4, d]] })]);
    const two = h.op(0, 'ok', 'poll', [poll(), poll()], [polled({ [x]: [[1, a]] }), polled({ [x]: [[4, d]] })]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[2, b]] })]);
    const skip = { type: 'int-poll-skip', allowed: false, key: x, delta: 2, values: [a, d], offsets: [1, 4], skipped: [b] };
    expect(anomaliesOf(h, 'int-poll-skip')).toEqual([{ ...skip, ops: [one] }, { ...skip, ops: [two] }]);
  });

  it('int-send-skip is reported but allowed', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, a), send(x, c)], [sent(x, 1, a), send(x, c)]);
    h.op(1, 'info', 'send', [send(x, b)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[2, b], [3, c]] })]);
    expect(anomaliesOf(h, 'int-send-skip')).toEqual([
      { type: 'int-send-skip', allowed: true, key: x, ops: [1], delta: 2, values: [a, c], offsets: [1, 3], skipped: [b] },
    ]);
  });

  it('int-nonmonotonic-poll: backwards, and the same record twice', () => {
    const h = new HistoryBuilder();
    h.op(1, 'info', 'send', [send(x, a), send(x, b), send(x, c)]);
    const back = h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[3, c], [1, a]] })]);
    const again = h.op(0, 'ok', 'poll', [poll(), poll()], [polled({ [x]: [[2, b], [3, c]] }), polled({ [x]: [[3, c]] })]);
    expect(anomaliesOf(h, 'int-nonmonotonic-poll')).toEqual([
      { type: 'int-nonmonotonic-poll', allowed: false, key: x, ops: [back], delta: -2, values: [c, a], offsets: [3, 1] },
      { type: 'int-nonmonotonic-poll', allowed: false, key: x, ops: [again], delta: 0, values: [c, c], offsets: [3, 3] },
    ]);
  });

  it('int-nonmonotonic-send: from offsets, and inferred from a poll', () => {
    const h = new HistoryBuilder();
    const first = h.op(0, 'ok', 'send', [send(x, c), send(x, a)], [sent(x, 3, c), sent(x, 1, a)]);
    const second = h.op(0, 'info', 'send', [send(y, d), send(y, b)]);
    h.op(1, 'info', 'send', [send(y, c)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [y]: [[2, b], [3, c], [4, d]] })]);
    expect(anomaliesOf(h, 'int-nonmonotonic-send')).toEqual([
      { type: 'int-nonmonotonic-send', allowed: false, key: x, ops: [first], delta: -1, values: [c, a], offsets: [3, 1] },
      { type: 'int-nonmonotonic-send', allowed: false, key: y, ops: [second], delta: -2, values: [d, b], offsets: [4, 2] },
    ]);
  });
});

describe('duplicate', () => {
  it('basic: a value at two offsets', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, a)], [sent(x, 1, a)]);
    h.op(1, 'info', 'send', [send(x, b)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[2, b], [3, a]] })]);
    expect(anomaliesOf(h, 'duplicate')).toEqual([
      { type: 'duplicate', allowed: false, key: x, values: [a], offsets: [1, 3], count: 2, ops: [1, 5] },
    ]);
    expect(verdictOf(h).anomalies.duplicate![0]!.explanation).toBe('value 1 of key 0 is at 2 offsets (1, 3), seen by ops 1, 5');
  });

  it('hash-insensitive: every value sent at offset 0 and polled at 1 is a duplicate', () => {
    const h = new HistoryBuilder();
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    for (const value of values) {
      h.op(0, 'ok', 'send', [send(x, value)], [sent(x, 0, value)]);
      h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[1, value]] })]);
    }
    expect(anomaliesOf(h, 'duplicate').map((e) => e.values![0])).toEqual(values);
    expect(anomaliesOf(h, 'inconsistent-offsets').map((e) => [e.offsets, e.values])).toEqual([[[0], values], [[1], values]]);
  });

  it('aborted txns: polls of failed ops count, sends of failed ops do not', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 0)], [sent(x, 1, 0)]);
    h.op(0, 'fail', 'send', [send(x, 1)], [sent(x, 2, 1)]);
    h.op(1, 'fail', 'poll', [poll()], [polled({ [x]: [[11, 0], [12, 1]] })]);
    expect(anomaliesOf(h, 'duplicate').map((e) => [e.values, e.offsets])).toEqual([[[0], [1, 11]]]);
  });
});

describe('unseen', () => {
  const build = (polls: number) => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'poll', [poll()], [polled({})]);
    const s = h.op(0, 'ok', 'send', [send(x, a), send(x, b)], [sent(x, 0, a), sent(x, 1, b)]);
    if (polls > 0) h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[0, a]] })]);
    if (polls > 1) h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[1, b]] })]);
    return { h, s };
  };
  it('reports acknowledged sends nobody polled, per key', () => {
    const { h, s } = build(1);
    expect(anomaliesOf(h, 'unseen')).toEqual([{ type: 'unseen', allowed: false, key: x, count: 1, values: [b], ops: [s] }]);
    expect(anomaliesOf(build(0).h, 'unseen').map((e) => e.values)).toEqual([[a, b]]);
  });
  it('is empty once everything was polled', () => {
    expect(verdictOf(build(2).h)).toMatchObject({ valid: true, anomalyTypes: [] });
  });
});

describe('cycles', () => {
  it('G0: two sends ordered differently on two keys (allowed)', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'send', [send(x, a), send(y, a)]);
    h.invoke(1, 'send', [send(x, b), send(y, b)]);
    h.complete(0, 'ok', [sent(x, 0, a), sent(y, 1, a)]);
    h.complete(1, 'ok', [sent(x, 1, b), sent(y, 0, b)]);
    expect(anomaliesOf(h, 'G0')).toEqual([{
      type: 'G0', allowed: true, ops: [2, 3], cycle: [
        { from: 2, to: 3, rel: 'ww', key: x, values: [a, b] },
        { from: 3, to: 2, rel: 'ww', key: y, values: [b, a] },
      ],
    }]);
    expect(verdictOf(h).anomalies.G0![0]!.explanation).toBe('G0 cycle of 2 ops (allowed: Kafka does not promise this isolation): '
      + 'op 2 wrote value 1 of key 0 just before op 3 wrote 2 (ww); op 3 wrote value 2 of key 1 just before op 2 wrote 1 (ww)');
  });

  it('G1c made of wr edges alone is invalid', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'txn', [send(x, a), poll()]);
    h.invoke(1, 'txn', [send(y, b), poll()]);
    h.complete(0, 'ok', [sent(x, 0, a), polled({ [y]: [[0, b]] })]);
    h.complete(1, 'ok', [sent(y, 0, b), polled({ [x]: [[0, a]] })]);
    const v = verdictOf(h);
    expect(v).toMatchObject({ valid: false, anomalyTypes: ['G1c'], invalidTypes: ['G1c'] });
    expect(anomaliesOf(h, 'G1c')).toEqual([{
      type: 'G1c', allowed: false, ops: [2, 3], cycle: [
        { from: 2, to: 3, rel: 'wr', key: x, values: [a] },
        { from: 3, to: 2, rel: 'wr', key: y, values: [b] },
      ],
    }]);
  });

  it('G1c that needs a ww edge is allowed', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'txn', [send(x, a), send(y, c)]);
    h.invoke(1, 'txn', [poll(), send(y, b)]);
    h.complete(0, 'ok', [sent(x, 0, a), sent(y, 2, c)]);
    h.complete(1, 'ok', [polled({ [x]: [[0, a]] }), sent(y, 1, b)]);
    expect(anomaliesOf(h, 'G1c')).toEqual([{
      type: 'G1c', allowed: true, ops: [2, 3], cycle: [
        { from: 2, to: 3, rel: 'wr', key: x, values: [a] },
        { from: 3, to: 2, rel: 'ww', key: y, values: [b, c] },
      ],
    }]);
  });

  it('precommitted-read: a txn polls its own send', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'txn', [send(x, a), poll()], [sent(x, 0, a), polled({ [x]: [[0, a]] })]);
    expect(anomaliesOf(h, 'precommitted-read')).toEqual([
      { type: 'precommitted-read', allowed: false, key: x, values: [a], offsets: [0], ops: [1] },
    ]);
  });

  it('empty history: nothing to check is invalid, as in Jepsen', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'assign', [x]);
    expect(verdictOf(h)).toMatchObject({ valid: false, anomalyTypes: ['empty-transaction-graph'], stats: { ops: 1, ok: 1, fail: 0, info: 0 } });
  });
});
