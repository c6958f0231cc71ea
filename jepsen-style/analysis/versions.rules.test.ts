// Version orders (research/jepsen.md §1.6): each key's log is the distinct offsets observed, ascending,
// each holding the first value seen there; an offset seen with other values too is a conflict (the
// values in the order seen), a value seen at several offsets is a duplicate (its offsets ascending).
// Which writes count: ok ones, info ones an ok op read (atomicity: the whole transaction committed),
// never failed ones. Pinned by a property against a plain Map-based oracle, over offsets small,
// around a million (where the log switches between its array and its Map) and near 2^40.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { anomaliesOf, verdictOf } from '../testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';
import { buildOpTable } from './ops.ts';
import { buildVersions, firstIndexOf, indexOfOffset, lastIndexOf } from './versions.ts';

const x = 0, y = 1;

/** What the log of one key must be, from its observations (offset, value) in history order. */
function oracle(seen: [number, number][]) {
  const at = new Map<number, number[]>(), where = new Map<number, number[]>();
  for (const [o, v] of seen) {
    const vs = at.get(o) ?? [];
    if (!vs.includes(v)) at.set(o, [...vs, v]);
    const os = where.get(v) ?? [];
    if (!os.includes(o)) where.set(v, [...os, o]);
  }
  const offsets = [...at.keys()].sort((a, b) => a - b);
  return {
    offsets, values: offsets.map((o) => at.get(o)![0]!),
    conflicts: new Map([...at].filter(([, vs]) => vs.length > 1).sort((a, b) => a[0] - b[0])),
    dups: new Map([...where].filter(([, os]) => os.length > 1).map(([v, os]) => [v, [...os].sort((a, b) => a - b)])),
    first: (v: number) => offsets.indexOf(Math.min(...where.get(v)!)),
    last: (v: number) => offsets.indexOf(Math.max(...where.get(v)!)),
  };
}

// Per run, offsets from one or two of the ranges (a log that reaches a million offsets is large to build).
const small = fc.nat(40), million = fc.integer({ min: 2 ** 20 - 20, max: 2 ** 20 + 60 }), huge = fc.integer({ min: 2 ** 40, max: 2 ** 40 + 40 });
const observations = fc.constantFrom([small], [small], [small, huge], [small, huge], [huge], [million], [million, huge]).chain((ranges) =>
  fc.array(fc.tuple(fc.constantFrom(x, y), fc.oneof(...ranges), fc.nat(6)), { minLength: 1, maxLength: 60 }));

describe('the log of each key', () => {
  test.prop([observations], { numRuns: 60 })('is what the observations say, wherever the offsets lie', (obs) => {
    const h = new HistoryBuilder();
    // One ok poll per observation: every poll's reads are observations (a read_committed poll returns
    // only safe data, whatever becomes of its own transaction).
    obs.forEach(([k, o, v], i) => h.op(i % 3, 'ok', 'poll', [poll()], [polled({ [k]: [[o, v]] })]));
    const t = buildOpTable(h.events), vs = buildVersions(t);
    for (const k of [x, y]) {
      const id = t.keyId.get(k);
      if (id === undefined) continue;
      const log = vs.logs[id]!, want = oracle(obs.filter((ob) => ob[0] === k).map(([, o, v]) => [o, v]));
      expect(Array.from(log.offsets)).toEqual(want.offsets);
      expect(Array.from(log.values)).toEqual(want.values);
      expect(new Map([...log.conflicts].sort((a, b) => a[0] - b[0]))).toEqual(want.conflicts);
      expect(log.dupOffsets).toEqual(want.dups);
      want.offsets.forEach((o, i) => expect(indexOfOffset(log, o)).toBe(i));
      expect([indexOfOffset(log, 41), indexOfOffset(log, 2 ** 20 + 61), indexOfOffset(log, 2 ** 41)]).toEqual([-1, -1, -1]);
      for (const v of new Set(obs.filter((ob) => ob[0] === k).map((ob) => ob[2]))) {
        expect([firstIndexOf(log, v), lastIndexOf(log, v)]).toEqual([want.first(v), want.last(v)]);
      }
      expect(firstIndexOf(log, 99)).toBe(-1);
    }
    // Each read sits at its offset's dense index.
    for (let r = 0; r < t.rKey.length; r++) expect(vs.rIdx[r]).toBe(indexOfOffset(vs.logs[t.rKey[r]!]!, t.rOffset[r]!));
  }, 180_000);
});

describe('a far offset the log\'s array later grew past', () => {
  it('keeps its place: reading 1048576 then 1048577 in one poll is in order (was int-nonmonotonic-poll)', () => {
    // 1048577 is first seen while the log is small, so it is kept apart from the array; the array then
    // grows past it for 1048576. The lookup must still find it (it answered "not observed").
    const h = new HistoryBuilder();
    h.op(2, 'ok', 'send', [send(y, 4), send(y, 5)], [sent(y, null, 4), sent(y, null, 5)]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ [y]: [[1048577, 5]] })]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [y]: [[1048576, 4], [1048577, 5]] })]);
    expect(verdictOf(h)).toMatchObject({ valid: true, anomalyTypes: [] });
  });
});

describe('which writes are in the log', () => {
  it('an acknowledged send whose offset is unknown adds no position', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, null, 1)]);
    h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 0, 2)]);
    const t = buildOpTable(h.events), v = buildVersions(t);
    expect(Array.from(v.logs[0]!.offsets)).toEqual([0]);
    expect(Array.from(v.wIdx)).toEqual([-1, 0]);
  });

  it('a failed write stays uncommitted even when an ok op read it: that read is G1a, not a proof of commit', () => {
    const h = new HistoryBuilder();
    h.op(0, 'fail', 'send', [send(x, 2)], [sent(x, 0, 2)]);
    h.op(1, 'ok', 'send', [send(x, 3)], [sent(x, 0, 3)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[5, 2]] })]);
    expect(verdictOf(h).anomalyTypes).not.toContain('inconsistent-offsets');
    expect(verdictOf(h).anomalyTypes).toContain('G1a');
  });

  it('an info write counts once an ok op read it, not when only a failed or indeterminate op did', () => {
    for (const [reader, committed] of [['ok', true], ['fail', false], ['info', false]] as const) {
      const h = new HistoryBuilder();
      h.op(0, 'info', 'send', [send(x, 1), send(y, 1)], [sent(x, 0, 1), sent(y, 0, 1)]);
      h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 0, 2)]);
      h.op(2, reader, 'poll', [poll()], [polled({ [y]: [[0, 1]] })]);
      expect(anomaliesOf(h, 'inconsistent-offsets').length).toBe(committed ? 1 : 0);
    }
  });

  it('a read of a value nobody sent has no writer, even when there are writes', () => {
    const h = new HistoryBuilder();
    h.op(0, 'fail', 'send', [send(x, 1), send(x, 2)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 9]] })]);
    const t = buildOpTable(h.events);
    expect(Array.from(buildVersions(t).readWriter)).toEqual([-1]);
    expect(anomaliesOf(h, 'G1a')).toEqual([]);
  });
});

describe('the writer of a value sent more than once (a copier\'s aborted attempt and its retry)', () => {
  it('is the attempt most likely to have committed, ok before info before fail, whatever their order', () => {
    const h = new HistoryBuilder();
    const okAttempt = h.op(0, 'ok', 'txn', [send(x, 1)], [sent(x, 0, 1)]);
    // Each attempt is a producer instance of its own (a process that ends info is replaced).
    h.op(1, 'info', 'txn', [send(x, 1)]);
    h.op(2, 'fail', 'txn', [send(x, 1)]);
    h.op(3, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]] })]);
    const t = buildOpTable(h.events);
    expect(t.index[t.wOp[buildVersions(t).readWriter[0]!]!]).toBe(okAttempt);
    expect(verdictOf(h)).toMatchObject({ valid: true });
  });

  it('is the first of equally likely attempts', () => {
    const h = new HistoryBuilder();
    const first = h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    h.op(1, 'ok', 'send', [send(x, 1)], [sent(x, 2, 1)]);
    h.op(1, 'ok', 'send', [send(x, 3)], [sent(x, 3, 3)]);
    const reader = h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[3, 3]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: x, values: [1], offsets: [0], ops: [first, reader], delta: 2 },
    ]);
  });

  it('is lost only if its last copy lies at or below the highest read (kafka.clj: a value\'s last appearance)', () => {
    const build = (secondCopy: number) => {
      const h = new HistoryBuilder();
      h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
      h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, secondCopy, 1)]);
      h.op(1, 'ok', 'send', [send(x, 3)], [sent(x, 3, 3)]);
      h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[3, 3]] })]);
      return h;
    };
    expect(anomaliesOf(build(2), 'lost-write').map((a) => a.values)).toEqual([[1]]);
    expect(anomaliesOf(build(5), 'lost-write')).toEqual([]);
  });
});

describe('an offset seen again', () => {
  it('reading 1048576, 1048577 and 1048578 in one poll, after 1048577 was seen first, keeps them in order', () => {
    // 1048577 is kept apart from the array (first seen while the log was small); the array then grows
    // past it. It must stay one position, between its neighbours, not be stored a second time.
    const h = new HistoryBuilder();
    h.op(2, 'ok', 'send', [send(y, 4), send(y, 5), send(y, 6)], [sent(y, null, 4), sent(y, null, 5), sent(y, null, 6)]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ [y]: [[1048577, 5]] })]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [y]: [[1048576, 4], [1048577, 5], [1048578, 6]] })]);
    const t = buildOpTable(h.events), log = buildVersions(t).logs[0]!;
    expect(Array.from(log.offsets)).toEqual([1048576, 1048577, 1048578]);
    expect(Array.from(log.values)).toEqual([4, 5, 6]);
    expect([1048576, 1048577, 1048578].map((o) => indexOfOffset(log, o))).toEqual([0, 1, 2]);
    expect(verdictOf(h)).toMatchObject({ valid: true, anomalyTypes: [] });
  });

  it('a poll across offset 1024 (where the log first grows) is in order, and an offset just past the log is not observed', () => {
    const h = new HistoryBuilder();
    h.op(2, 'ok', 'send', [send(x, 1), send(x, 2), send(x, 3)], [sent(x, null, 1), sent(x, null, 2), sent(x, null, 3)]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[1022, 1], [1023, 2], [1024, 3]] })]);
    const t = buildOpTable(h.events), log = buildVersions(t).logs[0]!;
    expect(Array.from(log.offsets)).toEqual([1022, 1023, 1024]);
    expect(indexOfOffset(log, log.denseOf.length)).toBe(-1);
    expect(verdictOf(h)).toMatchObject({ valid: true, anomalyTypes: [] });
  });

  it('with a value seen there before lists each conflicting value and each duplicate offset once', () => {
    // Offset 0 holds 1, then 2 twice; offset 3 holds 6, then 1 twice: value 1 is at offsets 0 and 3.
    const h = new HistoryBuilder();
    for (const pairs of [[[0, 1]], [[0, 2]], [[0, 2]], [[3, 6]], [[3, 1]], [[3, 1]]] as [number, number][][]) {
      h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: pairs })]);
    }
    const log = buildVersions(buildOpTable(h.events)).logs[0]!;
    expect(log.conflicts).toEqual(new Map([[0, [1, 2]], [3, [6, 1]]]));
    expect(log.dupOffsets).toEqual(new Map([[1, [0, 3]]]));
  });
});

describe('where a write sits', () => {
  it('at the offset its ack named, not at an earlier copy of its value (int-send-skip, kafka.clj)', () => {
    // Op 0 sent 1 and 2, acknowledged at offsets 0 and 5; a copy of 2 also lies at offset 3 (nobody
    // recorded it). Between the op's offsets lies that copy: the sends skipped over it.
    const h = new HistoryBuilder();
    const op = h.op(0, 'ok', 'send', [send(x, 1), send(x, 2)], [sent(x, 0, 1), sent(x, 5, 2)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1], [3, 2], [5, 2]] })]);
    const t = buildOpTable(h.events);
    expect(Array.from(buildVersions(t).wIdx)).toEqual([0, 2]);
    expect(anomaliesOf(h, 'int-send-skip')).toEqual([
      { type: 'int-send-skip', allowed: true, key: x, ops: [op], delta: 2, values: [1, 2], offsets: [0, 5], skipped: [2] },
    ]);
  });
});

describe('attempts that sent the same value', () => {
  // Three attempts of one copier sent value 5 of key x: two only intended to (no offset), one recorded
  // offset 0. A read of 5 at offset 3, which nobody recorded, is the recorded attempt's (the likeliest
  // writer): it committed, so its record at offset 0 is visible too, a second copy (duplicate).
  const attempts = {
    recorded: (h: HistoryBuilder) => h.op(1, 'info', 'txn', [send(x, 5)], [sent(x, 0, 5)]),
    intendedA: (h: HistoryBuilder) => h.op(2, 'info', 'txn', [send(x, 5)]),
    intendedB: (h: HistoryBuilder) => h.op(3, 'info', 'txn', [send(x, 5)]),
  };
  it.each([['recorded', 'intendedA', 'intendedB'], ['intendedA', 'intendedB', 'recorded'], ['intendedA', 'recorded', 'intendedB']] as const)(
    'a read at an offset nobody recorded is the one that recorded an offset (order %s, %s, %s)', (...order) => {
      const h = new HistoryBuilder();
      let recorded = -1;
      for (const name of order) { const op = attempts[name](h); if (name === 'recorded') recorded = op; }
      h.op(9, 'ok', 'poll', [poll()], [polled({ [x]: [[3, 5]] })]);
      const t = buildOpTable(h.events), v = buildVersions(t);
      expect(t.index[t.wOp[v.readWriter[0]!]!]).toBe(recorded);
      expect(anomaliesOf(h, 'duplicate')).toMatchObject([{ type: 'duplicate', key: x, values: [5], offsets: [0, 3] }]);
    });

  it('an offset two attempts both claim with the value is the likelier one\'s (ok before fail), whichever came first', () => {
    for (const order of [['fail', 'ok'], ['ok', 'fail']] as const) {
      const h = new HistoryBuilder();
      order.forEach((type, p) => h.op(p, type, 'txn', [send(x, 5)], [sent(x, 0, 5)]));
      h.op(9, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 5]] })]);
      expect(anomaliesOf(h, 'G1a')).toEqual([]);
    }
  });

  it('a read at the offset an attempt recorded proves that attempt committed, though another sent the value as likely', () => {
    // Attempts 1 and 2 both recorded a copy of 5 (offsets 0 and 1): a tie for a read elsewhere. The
    // read at offset 1 is attempt 2's; so attempt 2 committed, and its send of 7 to key y, below what
    // a reader reached on y, is a lost write.
    const h = new HistoryBuilder();
    h.op(1, 'info', 'txn', [send(x, 5)], [sent(x, 0, 5)]);
    const second = h.op(2, 'info', 'txn', [send(x, 5), send(y, 7)], [sent(x, 1, 5), sent(y, 0, 7)]);
    h.op(3, 'ok', 'send', [send(y, 8)], [sent(y, 1, 8)]);
    const reader = h.op(9, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 5]], [y]: [[1, 8]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: y, values: [7], offsets: [0], ops: [second, reader], delta: 1 },
    ]);
  });
});

describe('an attempt that sent one value twice', () => {
  it('is still its only writer: a read of it proves the attempt committed (a copier copying a duplicated input twice)', () => {
    // The info attempt lists copy 5 twice, never acknowledged, and recorded 7 at offset 0 of y. A read
    // of 5 is its read whatever the offset, so it committed, and 7, below what a reader reached, is lost.
    const h = new HistoryBuilder();
    const attempt = h.op(1, 'info', 'txn', [send(x, 5), send(x, 5), send(y, 7)], [send(x, 5), send(x, 5), sent(y, 0, 7)]);
    h.op(2, 'ok', 'send', [send(y, 8)], [sent(y, 1, 8)]);
    const reader = h.op(9, 'ok', 'poll', [poll()], [polled({ [x]: [[3, 5]], [y]: [[1, 8]] })]);
    expect(anomaliesOf(h, 'lost-write')).toEqual([
      { type: 'lost-write', allowed: false, key: y, values: [7], offsets: [0], ops: [attempt, reader], delta: 1 },
    ]);
  });
});
