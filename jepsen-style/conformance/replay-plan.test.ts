// The replay's plan (replay-plan.ts, replay-order.ts): the steps each op took on the cluster with Kafka's
// answer to each, known or not, and the orders the history forces. Hand-made ops with the plan each must
// give: a transaction begins, sends and polls, commits the offsets it consumed, then commits or aborts; a
// failed op's error belongs to the step its stage names; of an info op only what it heard back is known.
import { describe, expect, it } from 'vitest';
import type { ClientEvent, HistoryEvent } from '../history.ts';
import { attributeProcesses } from './attribution.ts';
import { historyOps } from './history-ops.ts';
import { planUnits, type Step } from './replay-plan.ts';
import { replayOrder } from './replay-order.ts';

type Row = [number, ClientEvent['type'], ClientEvent['f'], ClientEvent['value'], Partial<ClientEvent>?];
const history = (rows: Row[]): HistoryEvent[] =>
  rows.map(([process, type, f, value, extra], index) => ({ index, time: (index + 1) * 1e6, process, type, f, value, ...extra }));
const plan = (rows: Row[]) => {
  const h = historyOps(history(rows));
  return planUnits(h, attributeProcesses(h));
};
/** The plan of one txn op of process 1: its steps and how many are known. */
const txn = (type: 'ok' | 'fail' | 'info', invoked: ClientEvent['value'], completed: ClientEvent['value'], error?: string) => {
  const [start, op] = plan([[1, 'invoke', 'txn', invoked, { txnId: 'T' }], [1, type, 'txn', completed, { txnId: 'T', ...(error ? { error } : {}) }]]);
  expect(start).toMatchObject({ kind: 'start', transactionalId: 'T', steps: [{ kind: 'init' }] });
  return { steps: op!.steps, known: op!.known };
};
const OK = { kind: 'ok' } as const, UNKNOWN = { kind: 'unknown' } as const;
const begin: Step = { kind: 'begin' };
const READ = ['poll', { 0: [[0, 7]] }] as const;
const read: Step = { kind: 'poll', reads: [[0, [[0, 7]]]] };

describe('the steps of a transaction', () => {
  it('ok: begin, its sends and polls, the offsets it consumed, the commit, all known', () => {
    expect(txn('ok', [['poll'], ['send', 1, 2]], [READ, ['send', 1, [3, 2]]])).toEqual({
      steps: [begin, read, { kind: 'send', key: 1, value: 2, offset: 3, answer: OK }, { kind: 'offsets', answer: OK }, { kind: 'end', commit: true, answer: OK }],
      known: 5,
    });
    // Nothing read: no offsets to commit. An empty poll reads nothing.
    expect(txn('ok', [['poll'], ['send', 1, 2]], [['poll', { 0: [] }], ['send', 1, [3, 2]]]).steps)
      .toEqual([begin, { kind: 'send', key: 1, value: 2, offset: 3, answer: OK }, { kind: 'end', commit: true, answer: OK }]);
    // A poll of several keys keeps those that returned records.
    expect(txn('ok', [['poll']], [['poll', { 0: [[0, 7]], 1: [], 2: [[4, 9]] }]]).steps[1]).toEqual({ kind: 'poll', reads: [[0, [[0, 7]]], [2, [[4, 9]]]] });
  });

  it('a failed commit is the commit\'s answer, after the offsets it committed', () => {
    const error = 'commit: CONCURRENT_TRANSACTIONS: busy';
    expect(txn('fail', [['poll'], ['send', 1, 2]], [READ, ['send', 1, [3, 2]]], error)).toEqual({
      steps: [begin, read, { kind: 'send', key: 1, value: 2, offset: 3, answer: OK }, { kind: 'offsets', answer: OK },
        { kind: 'end', commit: true, answer: { kind: 'error', error, cls: 'concurrent' } }],
      known: 5,
    });
  });

  it('a failed offsets commit is that step\'s answer; the transaction then aborts, its abort\'s answer unknown', () => {
    const error = 'sendOffsets: INVALID_PRODUCER_EPOCH: old epoch';
    expect(txn('fail', [['poll']], [READ], error)).toEqual({
      steps: [begin, read, { kind: 'offsets', answer: { kind: 'error', error, cls: 'fenced' } }, { kind: 'end', commit: false, answer: UNKNOWN }],
      known: 4,
    });
  });

  it('a deliberate abort commits the offsets first; another failure before the commit skips them', () => {
    expect(txn('fail', [['poll']], [READ], 'aborted on purpose').steps)
      .toEqual([begin, read, { kind: 'offsets', answer: OK }, { kind: 'end', commit: false, answer: UNKNOWN }]);
    expect(txn('fail', [['poll']], [READ], 'beginTransaction: TimeoutException: x').steps)
      .toEqual([begin, read, { kind: 'end', commit: false, answer: UNKNOWN }]);
    expect(txn('fail', [['poll']], [READ], 'NOT_COORDINATOR: x').steps)
      .toEqual([begin, read, { kind: 'end', commit: false, answer: UNKNOWN }]);
  });

  it('a send without an offset is where a failed op stopped: its error is that send\'s answer, unless a stage names another step', () => {
    const error = 'INVALID_PRODUCER_EPOCH: old epoch';
    expect(txn('fail', [['send', 0, 1], ['send', 1, 2], ['poll']], [['send', 0, [5, 1]], ['send', 1, [null, 2]], READ], error)).toEqual({
      steps: [begin, { kind: 'send', key: 0, value: 1, offset: 5, answer: OK }, { kind: 'send', key: 1, value: 2, offset: null, answer: { kind: 'error', error, cls: 'fenced' } },
        { kind: 'end', commit: false, answer: UNKNOWN }],
      known: 4,
    });
    // A commit's error after a send that never got its answer: the send's answer is unknown.
    expect(txn('fail', [['send', 1, 2]], [['send', 1, [null, 2]]], 'commit: x').steps[1]).toEqual({ kind: 'send', key: 1, value: 2, offset: null, answer: UNKNOWN });
    // A failed op without an error says "fail".
    expect(txn('fail', [['send', 1, 2]], [['send', 1, [null, 2]]]).steps[1]).toEqual({ kind: 'send', key: 1, value: 2, offset: null, answer: { kind: 'error', error: 'fail', cls: 'unknown' } });
  });

  it('info: what it heard back is known; the rest, its offsets and its end, are not', () => {
    const lost = txn('info', [['poll'], ['send', 1, 2], ['send', 1, 3]], [READ, ['send', 1, [3, 2]], ['send', 1, [null, 3]]], 'timeout: txn took longer than 10000 ms');
    expect(lost).toEqual({
      steps: [begin, read, { kind: 'send', key: 1, value: 2, offset: 3, answer: OK }, { kind: 'send', key: 1, value: 3, offset: null, answer: UNKNOWN },
        { kind: 'end', commit: false, answer: UNKNOWN }],
      known: 3,
    });
    // Every send answered: its offsets commit and its end are the unknown tail.
    expect(txn('info', [['poll'], ['send', 1, 2]], [READ, ['send', 1, [3, 2]]])).toEqual({
      steps: [begin, read, { kind: 'send', key: 1, value: 2, offset: 3, answer: OK }, { kind: 'offsets', answer: UNKNOWN }, { kind: 'end', commit: false, answer: UNKNOWN }],
      known: 3,
    });
  });

  it('info whose write a poll read where it landed: the send is located and the end is a commit', () => {
    const [, op] = plan([
      [1, 'invoke', 'txn', [['send', 1, 2]], { txnId: 'T' }], [1, 'info', 'txn', [['send', 1, [null, 2]]], { txnId: 'T' }],
      [2, 'invoke', 'poll', [['poll']]], [2, 'ok', 'poll', [['poll', { 1: [[6, 2]] }]]],
    ]);
    expect(op).toMatchObject({ committed: true, known: 1, steps: [begin, { kind: 'send', key: 1, value: 2, offset: 6, answer: UNKNOWN, located: true }, { kind: 'end', commit: true, answer: UNKNOWN }] });
  });
});

describe('the steps of plain sends and polls', () => {
  it('send ops: one step per send, known up to the first without an answer', () => {
    const [op] = plan([[1, 'invoke', 'send', [['send', 0, 1], ['send', 0, 2]]], [1, 'fail', 'send', [['send', 0, [0, 1]], ['send', 0, [null, 2]]], { error: 'NOT_ENOUGH_REPLICAS: x' }]]);
    expect(op).toMatchObject({
      kind: 'op', steps: [{ kind: 'send', key: 0, value: 1, offset: 0, answer: OK }, { kind: 'send', key: 0, value: 2, offset: null, answer: { kind: 'error', error: 'NOT_ENOUGH_REPLICAS: x', cls: 'unavailable' } }],
      known: 2, committed: false, optional: false,
    });
    expect(op!.transactionalId).toBeUndefined();
    const [info] = plan([[1, 'invoke', 'send', [['send', 0, 1], ['send', 0, 2]]], [1, 'info', 'send', [['send', 0, [0, 1]], ['send', 0, [null, 2]]]]]);
    // Of an info send op the unanswered send never happened (history-ops.ts); what is left is known.
    expect(info).toMatchObject({ steps: [{ kind: 'send', key: 0, value: 1, offset: 0, answer: OK }], known: 1 });
  });

  it('poll ops: the keys that returned records', () => {
    const [op] = plan([[1, 'invoke', 'poll', [['poll']]], [1, 'ok', 'poll', [['poll', { 3: [[1, 4]] }]]]]);
    expect(op).toMatchObject({ steps: [{ kind: 'poll', reads: [[3, [[1, 4]]]] }], known: 1 });
  });
});

describe('the starts of transactional processes', () => {
  it('a process whose first op completed ok certainly initialised; one that did not only may have', () => {
    const units = plan([
      [1, 'invoke', 'txn', [['send', 0, 1]], { txnId: 'T' }], [1, 'ok', 'txn', [['send', 0, [0, 1]]], { txnId: 'T' }],
      [2, 'invoke', 'txn', [['send', 0, 2]], { txnId: 'T' }], [2, 'info', 'txn', [['send', 0, [null, 2]]], { txnId: 'T' }],
    ]);
    expect(units.map((u) => [u.kind, u.process, u.index, u.known, u.optional, u.steps[0]])).toEqual([
      ['start', 1, 1, 1, false, { kind: 'init', answer: OK }], ['op', 1, 1, 3, false, begin],
      ['start', 2, 3, 0, true, { kind: 'init', answer: UNKNOWN }], ['op', 2, 3, 1, false, begin],
    ]);
    expect(units[0]).toMatchObject({ invokeIndex: 0, type: 'ok', invokeTime: 1e6, time: 2e6, committed: false });
  });

  it('a guessed transactional id is optional, and each alternative a start of its own outside the process\'s order', () => {
    const h = historyOps(history([[3, 'invoke', 'assign', [0]], [3, 'ok', 'assign', [0]]]));
    const units = planUnits(h, attributeProcesses(h, [{ transactionalId: 'A', assign: [0] }, { transactionalId: 'B', assign: [0] }]));
    expect([...units].sort((a, b) => a.transactionalId!.localeCompare(b.transactionalId!))).toEqual([
      { kind: 'start', index: 1, invokeIndex: 0, process: 3, type: 'ok', invokeTime: 1e6, time: 2e6, transactionalId: 'A', steps: [{ kind: 'init', answer: UNKNOWN }], known: 0, committed: false, optional: true },
      { kind: 'start', index: 1, invokeIndex: 0, process: 3, type: 'ok', invokeTime: 1e6, time: 2e6, transactionalId: 'B', steps: [{ kind: 'init', answer: UNKNOWN }], known: 0, committed: false, optional: true, alternative: true },
    ]);
    // A process's main start comes before its alternatives (a consistent comparator, whatever the engine's sort).
    expect(units.map((u) => u.transactionalId)).toEqual(['A', 'B']);
    // The alternative does not order the process: the start for A is its first unit, whatever the list order.
    expect(replayOrder(units).previous).toEqual([-1, -1]);
    const h2 = historyOps(history([[3, 'invoke', 'assign', [0]], [3, 'ok', 'assign', [0]], [3, 'invoke', 'poll', [['poll']]], [3, 'ok', 'poll', [['poll', { 0: [[0, 1]] }]]]]));
    const withOp = planUnits(h2, attributeProcesses(h2, [{ transactionalId: 'A', assign: [0] }, { transactionalId: 'B', assign: [0] }]));
    const a = withOp.findIndex((u) => u.transactionalId === 'A' && u.kind === 'start');
    expect(replayOrder(withOp).previous[withOp.findIndex((u) => u.kind === 'op')]).toBe(a);
  });
});

describe('the orders a history forces', () => {
  it('a key\'s acknowledged and located writes in offset order; real time; each process\'s order; the units of each id', () => {
    const units = plan([
      [1, 'invoke', 'txn', [['send', 0, 1], ['send', 0, 2]], { txnId: 'T' }],
      [2, 'invoke', 'send', [['send', 0, 3]]], [2, 'ok', 'send', [['send', 0, [0, 3]]]],
      [1, 'info', 'txn', [['send', 0, [2, 1]], ['send', 0, [null, 2]]], { txnId: 'T' }],
      [3, 'invoke', 'poll', [['poll']]], [3, 'ok', 'poll', [['poll', { 0: [[0, 3], [1, 2], [2, 1]] }]]],
      [1, 'invoke', 'txn', [['send', 1, 5]], { txnId: 'T' }], [1, 'ok', 'txn', [['send', 1, [0, 5]]], { txnId: 'T' }],
    ]);
    expect(units.map((u) => `${u.kind} ${u.process} @${u.index}`)).toEqual(['op 2 @2', 'start 1 @3', 'op 1 @3', 'op 3 @5', 'op 1 @7']);
    const o = replayOrder(units);
    // Value 2's send was located at offset 1 (the poll read it there); its unknown answer still orders the key.
    expect(o.byKey).toEqual(new Map([[0, [{ unit: 0, step: 0, offset: 0 }, { unit: 2, step: 2, offset: 1 }, { unit: 2, step: 1, offset: 2 }]], [1, [{ unit: 4, step: 1, offset: 0 }]]]));
    // Units completed before each invoke: process 1's first op was invoked before anything completed.
    expect(o.before).toEqual([0, 0, 0, 3, 4]);
    expect(o.previous).toEqual([-1, -1, 1, -1, 2]);
    expect(o.byTransactionalId).toEqual(new Map([['T', [1, 2, 4]]]));
  });

  it('an info op\'s write nobody read is not placed on its key', () => {
    const units = plan([
      [1, 'invoke', 'txn', [['send', 0, 1], ['poll']], { txnId: 'T' }],
      [1, 'info', 'txn', [['send', 0, [4, 1]], ['poll', { 1: [[0, 1]] }]], { txnId: 'T' }],
    ]);
    expect(replayOrder(units).byKey.get(0)).toEqual([{ unit: 1, step: 1, offset: 4 }]);
  });
});
