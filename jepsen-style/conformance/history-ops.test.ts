// The view of a history the conformance checks share (history-ops.ts): ops with the mops that really
// happened, their real-time bounds, where a send whose answer was lost landed (the offset a poll read its
// value at, that nobody else was told), which info ops committed (a read_committed poll returned one of
// their writes), and the likeliest writer of each value. Hand-made histories with what each must give.
import { describe, expect, it } from 'vitest';
import type { ClientEvent, HistoryEvent } from '../history.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';
import { historyOps, kv, readsOf, sendsOf } from './history-ops.ts';

type Row = [number, ClientEvent['type'], ClientEvent['f'], ClientEvent['value'], Partial<ClientEvent>?] | ['nemesis', 'info', string, unknown];
/** Events in the order given, at 10, 20, 30 ... ns. */
const history = (rows: Row[]): HistoryEvent[] =>
  rows.map(([process, type, f, value, extra], index) => ({ index, time: (index + 1) * 10, process, type, f, value, ...extra }) as HistoryEvent);

describe('ops of a history', () => {
  it('pairs each completion with its process\'s invoke, in completion order, unfinished invokes last as info', () => {
    const h = historyOps(history([
      [1, 'invoke', 'send', [['send', 0, 1]]],
      [2, 'invoke', 'txn', [['send', 1, 2]], { txnId: 'T' }],
      [3, 'invoke', 'poll', [['poll']]],
      [2, 'ok', 'txn', [['send', 1, [0, 2]]]],
      [1, 'fail', 'send', [['send', 0, [null, 1]]], { error: 'NOT_ENOUGH_REPLICAS: x' }],
    ]));
    expect(h.ops).toStrictEqual([
      { index: 3, invokeIndex: 1, process: 2, type: 'ok', f: 'txn', mops: [['send', 1, [0, 2]]], committed: true, invokeTime: 20, time: 40, txnId: 'T' },
      { index: 4, invokeIndex: 0, process: 1, type: 'fail', f: 'send', mops: [['send', 0, [null, 1]]], committed: false, invokeTime: 10, time: 50, error: 'NOT_ENOUGH_REPLICAS: x' },
      { index: 2, invokeIndex: 2, process: 3, type: 'info', f: 'poll', mops: [['poll']], committed: false, invokeTime: 30, time: Infinity },
    ]);
  });

  it('takes the transactional id from the completion where the invoke lacks it, and the invoke\'s mops where the completion has none', () => {
    const h = historyOps(history([
      [1, 'invoke', 'txn', [['send', 0, 1]]], [1, 'info', 'txn', null, { txnId: 'U', error: 'timeout: txn took longer than 10000 ms' }],
    ]));
    expect(h.ops).toEqual([{
      index: 1, invokeIndex: 0, process: 1, type: 'info', f: 'txn', mops: [['send', 0, 1]], committed: false, invokeTime: 10, time: 20,
      txnId: 'U', error: 'timeout: txn took longer than 10000 ms',
    }]);
  });

  it('an op that never completed is info, with the invoke\'s transactional id; an assignment that never completed is no op', () => {
    const h = historyOps(history([
      [1, 'invoke', 'txn', [['send', 0, 1]], { txnId: 'T' }],
      [2, 'invoke', 'send', [['send', 1, 2]]],
      [3, 'invoke', 'assign', [0]],
      [4, 'invoke', 'subscribe', [1]],
    ]));
    expect(h.ops).toStrictEqual([
      { index: 0, invokeIndex: 0, process: 1, type: 'info', f: 'txn', mops: [['send', 0, 1]], committed: false, invokeTime: 10, time: Infinity, txnId: 'T' },
      // Nobody acknowledged or read its send: it never happened (a non-transactional op is not atomic).
      { index: 1, invokeIndex: 1, process: 2, type: 'info', f: 'send', mops: [], committed: false, invokeTime: 20, time: Infinity },
    ]);
  });

  it('skips a completion without an invoke, counts nemesis events, and keeps assignments out of the ops', () => {
    const h = historyOps(history([
      ['nemesis', 'info', 'start-partition', 'majority'],
      [1, 'ok', 'poll', [['poll', { 5: [[0, 1]] }]]],
      [2, 'invoke', 'assign', [3, 7]], [2, 'ok', 'assign', [3, 7]],
      ['nemesis', 'info', 'stop-partition', null],
      [2, 'invoke', 'subscribe', [12]], [2, 'ok', 'subscribe', [12]],
    ]));
    expect(h.ops).toEqual([]);
    expect(h.nemesisEvents).toBe(2);
    // Keys assigned or subscribed count; the orphan completion's key does not.
    expect(h.maxKey).toBe(12);
  });

  it('the highest key any op sent to, read or was assigned, wherever it appears', () => {
    const keyOf = (rows: Row[]) => historyOps(history(rows)).maxKey;
    expect(keyOf([])).toBe(0);
    expect(keyOf([[1, 'invoke', 'send', [['send', 4, 1], ['send', 2, 2]]], [1, 'ok', 'send', [['send', 4, [0, 1]], ['send', 2, [0, 2]]]]])).toBe(4);
    expect(keyOf([[1, 'invoke', 'poll', [['poll']]], [1, 'ok', 'poll', [['poll', { 3: [[0, 1]], 9: [], 6: [] }]]]])).toBe(9);
    expect(keyOf([[1, 'invoke', 'assign', [8, 2]], [1, 'ok', 'assign', [8, 2]], [1, 'invoke', 'send', [['send', 5, 1]]], [1, 'ok', 'send', [['send', 5, [0, 1]]]]])).toBe(8);
    expect(keyOf([[1, 'invoke', 'assign', null], [1, 'ok', 'assign', null]])).toBe(0);
  });

  it('records each process\'s first op, whatever it was, with the assignment it asked for', () => {
    const h = historyOps(history([
      [1, 'invoke', 'assign', [2, 0]], [1, 'ok', 'assign', [2, 0]],
      [1, 'invoke', 'assign', [1]], [1, 'ok', 'assign', [1]],
      [2, 'invoke', 'send', [['send', 0, 1]]], [2, 'ok', 'send', [['send', 0, [0, 1]]]],
      [3, 'invoke', 'subscribe', null], [3, 'fail', 'subscribe', null],
      [4, 'invoke', 'assign', [5]],
    ]));
    expect([...h.starts.values()]).toEqual([
      { process: 1, index: 1, invokeIndex: 0, f: 'assign', type: 'ok', invokeTime: 10, time: 20, assign: [2, 0] },
      { process: 2, index: 5, invokeIndex: 4, f: 'send', type: 'ok', invokeTime: 50, time: 60 },
      { process: 3, index: 7, invokeIndex: 6, f: 'subscribe', type: 'fail', invokeTime: 70, time: 80, assign: [] },
      { process: 4, index: 8, invokeIndex: 8, f: 'assign', type: 'info', invokeTime: 90, time: Infinity, assign: [5] },
    ]);
  });

  it('reads a mop\'s sends and polls', () => {
    const op = historyOps(history([[1, 'invoke', 'txn', [['send', 0, 1], ['poll'], ['send', 2, 3]]], [1, 'ok', 'txn', [['send', 0, [4, 1]], ['poll', { 1: [[0, 5], [1, 6]] }], ['send', 2, [null, 3]]]]])).ops[0]!;
    expect(sendsOf(op)).toEqual([{ key: 0, value: 1, offset: 4 }, { key: 2, value: 3, offset: null }]);
    expect(op.mops.map(readsOf)).toEqual([[], [[1, [[0, 5], [1, 6]]]], []]);
    expect(readsOf(['poll'])).toEqual([]);
    expect(kv(3, 14)).toBe('3:14');
  });
});

describe('where a send whose answer was lost landed', () => {
  it('at the offset a poll read its value at, when nobody was told that offset', () => {
    const h = new HistoryBuilder();
    h.op(0, 'info', 'txn', [send(0, 1), send(1, 2)], [sent(0, null, 1), sent(1, null, 2)], { error: 'timeout: txn took longer than 10000 ms' });
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[3, 1]] })]);
    const [lost] = historyOps(h.events).ops;
    expect(lost!.mops).toEqual([['send', 0, [3, 1]], ['send', 1, [null, 2]]]);
    expect(lost!.located).toEqual(new Set([0]));
    // Read where it landed: the info transaction committed.
    expect(lost!.committed).toBe(true);
  });

  it('not at an offset another op was told for the same value, nor one another lost send took', () => {
    const h = new HistoryBuilder();
    // Two copies of value 5 to key 1 lost their answers; a third was told offset 2. A poll read 5 at 2 and at 4.
    h.op(0, 'info', 'txn', [send(1, 5)], [sent(1, null, 5)]);
    h.op(1, 'info', 'txn', [send(1, 5)], [sent(1, null, 5)]);
    h.op(2, 'info', 'txn', [send(1, 5)], [sent(1, null, 5)]);
    h.op(3, 'ok', 'txn', [send(1, 5)], [sent(1, 2, 5)]);
    h.op(4, 'ok', 'poll', [poll()], [polled({ 1: [[2, 5], [4, 5]] })]);
    const ops = historyOps(h.events).ops;
    expect(ops.map((o) => o.mops)).toEqual([[['send', 1, [4, 5]]], [['send', 1, [null, 5]]], [['send', 1, [null, 5]]], [['send', 1, [2, 5]]], ops[4]!.mops]);
    expect(ops.map((o) => o.committed)).toEqual([true, false, false, true, true]);
    expect(ops[1]!.located).toBeUndefined();
    // Read first at a free offset, then at one another op was told: the free one.
    const twice = new HistoryBuilder();
    twice.op(0, 'info', 'txn', [send(1, 5)], [sent(1, null, 5)]);
    twice.op(4, 'ok', 'poll', [poll()], [polled({ 1: [[4, 5]] })]);
    twice.op(3, 'ok', 'txn', [send(1, 5)], [sent(1, 2, 5)]);
    twice.op(5, 'ok', 'poll', [poll()], [polled({ 1: [[2, 5]] })]);
    expect(historyOps(twice.events).ops[0]!.mops).toEqual([['send', 1, [4, 5]]]);
    // The value of another key at that offset is another record.
    const other = new HistoryBuilder();
    other.op(0, 'info', 'txn', [send(1, 5)], [sent(1, null, 5)]);
    other.op(3, 'ok', 'txn', [send(2, 5)], [sent(2, 4, 5)]);
    other.op(4, 'ok', 'poll', [poll()], [polled({ 1: [[4, 5]], 2: [[4, 5]] })]);
    expect(historyOps(other.events).ops[0]!.mops).toEqual([['send', 1, [4, 5]]]);
  });

  it('an invoke that never completed places its sends the same way', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'txn', [send(0, 1)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
    const lost = historyOps(h.events).ops.find((o) => o.process === 0)!;
    expect(lost).toMatchObject({ type: 'info', mops: [['send', 0, [0, 1]]], committed: true, located: new Set([0]) });
  });

  it('of a non-transactional send op cut by a kill, the sends nobody acknowledged or read never happened', () => {
    const h = new HistoryBuilder();
    h.op(0, 'info', 'send', [send(0, 1), send(1, 2), send(2, 3), send(3, 4)], [send(0, 1), sent(1, 6, 2), send(2, 3), send(3, 4)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 3: [[0, 4]] })]);
    const [cut] = historyOps(h.events).ops;
    expect(cut!.mops).toEqual([['send', 1, [6, 2]], ['send', 3, [0, 4]]]);
    // The located send is now the op's second mop.
    expect(cut!.located).toEqual(new Set([1]));
    expect(cut!.committed).toBe(true);
    // Nothing read and nothing acknowledged: an empty op, never located.
    const none = new HistoryBuilder();
    none.op(0, 'info', 'send', [send(0, 1)], [send(0, 1)]);
    expect(historyOps(none.events).ops[0]).toMatchObject({ mops: [], committed: false });
    expect(historyOps(none.events).ops[0]!.located).toBeUndefined();
  });

  it('an acknowledged send keeps its offset; a transactional info op\'s sends are all kept', () => {
    const h = new HistoryBuilder();
    h.op(0, 'info', 'txn', [send(0, 1), send(0, 2)], [sent(0, 7, 1), sent(0, null, 2)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[3, 1]] })]);
    const [op] = historyOps(h.events).ops;
    expect(op!.mops).toEqual([['send', 0, [7, 1]], ['send', 0, [null, 2]]]);
    expect(op!.located).toBeUndefined();
    // Read at 3, not at the 7 it was told: not proof the transaction committed.
    expect(op!.committed).toBe(false);
  });
});

describe('the writer of each value', () => {
  it('is the op likeliest to have committed: ok, then info, then fail; a committed one over one that is not', () => {
    const writer = (rows: Array<['ok' | 'info' | 'fail', number | null]>, readAt: number | null = null) => {
      const h = new HistoryBuilder();
      rows.forEach(([type, offset], p) => h.op(p, type, 'txn', [send(0, 1)], [sent(0, offset, 1)]));
      if (readAt !== null) h.op(9, 'ok', 'poll', [poll()], [polled({ 0: [[readAt, 1]] })]);
      return historyOps(h.events).writerOf.get(kv(0, 1))?.process;
    };
    expect(writer([['fail', null], ['info', null], ['ok', 0]])).toBe(2);
    expect(writer([['ok', 0], ['info', null], ['fail', null]])).toBe(0);
    expect(writer([['fail', null], ['info', null]])).toBe(1);
    expect(writer([['info', null], ['fail', null]])).toBe(0);
    // Of two ok ops, or two info ops neither read, the first.
    expect(writer([['ok', 0], ['ok', 1]])).toBe(0);
    expect(writer([['info', null], ['info', null]])).toBe(0);
    // An info op read where it landed wins over an earlier info op that was not.
    expect(writer([['info', 4], ['info', 3]], 3)).toBe(1);
    expect(writer([['info', 3], ['info', 4]], 3)).toBe(0);
    // A fail op is never committed, even when a poll read its value where it said (an aborted read, for the checker).
    const failed = new HistoryBuilder();
    failed.op(0, 'fail', 'txn', [send(0, 1)], [sent(0, 3, 1)]);
    failed.op(9, 'ok', 'poll', [poll()], [polled({ 0: [[3, 1]] })]);
    expect(historyOps(failed.events).ops.map((o) => o.committed)).toEqual([false, true]);
    expect(writer([['fail', 3], ['info', null]], 3)).toBe(1);
    expect(writer([], null)).toBeUndefined();
  });
});
