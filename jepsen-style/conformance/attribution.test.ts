// Which transactional.id each process ran as (attribution.ts): a `txn` event names it; a process whose ops
// never got that far is matched to the program's workers by the assignment its first op asked for, since
// its InitProducerId may still fence the next instance. Hand-made histories, and the workers of recorded
// programs (test/fixtures/runs/*/program.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClientEvent, HistoryEvent } from '../history.ts';
import { attributeProcesses, type WorkerInfo, workersOfProgram } from './attribution.ts';
import { historyOps } from './history-ops.ts';

type Row = [number, ClientEvent['type'], ClientEvent['f'], ClientEvent['value'], Partial<ClientEvent>?];
/** Events in the order given, one a second. */
const history = (rows: Row[]): HistoryEvent[] =>
  rows.map(([process, type, f, value, extra], index) => ({ index, time: index * 1e9, process, type, f, value, ...extra }));
const attribute = (rows: Row[], workers: WorkerInfo[]) => attributeProcesses(historyOps(history(rows)), workers);
/** A process whose only op, an assign, timed out: its InitProducerId may have landed or not. */
const lostAssign = (process: number, keys: number[]): Row[] => [
  [process, 'invoke', 'assign', keys], [process, 'info', 'assign', keys, { error: 'timeout: assign took longer than 10000 ms' }],
];

describe('attribution of processes to transactional ids', () => {
  it('takes the transactional id a txn names, and a process of its own where none is named', () => {
    const a = attribute([
      [1, 'invoke', 'txn', [['send', 0, 1]], { txnId: 'T' }], [1, 'ok', 'txn', [['send', 0, [0, 1]]], { txnId: 'T' }],
      [2, 'invoke', 'txn', [['send', 0, 2]]], [2, 'ok', 'txn', [['send', 0, [1, 2]]]],
      // A later txn of process 1 without the id keeps the one it ran as.
      [1, 'invoke', 'txn', [['send', 0, 3]]], [1, 'ok', 'txn', [['send', 0, [2, 3]]]],
    ], [{ transactionalId: 'W', assign: [0] }]);
    expect(a).toEqual(new Map([[1, { transactionalId: 'T', certain: true }], [2, { transactionalId: 'tx-2', certain: true }]]));
  });

  it('matches a process that never ran a txn to the worker whose assignment its first op asked for, in any key order', () => {
    const workers: WorkerInfo[] = [{ transactionalId: 'A', assign: [0, 1] }, { transactionalId: 'B', assign: [2, 10] }];
    expect(attribute([...lostAssign(3, [10, 2])], workers)).toEqual(new Map([[3, { transactionalId: 'B', certain: true }]]));
    expect(attribute([...lostAssign(3, [1, 0])], workers)).toEqual(new Map([[3, { transactionalId: 'A', certain: true }]]));
    // Not a match: a subset, a superset, the same size with another key, an assignment of nobody.
    for (const keys of [[0], [0, 1, 2], [0, 2], [9, 10], [3]]) expect(attribute(lostAssign(3, keys), workers).size).toBe(0);
    // Numbers, not strings: 10 sorts after 9 and 2; the worker's own list in any order too.
    expect(attribute(lostAssign(3, [10, 9]), [{ transactionalId: 'C', assign: [9, 10] }]).get(3)).toEqual({ transactionalId: 'C', certain: true });
    expect(attribute(lostAssign(3, [2, 9, 10]), [{ transactionalId: 'C', assign: [10, 2, 9] }]).get(3)).toEqual({ transactionalId: 'C', certain: true });
    expect(attribute(lostAssign(3, [2, 9, 10]), [{ transactionalId: 'C', assigns: [[9, 10, 2]] }]).get(3)).toEqual({ transactionalId: 'C', certain: true });
    // A worker that asks for no assignment matches nothing.
    expect(attribute(lostAssign(3, [0]), [{ transactionalId: 'C' }]).size).toBe(0);
  });

  it('matches by any assignment a worker asks for, and by the first one where only that is known', () => {
    const workers: WorkerInfo[] = [{ transactionalId: 'A', assign: [0], assigns: [[0], [1, 2]] }, { transactionalId: 'B', assign: [3] }];
    expect(attribute(lostAssign(4, [2, 1]), workers).get(4)).toEqual({ transactionalId: 'A', certain: true });
    expect(attribute(lostAssign(4, [3]), workers).get(4)).toEqual({ transactionalId: 'B', certain: true });
    // `assigns` is the whole list: a first assignment not in it is not asked for again.
    expect(attribute(lostAssign(4, [0]), [{ transactionalId: 'A', assign: [0], assigns: [[1]] }]).size).toBe(0);
  });

  it('leaves out idempotent producers, consumers of no transactional worker, and processes without an assign', () => {
    const workers: WorkerInfo[] = [{ transactionalId: 'A', assign: [0] }, { transactionalId: null, assign: [5] }];
    // A process that sent non-transactionally is an idempotent producer, whatever its first op asked for.
    expect(attribute([...lostAssign(1, [0]), [1, 'invoke', 'send', [['send', 0, 1]]], [1, 'ok', 'send', [['send', 0, [0, 1]]]]], workers).size).toBe(0);
    // Only a worker without a transactional id asked for [5].
    expect(attribute(lostAssign(2, [5]), workers).size).toBe(0);
    // A consumer that polled after its assignment did not send: it is matched like any other.
    expect(attribute([[1, 'invoke', 'assign', [0]], [1, 'ok', 'assign', [0]], [1, 'invoke', 'poll', [['poll']]], [1, 'ok', 'poll', [['poll', {}]]]], workers).get(1))
      .toEqual({ transactionalId: 'A', certain: true });
    // A first op that is not an assignment names no worker.
    expect(attribute([[3, 'invoke', 'poll', [['poll']]], [3, 'info', 'poll', [['poll']]]], workers).size).toBe(0);
    // Without workers nothing but txn events attributes.
    expect(attributeProcesses(historyOps(history(lostAssign(4, [0])))).size).toBe(0);
  });

  it('a process whose txn names its id keeps it even where its first assignment matches another worker', () => {
    const a = attribute([
      ...lostAssign(1, [0]).slice(0, 1), [1, 'ok', 'assign', [0]],
      [1, 'invoke', 'txn', [['send', 0, 1]], { txnId: 'T' }], [1, 'ok', 'txn', [['send', 0, [0, 1]]], { txnId: 'T' }],
    ], [{ transactionalId: 'A', assign: [0] }]);
    expect(a.get(1)).toEqual({ transactionalId: 'T', certain: true });
  });

  it('where several transactional workers asked for the assignment, each is possible and none certain', () => {
    const workers: WorkerInfo[] = [{ transactionalId: 'A', assign: [0] }, { transactionalId: null, assign: [0] }, { transactionalId: 'B', assign: [0] }, { transactionalId: 'C', assign: [1] }];
    expect(attribute(lostAssign(7, [0]), workers).get(7)).toEqual({ transactionalId: 'A', certain: false, alternatives: ['B'] });
    // A transactional worker and a plain consumer: the process may have been the consumer, so not certain.
    expect(attribute(lostAssign(7, [0]), workers.slice(0, 2)).get(7)).toEqual({ transactionalId: 'A', certain: false });
    // Two instances of one worker (the copier runs twice) are one id: certain.
    expect(attribute(lostAssign(7, [1]), [...workers, { transactionalId: 'C', assign: [1] }]).get(7)).toEqual({ transactionalId: 'C', certain: true });
  });
});

describe('the workers of a program', () => {
  const program = (dir: string): unknown => JSON.parse(readFileSync(`test/fixtures/runs/${dir}/program.json`, 'utf8'));

  it('reads each worker\'s transactional id, group and assignments from a recorded program', () => {
    const workers = workersOfProgram(program('kafkajs-seed-51'));
    expect(workers).toHaveLength(8);
    expect(workers[0]).toMatchObject({ transactionalId: 'txn-w0', groupId: 'kafka-eos-clients', assign: [1, 2, 5, 6] });
    expect(workers[0]!.assigns).toHaveLength(96);
    expect(workers[0]!.assigns!.slice(0, 3)).toEqual([[1, 2, 5, 6], [0, 1, 3, 4, 5, 6, 7], [0, 1, 2, 3, 4, 5, 6, 7]]);
    expect(workers[3]).toMatchObject({ transactionalId: null, assign: [6] });
    expect(workers[6]).toStrictEqual({ transactionalId: 'copier-0', groupId: 'copier-0', assign: [0, 1], assigns: [[0, 1]] });
  });

  it('keeps what a worker says and leaves out what it does not', () => {
    expect(workersOfProgram({ workers: [
      {},
      { transactionalId: 'T', ops: [{ f: 'txn', value: [] }, { f: 'assign', value: [3] }, { f: 'assign', value: 'x' }] },
      { groupId: 'g', ops: [{ f: 'assign', value: null }] },
    ] })).toStrictEqual([
      { transactionalId: null },
      // Its first op is no assignment; a later one is still one it asks for.
      { transactionalId: 'T', assigns: [[3]] },
      { transactionalId: null, groupId: 'g' },
    ]);
  });

  it('a program without workers has none', () => {
    for (const p of [null, undefined, {}, { workers: 'x' }, 7]) expect(workersOfProgram(p)).toEqual([]);
  });
});
