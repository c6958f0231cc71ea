// How the checker turns anomalies into a verdict (checker.ts, history-format.md §3): a history is
// invalid exactly when some anomaly is not allowed; names are sorted; every anomaly is counted, but at
// most `maxPerType` (256 unless told) are listed per name, and the examples that make the history
// invalid are kept ahead of allowed ones of the same name (a reader must see why it failed); a
// history with no ok op cannot be checked and is invalid, as in Jepsen. The verdict with the cycle
// search in a worker thread is the same verdict.
import { describe, expect, it } from 'vitest';
import { buildOpTable } from './analysis/ops.ts';
import { checkHistory, checkOpTable, checkOpTableInParallel } from './checker.ts';
import { HistoryBuilder, poll, polled, send, sent } from './testing/history-builder.ts';

/** Two poll-skips of key 0: process 1's is allowed (it subscribed), process 2's, later, is not (assigned). */
function skips(): HistoryBuilder {
  const h = new HistoryBuilder();
  h.op(9, 'ok', 'send', [send(0, 1), send(0, 2), send(0, 3)], [sent(0, 0, 1), sent(0, 1, 2), sent(0, 2, 3)]);
  h.op(1, 'ok', 'subscribe', [0]);
  h.op(2, 'ok', 'assign', [0]);
  h.op(3, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2], [2, 3]] })]);
  for (const p of [1, 2]) h.op(p, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
  for (const p of [1, 2]) h.op(p, 'ok', 'poll', [poll()], [polled({ 0: [[2, 3]] })]);
  return h;
}

describe('the verdict', () => {
  it('keeps the example that invalidates the history ahead of an allowed one found first, and counts both', () => {
    const all = checkHistory(skips().events);
    expect(all.anomalies['poll-skip']!.map((a) => a.allowed)).toEqual([true, false]);
    const one = checkHistory(skips().events, { maxPerType: 1 });
    expect(one).toMatchObject({ valid: false, anomalyTypes: ['poll-skip'], invalidTypes: ['poll-skip'], anomalyCounts: { 'poll-skip': 2 } });
    expect(one.anomalies['poll-skip']!.map((a) => [a.allowed, a.ops])).toEqual([[false, all.anomalies['poll-skip']![1]!.ops]]);
  });

  it('is valid when every anomaly is allowed, and names them all, sorted, with their counts', () => {
    const h = new HistoryBuilder();
    h.op(9, 'ok', 'send', [send(0, 1), send(0, 2), send(0, 3)], [sent(0, 0, 1), sent(0, 1, 2), sent(0, 2, 3)]);
    h.op(1, 'ok', 'subscribe', [0]);
    h.op(3, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2], [2, 3]] })]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[2, 3]] })]);
    // A second subscriber going back: an allowed nonmonotonic-poll.
    h.op(4, 'ok', 'subscribe', [0]);
    h.op(4, 'ok', 'poll', [poll()], [polled({ 0: [[1, 2]] })]);
    h.op(4, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
    const v = checkHistory(h.events);
    expect(v).toMatchObject({ valid: true, invalidTypes: [], anomalyTypes: ['nonmonotonic-poll', 'poll-skip'], anomalyCounts: { 'nonmonotonic-poll': 1, 'poll-skip': 1 } });
    expect(Object.keys(v.anomalies)).toEqual(['nonmonotonic-poll', 'poll-skip']);
    expect(Object.keys(v.anomalyCounts)).toEqual(['nonmonotonic-poll', 'poll-skip']);
    expect(v.stats).toEqual({ ops: 8, ok: 8, fail: 0, info: 0 });
  });

  it('lists the first examples found: a later allowed one displaces none', () => {
    // Two subscribers skipping: two allowed poll-skips, the first found is listed.
    const h = skips();
    h.op(4, 'ok', 'subscribe', [0]);
    h.op(4, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
    h.op(4, 'ok', 'poll', [poll()], [polled({ 0: [[2, 3]] })]);
    const all = checkHistory(h.events).anomalies['poll-skip']!;
    expect(all.map((a) => a.allowed)).toEqual([true, false, true]);
    expect(checkHistory(h.events, { maxPerType: 2 }).anomalies['poll-skip']).toEqual(all.slice(0, 2));
  });

  it('finds as many cycles of a name as it lists: 256 by default, in either thread', async () => {
    // 120 separate wr cycles: pairs of transactions that each read the other's write.
    const h = new HistoryBuilder();
    for (let i = 0; i < 120; i++) {
      h.invoke(2 * i, 'txn', [send(2 * i, 1), poll()]);
      h.invoke(2 * i + 1, 'txn', [send(2 * i + 1, 1), poll()]);
      h.complete(2 * i, 'ok', [sent(2 * i, 0, 1), polled({ [2 * i + 1]: [[0, 1]] })]);
      h.complete(2 * i + 1, 'ok', [sent(2 * i + 1, 0, 1), polled({ [2 * i]: [[0, 1]] })]);
    }
    const table = buildOpTable(h.events);
    const serial = checkOpTable(table);
    expect(serial.anomalyCounts).toEqual({ G1c: 120 });
    expect(JSON.stringify(await checkOpTableInParallel(table))).toBe(JSON.stringify(serial));
  }, 60_000);

  it('lists at most 256 examples of a name by default, and counts them all', () => {
    const h = new HistoryBuilder();
    // 300 reads of values nobody sent: 300 garbage reads, one per value.
    h.op(0, 'ok', 'send', [send(0, 0)], [sent(0, 0, 0)]);
    const pairs = Array.from({ length: 300 }, (_, i): [number, number] => [i + 1, 1000 + i]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 0], ...pairs] })]);
    const v = checkHistory(h.events);
    expect(v.anomalyCounts['garbage-read']).toBe(300);
    expect(v.anomalies['garbage-read']).toHaveLength(256);
    expect(checkHistory(h.events, { maxPerType: 300 }).anomalies['garbage-read']).toHaveLength(300);
  });

  it('calls a history without any ok op invalid: nothing could be checked', () => {
    const h = new HistoryBuilder();
    h.op(0, 'fail', 'send', [send(0, 1)], [send(0, 1)]);
    h.op(1, 'info', 'poll', [poll()], null);
    h.invoke(2, 'txn', [send(0, 2)]);
    const v = checkHistory(h.events);
    expect(v).toMatchObject({ valid: false, anomalyTypes: ['empty-transaction-graph'], invalidTypes: ['empty-transaction-graph'], stats: { ops: 2, ok: 0, fail: 1, info: 1 } });
    expect(v.anomalies['empty-transaction-graph']).toEqual([{
      type: 'empty-transaction-graph', allowed: false, ops: [],
      explanation: 'the history has no ok send, poll or txn op, so nothing could be checked (Jepsen treats this as invalid too)',
    }]);
    // An ok assign is no op of the graph either.
    const assigned = new HistoryBuilder();
    assigned.op(0, 'ok', 'assign', [0]);
    expect(checkHistory(assigned.events).invalidTypes).toEqual(['empty-transaction-graph']);
  });

  it('gives the same verdict with the cycle search in a worker thread, cycles in their place among the others', async () => {
    // A wr cycle (an invalid G1c, and G1c-realtime: 5 completed before 6 began) beside the two poll-skips.
    const h = skips();
    h.op(5, 'ok', 'txn', [send(1, 1), poll()], [sent(1, 0, 1), polled({ 2: [[0, 1]] })]);
    h.op(6, 'ok', 'txn', [send(2, 1), poll()], [sent(2, 0, 1), polled({ 1: [[0, 1]] })]);
    const table = buildOpTable(h.events);
    for (const options of [{ maxPerType: 1 }, {}]) {
      const serial = checkOpTable(table, options);
      expect(serial.invalidTypes).toEqual(['G1c', 'G1c-realtime', 'poll-skip']);
      expect(JSON.stringify(await checkOpTableInParallel(table, options))).toBe(JSON.stringify(serial));
    }
  }, 60_000);

  it('fails as the single-threaded check fails when the cycle search fails in its thread', async () => {
    // A table claiming 2^53 events: realtime order cannot index them (an impossible table, a stand-in
    // for any failure of the search), and only the cycle search reads that count.
    const table = { ...buildOpTable(skips().events), events: 2 ** 53 };
    let serial: unknown;
    try { checkOpTable(table); } catch (e) { serial = e; }
    expect(serial).toBeInstanceOf(RangeError);
    await expect(checkOpTableInParallel(table)).rejects.toThrow((serial as Error).message);
  }, 60_000);
});
