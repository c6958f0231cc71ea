// Order rules (research/jepsen.md §2, kafka.clj 1151-1453): a partition is an ordered log, so one
// op's consecutive reads of a key, and one process's polls, advance one position at a time; sends of
// one op, and of one producer across its ops, land in the order they were sent. Each rule is pinned
// by a hand-made history with the verdict Jepsen's rule gives it, and its sentence.
import { describe, expect, it } from 'vitest';
import { buildOpTable, type OpTable } from './ops.ts';
import { processCases } from './order-cases.ts';
import { buildVersions } from './versions.ts';
import { anomaliesOf, verdictOf } from '../testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';

const x = 0, y = 1;
const explanations = (h: HistoryBuilder, type: string) => (verdictOf(h).anomalies[type] ?? []).map((a) => a.explanation);

describe('within one op (int-*)', () => {
  it('compares reads of one key only: a later op reading a fresh key twice in order is fine', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'poll', [poll()], [polled({ [y]: [[5, 9]] })]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1], [1, 2]] })]);
    expect(verdictOf(h).anomalyTypes.filter((t) => t.startsWith('int-'))).toEqual([]);
  });

  it('explains a skip and a step back inside one poll', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [1, 2, 3].map((v) => send(x, v)), [1, 2, 3].map((v, i) => sent(x, i, v)));
    const skip = h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1], [2, 3]] })]);
    const back = h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2], [0, 1]] })]);
    expect(explanations(h, 'int-poll-skip')).toEqual([`op ${skip} polled key 0 at offset 0 then 2, skipping value(s) 2 known to lie between`]);
    expect(explanations(h, 'int-nonmonotonic-poll')).toEqual(
      [`op ${back} polled value 2 of key 0 (offset 1) and then value 1 (offset 0), going backwards or repeating`]);
  });

  it('lists at most 32 skipped values', () => {
    const h = new HistoryBuilder();
    const values = Array.from({ length: 40 }, (_, i) => i);
    h.op(0, 'ok', 'send', values.map((v) => send(x, v)), values.map((v) => sent(x, v, v)));
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 0], [39, 39]] })]);
    const [skip] = anomaliesOf(h, 'int-poll-skip');
    expect(skip).toMatchObject({ delta: 39, skipped: values.slice(1, 33) });
  });

  it('compares every pair of consecutive sends of a key, however long the op', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'poll', [poll()], [polled({})]);
    // 1 and 2 land in order, 3 lands before both: the step 2 -> 3 goes back.
    const op = h.op(1, 'ok', 'send', [send(x, 1), send(x, 2), send(x, 3)], [sent(x, 1, 1), sent(x, 2, 2), sent(x, 0, 3)]);
    expect(anomaliesOf(h, 'int-nonmonotonic-send')).toEqual([
      { type: 'int-nonmonotonic-send', allowed: false, key: x, ops: [op], delta: -2, values: [2, 3], offsets: [2, 0] },
    ]);
    expect(explanations(h, 'int-nonmonotonic-send')).toEqual(
      [`op ${op} sent value 2 and then 3 to key 0, but they landed in the opposite order (offsets 2 and 0)`]);
  });

  it('allows other writes between one op\'s sends (int-send-skip: Kafka does not isolate writes), and says so', () => {
    const h = new HistoryBuilder();
    const op = h.op(0, 'ok', 'send', [send(x, 1), send(x, 3)], [sent(x, 0, 1), sent(x, 2, 3)]);
    h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 1, 2)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1], [1, 2], [2, 3]] })]);
    expect(anomaliesOf(h, 'int-send-skip')).toEqual([
      { type: 'int-send-skip', allowed: true, key: x, ops: [op], delta: 2, values: [1, 3], offsets: [0, 2], skipped: [2] },
    ]);
    expect(explanations(h, 'int-send-skip')).toEqual(
      [`op ${op} sent values 1 and 3 to key 0, which landed at offsets 0 and 2 with other writes (2) between`]);
    expect(verdictOf(h).valid).toBe(true);
  });

  it('says nothing about sends whose position is unknown (never seen at any offset)', () => {
    const h = new HistoryBuilder();
    h.op(3, 'ok', 'send', [send(x, 5), send(x, 6), send(x, 7)], [sent(x, 5, 5), sent(x, null, 6), sent(x, 6, 7)]);
    h.op(3, 'ok', 'send', [send(x, 8), send(x, 9)], [sent(x, null, 8), sent(x, 7, 9)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[5, 5], [6, 7], [7, 9]] })]);
    expect(verdictOf(h).anomalyTypes.filter((t) => /send/.test(t))).toEqual([]);
  });

  it('judges a failed op\'s sends that polls saw too: they landed in the order they landed (kafka.clj int-send cases)', () => {
    const h = new HistoryBuilder();
    const failed = h.op(1, 'fail', 'txn', [send(x, 4), send(x, 3)], [sent(x, 1, 4), sent(x, 0, 3)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 3], [1, 4]] })]);
    expect(anomaliesOf(h, 'int-nonmonotonic-send').map((a) => a.ops)).toEqual([[failed]]);
  });
});

describe('across one process\'s ops (poll-skip, nonmonotonic-*)', () => {
  it('a consumer that goes back to the start of the log is nonmonotonic', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 1), send(x, 2)], [sent(x, 0, 1), sent(x, 1, 2)]);
    const p1 = h.op(7, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2]] })]);
    const p2 = h.op(7, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]] })]);
    expect(anomaliesOf(h, 'nonmonotonic-poll')).toEqual([
      { type: 'nonmonotonic-poll', allowed: false, key: x, ops: [p1, p2], delta: -1, values: [2, 1], offsets: [1, 0] },
    ]);
    expect(explanations(h, 'nonmonotonic-poll')).toEqual([
      `process 7's op ${p2} polled key 0 from offset 0 (value 1), at or before where its previous ok poll, op ${p1}, ended (offset 1, value 2)`]);
  });

  it('under a subscription skips and steps back are allowed, and the sentence says why', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [1, 2, 3].map((v) => send(x, v)), [1, 2, 3].map((v, i) => sent(x, i, v)));
    h.op(5, 'ok', 'subscribe', [x]);
    const p1 = h.op(5, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]] })]);
    const p2 = h.op(5, 'ok', 'poll', [poll()], [polled({ [x]: [[2, 3]] })]);
    const p3 = h.op(5, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2]] })]);
    const why = ' (allowed: the process was subscribed, rebalances move partitions)';
    expect(explanations(h, 'poll-skip')).toEqual([
      `process 5's op ${p2} polled key 0 from offset 2, but its previous ok poll, op ${p1}, ended at offset 0: value(s) 2 between were skipped${why}`]);
    expect(explanations(h, 'nonmonotonic-poll')).toEqual([
      `process 5's op ${p3} polled key 0 from offset 1 (value 2), at or before where its previous ok poll, op ${p2}, ended (offset 2, value 3)${why}`]);
    expect(verdictOf(h).valid).toBe(true);
  });

  it('a producer\'s later op whose first send lands before its earlier op\'s single send is nonmonotonic', () => {
    const h = new HistoryBuilder();
    const early = h.op(4, 'ok', 'send', [send(x, 3)], [sent(x, 3, 3)]);
    const late = h.op(4, 'ok', 'send', [send(x, 1)], [sent(x, 1, 1)]);
    expect(anomaliesOf(h, 'nonmonotonic-send')).toEqual([
      { type: 'nonmonotonic-send', allowed: false, key: x, ops: [early, late], delta: -1, values: [3, 1], offsets: [3, 1] },
    ]);
    expect(explanations(h, 'nonmonotonic-send')).toEqual([
      `process 4's op ${late} sent value 1 to key 0, which landed at offset 1, at or before offset 3 where its earlier op ${early} sent value 3`]);
  });

  it('compares a producer\'s ops by their first send of a key; the op\'s own order is int-*', () => {
    const h = new HistoryBuilder();
    h.op(4, 'ok', 'send', [send(x, 5)], [sent(x, 5, 5)]);
    h.op(4, 'ok', 'send', [send(x, 6), send(x, 3)], [sent(x, 6, 6), sent(x, 3, 3)]);
    expect(verdictOf(h).anomalyTypes).toContain('int-nonmonotonic-send');
    expect(verdictOf(h).anomalyTypes).not.toContain('nonmonotonic-send');
  });

  it('leaves a failed op out between ops: it neither reports nor moves the producer\'s last send', () => {
    const h = new HistoryBuilder();
    h.op(4, 'ok', 'send', [send(x, 3)], [sent(x, 3, 3)]);
    h.op(4, 'fail', 'send', [send(x, 1)], [sent(x, 1, 1)]);
    h.op(4, 'ok', 'send', [send(x, 5)], [sent(x, 5, 5)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 1], [3, 3], [5, 5]] })]);
    expect(anomaliesOf(h, 'nonmonotonic-send')).toEqual([]);
  });

  it('ignores sends whose position is unknown', () => {
    const h = new HistoryBuilder();
    h.op(4, 'ok', 'send', [send(x, 3)], [sent(x, 3, 3)]);
    h.op(4, 'ok', 'send', [send(x, 1)], [sent(x, null, 1)]);
    expect(anomaliesOf(h, 'nonmonotonic-send')).toEqual([]);
  });

  it('judges a process\'s ops in the order it invoked them, however the op table lists them', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [1, 2, 3].map((v) => send(x, v)), [1, 2, 3].map((v, i) => sent(x, i, v)));
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]] })]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ [x]: [[2, 3]] })]);
    const t = buildOpTable(h.events), v = buildVersions(t);
    const asBuilt = processCases(t, v);
    expect(asBuilt.map((a) => a.type)).toEqual(['poll-skip']);
    const swapped = swapRows(t, 1, 2);
    expect(processCases(swapped, buildVersions(swapped))).toEqual(asBuilt);
  });
});

/** The same op table with ops i and j (and their mops) in each other's rows; history indices unchanged. */
function swapRows(t: OpTable, i: number, j: number): OpTable {
  const order = Array.from({ length: t.n }, (_, k) => (k === i ? j : k === j ? i : k));
  const rowCols = ['index', 'invokeIndex', 'process', 'type', 'f', 'invokeTime', 'completeTime'] as const;
  const out = { ...t } as OpTable & Record<string, unknown>;
  for (const c of rowCols) out[c] = (t[c] as Int32Array).map((_, k) => (t[c] as Int32Array)[order[k]!]!) as never;
  for (const [start, cols] of [['wStart', ['wKey', 'wOffset', 'wValue', 'wOp']], ['rStart', ['rKey', 'rOffset', 'rValue', 'rOp']]] as const) {
    const from = t[start], idx: number[] = [], starts = [0];
    for (const op of order) { for (let m = from[op]!; m < from[op + 1]!; m++) idx.push(m); starts.push(idx.length); }
    out[start] = Int32Array.from(starts);
    for (const c of cols) {
      const col = t[c] as Int32Array | Float64Array;
      out[c] = (c.endsWith('Op') ? Int32Array.from(idx, (m) => order.indexOf(col[m]!)) : col.constructor === Int32Array ? Int32Array.from(idx, (m) => col[m]!) : Float64Array.from(idx, (m) => col[m]!)) as never;
    }
  }
  return out;
}
