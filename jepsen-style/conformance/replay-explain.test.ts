// Events a history cannot show (replay-explain.ts), fired only where an answer needs them, and the orders a
// history forces (replay-ready.ts), with the sentences that say so. Hand-made histories on both sides of each
// rule: a transaction the coordinator aborted on timeout (transaction.timeout.ms, 30 s here) explains a fenced
// answer only after the timeout; an info transaction a later reader passed was ended by its own client; a
// write acknowledged before another was invoked sits below it in the log.
import { describe, expect, it } from 'vitest';
import { replayAgainstModel } from './replay.ts';
import { timedHistory as history, type TimedRow as Row } from '../testing/history-builder.ts';
import type { ReplayOptions } from './replay-types.ts';

const T = { txnId: 'T' };

describe('a transaction aborted by its coordinator on timeout', () => {
  /** Process 1's transaction began at 1 s; its second send is answered fenced at `answeredAt` s. */
  const fencedAt = (answeredAt: number) => history([
    [1, 1, 'invoke', 'txn', [['send', 0, 1], ['send', 0, 2]], T],
    [answeredAt, 1, 'fail', 'txn', [['send', 0, [0, 1]], ['send', 0, [null, 2]]], { ...T, error: 'INVALID_PRODUCER_EPOCH: x' }],
  ]);

  it.each([['kafkajs, TV1', { client: 'kafkajs', txnVersion: 1 }], ['Java, TV2', { client: 'java', txnVersion: 2 }]] as Array<[string, ReplayOptions]>)(
    'explains a fenced answer after the timeout, not before (%s)', (_, options) => {
      expect(replayAgainstModel(fencedAt(40), options)).toEqual({
        conforms: true, inconclusive: [], replayed: 1, ops: 1, unjudged: 0, unjudgedOps: {},
        explanations: ['the coordinator aborted T\'s transaction on timeout before op 1 (process 1) was answered'],
      });
      const early = replayAgainstModel(fencedAt(20), options);
      expect(early.explanations).toEqual([]);
      expect(early.divergence).toEqual({
        index: 1, process: 1, kind: 'error', key: 0, model: 'accepts it: nothing it can replay fenced T there',
        kafka: 'answered INVALID_PRODUCER_EPOCH: x (fenced) to the send of value 2 to key 0',
        explanation: 'op 1 (process 1, fail txn): Kafka answered INVALID_PRODUCER_EPOCH: x (fenced) to the send of value 2 to key 0, but the model accepts it: nothing it can replay fenced T there',
      });
    });

  it('is kept only where the model, after that abort, answers fenced too: not a TV2 commit', () => {
    // Every hidden event is tried on a fork and kept only when the model then gives Kafka's answer. The model
    // does not answer a TV2 commit fenced after the timeout abort (TV2 bumps the epoch at the abort itself).
    const commitAt40 = (error: string) => history([
      [1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [40, 1, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error }],
    ]);
    expect(replayAgainstModel(commitAt40('commit: INVALID_PRODUCER_EPOCH: x'), { client: 'java', txnVersion: 1 })).toMatchObject({
      conforms: true, explanations: ['the coordinator aborted T\'s transaction on timeout before op 1 (process 1) was answered'],
    });
    const tv2 = replayAgainstModel(commitAt40('commit: INVALID_PRODUCER_EPOCH: x'), { client: 'java', txnVersion: 2 });
    expect(tv2).toMatchObject({ conforms: false, inconclusive: [], explanations: [] });
    expect(tv2.divergence).toMatchObject({ index: 1, kind: 'error', model: 'accepts it: nothing it can replay fenced T there' });
  });

  it('a longer transaction timeout explains it later', () => {
    expect(replayAgainstModel(fencedAt(40), { transactionTimeoutMs: 60_000 }).divergence).toMatchObject({ kind: 'error' });
    expect(replayAgainstModel(fencedAt(70), { transactionTimeoutMs: 60_000 })).toMatchObject({ conforms: true });
  });
});

describe('the end of an info transaction a reader passed', () => {
  it('was its own client\'s abort after the runner gave up on it, before the reader was answered', () => {
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [5, 1, 'info', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'timeout: txn took longer than 10000 ms' }],
      [2, 2, 'invoke', 'send', [['send', 0, 2]]], [2.1, 2, 'ok', 'send', [['send', 0, [1, 2]]]],
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[1, 2]] }]]],
    ]));
    expect(r).toEqual({
      conforms: true, inconclusive: [], replayed: 3, ops: 3, unjudged: 0, unjudgedOps: {},
      explanations: ['op 5 (process 1, info txn) was aborted by its own client after the runner gave up on it, before 3.1 s'],
    });
  });
});

describe('real time and the log', () => {
  it('a write acknowledged before another was invoked cannot sit above it in the log: stuck, with why each waits', () => {
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'send', [['send', 0, 1]]], [1.1, 1, 'ok', 'send', [['send', 0, [1, 1]]]],
      [2, 2, 'invoke', 'send', [['send', 0, 2]]], [2.1, 2, 'ok', 'send', [['send', 0, [0, 2]]]],
    ]));
    const model = 'cannot order it: op 1 (process 1, ok send) waits: its write at offset 1 of key 0 comes after op 3 (process 2, ok send)\'s at offset 0; '
      + 'op 3 (process 2, ok send) waits: op 1 (process 1, ok send) completed before it was invoked and has not run';
    expect(r).toMatchObject({ conforms: false, inconclusive: [], replayed: 0, ops: 2 });
    expect(r.divergence).toEqual({
      index: 1, process: 1, kind: 'stuck', model, kafka: 'completed it with mops [["send",0,[1,1]]]',
      explanation: `op 1 (process 1, ok send): Kafka completed it with mops [["send",0,[1,1]]], but the model ${model}`,
    });
    // Concurrent, the same offsets are fine.
    expect(replayAgainstModel(history([
      [1, 1, 'invoke', 'send', [['send', 0, 1]]], [2, 2, 'invoke', 'send', [['send', 0, 2]]],
      [2.1, 2, 'ok', 'send', [['send', 0, [0, 2]]]], [2.2, 1, 'ok', 'send', [['send', 0, [1, 1]]]],
    ]))).toMatchObject({ conforms: true });
  });
});

describe('reads in real time', () => {
  it('a poll cannot return a value whose transaction was invoked after the poll completed', () => {
    const r = replayAgainstModel(history([
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[0, 3]] }]]],
      [4, 4, 'invoke', 'txn', [['send', 0, 3]], T], [4.1, 4, 'ok', 'txn', [['send', 0, [0, 3]]], T],
    ]));
    expect(r.divergence).toMatchObject({
      index: 1, process: 3, kind: 'stuck', kafka: 'completed it with mops [["poll",{"0":[[0,3]]}]]',
      model: 'cannot order it: op 1 (process 3, ok poll) waits: it read value 3 of key 0, which op 3 (process 4, ok txn) wrote and has not committed; '
        + 'op 3 (process 4, ok txn) waits: op 1 (process 3, ok poll) completed before it was invoked and has not run',
    });
  });

  it('a transaction invoked after a poll returned offset 2 cannot have written offset 1 below it', () => {
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'send', [['send', 0, 1]]], [1.1, 1, 'ok', 'send', [['send', 0, [0, 1]]]],
      [2, 2, 'invoke', 'send', [['send', 0, 2]]], [2.1, 2, 'ok', 'send', [['send', 0, [2, 2]]]],
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[0, 1], [2, 2]] }]]],
      [4, 4, 'invoke', 'txn', [['send', 0, 3]], T], [4.1, 4, 'ok', 'txn', [['send', 0, [1, 3]]], T],
    ]));
    expect(r).toMatchObject({ conforms: false, inconclusive: [], replayed: 1 });
    expect(r.divergence).toMatchObject({
      index: 3, process: 2, kind: 'stuck',
      model: 'cannot order it: op 3 (process 2, ok send) waits: its write at offset 2 of key 0 comes after op 7 (process 4, ok txn)\'s at offset 1; '
        + 'op 7 (process 4, ok txn) waits: op 3 (process 2, ok send) completed before it was invoked and has not run',
    });
  });
});

describe('a poll past a write that had not landed', () => {
  it.each([['a transaction', 'txn', T], ['a plain send', 'send', {}]] as const)('cannot have returned offset 2 before %s wrote offset 1 below it: stuck', (_, f, extra) => {
    const r = replayAgainstModel(history([
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[2, 9]] }]]],
      [4, 4, 'invoke', f, [['send', 0, 3]], extra], [4.1, 4, 'ok', f, [['send', 0, [1, 3]]], extra],
    ]));
    expect(r).toMatchObject({ conforms: false, inconclusive: [], replayed: 0 });
    expect(r.divergence).toMatchObject({
      index: 1, process: 3, kind: 'stuck',
      model: `cannot order it: op 1 (process 3, ok poll) waits: it read key 0 up to offset 2, past op 3 (process 4, ok ${f})'s write at offset 1, which has not landed or ended; `
        + `op 3 (process 4, ok ${f}) waits: op 1 (process 3, ok poll) completed before it was invoked and has not run`,
    });
  });
});

describe('the windows of hidden events, at their edges', () => {
  const workers = [{ transactionalId: 'T', assign: [0] }];
  /** Process 2 runs T from 100 s; at 199 s its send is answered fenced. An earlier instance (process 1) whose
   *  InitProducerId timed out was invoked at `zombieAt` s. */
  const fencedAt199 = (zombieAt: number) => history([
    [zombieAt, 1, 'invoke', 'assign', [0]], [zombieAt + 10, 1, 'info', 'assign', [0], { error: 'timeout: assign took longer than 10000 ms' }],
    [100, 2, 'invoke', 'assign', [0]], [100.1, 2, 'ok', 'assign', [0]],
    [101, 2, 'invoke', 'txn', [['send', 0, 1]], T], [101.1, 2, 'ok', 'txn', [['send', 0, [0, 1]]], T],
    [199, 2, 'invoke', 'txn', [['send', 0, 2]], T], [199.1, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, error: 'INVALID_PRODUCER_EPOCH: x' }],
  ]);

  it('a late InitProducerId explains a fence up to the late-effect window after its invoke, inclusive', () => {
    expect(replayAgainstModel(fencedAt199(139), { workers, lateEffectMs: 60_000 })).toMatchObject({
      conforms: true, inconclusive: [],
      explanations: ['process 1\'s InitProducerId for T (invoked at 139.0 s, info) landed after the start of op 7 and fenced process 2'],
    });
    const older = replayAgainstModel(fencedAt199(129), { workers, lateEffectMs: 60_000 });
    expect(older).toMatchObject({ conforms: false, explanations: [] });
    expect(older.divergence).toBeUndefined();
    expect(older.inconclusive).toEqual(['Kafka answered op 7 (process 2) as fenced; only process 1\'s InitProducerId for T, invoked 70.0 s earlier (info), explains it, longer after its invoke than a request is taken to stay in flight (60.0 s)']);
  });
});

describe('the transaction timeout, at its edge', () => {
  /** Process 1's transaction began at 1 s; its second send is answered fenced at `answeredAt` s. */
  const fencedAt = (answeredAt: number) => history([
    [1, 1, 'invoke', 'txn', [['send', 0, 1], ['send', 0, 2]], T],
    [answeredAt, 1, 'fail', 'txn', [['send', 0, [0, 1]], ['send', 0, [null, 2]]], { ...T, error: 'INVALID_PRODUCER_EPOCH: x' }],
  ]);

  it('the coordinator may abort from the timeout on, less a second for clocks, not before', () => {
    // The model's transaction starts at its AddPartitionsToTxn, 2 ms after the invoke (1.002 s): due at 30.002 s.
    expect(replayAgainstModel(fencedAt(30.002))).toMatchObject({ conforms: true, explanations: ['the coordinator aborted T\'s transaction on timeout before op 1 (process 1) was answered'] });
    expect(replayAgainstModel(fencedAt(30.001)).divergence).toMatchObject({ kind: 'error' });
  });
});

describe('an abandoned InitProducerId landing again and again', () => {
  // Process 1's InitProducerId for T was abandoned at 0.5 s (kafkajs retries it after the runner gave up).
  // Processes 2 to n+1 are newer instances; each initialises, then Kafka answers its send fenced.
  const workers = [{ transactionalId: 'T', assign: [0] }];
  const fencedInstances = (n: number) => {
    const rows: Row[] = [[0.5, 1, 'invoke', 'assign', [0]], [10.5, 1, 'info', 'assign', [0], { error: 'timeout: assign took longer than 10000 ms' }]];
    for (let p = 2; p <= n + 1; p++) {
      rows.push([p, p, 'invoke', 'assign', [0]], [p + 0.1, p, 'ok', 'assign', [0]],
        [p + 0.2, p, 'invoke', 'txn', [['send', 0, p]], T], [p + 0.3, p, 'fail', 'txn', [['send', 0, [null, p]]], { ...T, error: 'INVALID_PRODUCER_EPOCH: x' }]);
    }
    return replayAgainstModel(history(rows), { workers });
  };

  it('explains at most nine fences: the runner\'s kafkajs tries an init nine times (eight retries)', () => {
    const nine = fencedInstances(9);
    expect(nine).toMatchObject({ conforms: true, inconclusive: [] });
    expect(nine.explanations).toEqual(Array.from({ length: 9 }, (_, n) => expect.stringMatching(new RegExp(`^process 1's InitProducerId for T \\(invoked at 0\\.5 s, info\\) landed after the start of op \\d+ and fenced process ${n + 2}$`))));
    const ten = fencedInstances(10);
    expect(ten).toMatchObject({ conforms: false, inconclusive: [] });
    expect(ten.explanations).toHaveLength(9);
    expect(ten.divergence).toMatchObject({ process: 11, kind: 'error', model: 'accepts it: nothing it can replay fenced T there' });
  });
});

describe('an abandoned InitProducerId invoked while the op ran', () => {
  const workers = [{ transactionalId: 'T', assign: [0] }];
  /** Process 2's send (invoked at 199 s) is answered fenced at 199.1 s; process 1's init for T is invoked at `zombieAt` s. */
  const fencedAt199 = (zombieAt: number) => history([
    [100, 2, 'invoke', 'assign', [0]], [100.1, 2, 'ok', 'assign', [0]],
    [101, 2, 'invoke', 'txn', [['send', 0, 1]], T], [101.1, 2, 'ok', 'txn', [['send', 0, [0, 1]]], T],
    [199, 2, 'invoke', 'txn', [['send', 0, 2]], T], [199.1, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, error: 'INVALID_PRODUCER_EPOCH: x' }],
    [zombieAt, 1, 'invoke', 'assign', [0]], [zombieAt + 10, 1, 'info', 'assign', [0], { error: 'timeout: assign took longer than 10000 ms' }],
  ]);

  it('may have landed up to the moment the op was answered, inclusive, not after', () => {
    expect(replayAgainstModel(fencedAt199(199.1), { workers })).toMatchObject({
      conforms: true, inconclusive: [],
      explanations: ['process 1\'s InitProducerId for T (invoked at 199.1 s, info) landed after the start of op 5 and fenced process 2'],
    });
    expect(replayAgainstModel(fencedAt199(199.2), { workers }).divergence).toMatchObject({ process: 2, kind: 'error' });
  });
});

describe('a producer without a transactional id', () => {
  const plain = (error: string) => history([[1, 1, 'invoke', 'send', [['send', 0, 1]]], [1.1, 1, 'fail', 'send', [['send', 0, [null, 1]]], { error }]]);

  it('is never fenced: nothing explains a fenced answer to an idempotent send', () => {
    expect(replayAgainstModel(plain('INVALID_PRODUCER_EPOCH: x'))).toEqual({
      conforms: false, inconclusive: [], replayed: 0, ops: 1, explanations: [], unjudged: 0, unjudgedOps: {},
      divergence: {
        index: 1, process: 1, kind: 'error', key: 0, model: 'accepts it', kafka: 'answered INVALID_PRODUCER_EPOCH: x (fenced) to the send of value 1 to key 0',
        explanation: 'op 1 (process 1, fail send): Kafka answered INVALID_PRODUCER_EPOCH: x (fenced) to the send of value 1 to key 0, but the model accepts it',
      },
    });
  });

  it('answered CONCURRENT_TRANSACTIONS is not judged: no newer instance explains it, Kafka was busy with something the replay cannot see', () => {
    expect(replayAgainstModel(plain('CONCURRENT_TRANSACTIONS: x'))).toEqual({
      conforms: true, inconclusive: [], replayed: 1, ops: 1, explanations: [], unjudged: 1, unjudgedOps: { concurrent: [1] },
    });
  });
});

describe('the end of an info transaction a newer instance fenced', () => {
  it('needs no event: the newer instance\'s InitProducerId aborted it, though the newer instance\'s own transaction is open', () => {
    // Process 1's transaction (T) wrote offset 0 of key 0 and its client gave up; process 2, a newer instance
    // of T, initialised at 12 s and began a transaction of its own (open: its client gave up too). A poll
    // at 15 s read past process 1's write.
    const gaveUp = { ...T, error: 'timeout: txn took longer than 10000 ms' };
    expect(replayAgainstModel(history([
      [1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [11, 1, 'info', 'txn', [['send', 0, [0, 1]]], gaveUp],
      [12, 2, 'invoke', 'assign', [0]], [12.1, 2, 'ok', 'assign', [0]],
      [13, 2, 'invoke', 'txn', [['send', 1, 2]], T], [14, 2, 'info', 'txn', [['send', 1, [0, 2]]], gaveUp],
      [14.5, 4, 'invoke', 'send', [['send', 0, 3]]], [14.6, 4, 'ok', 'send', [['send', 0, [1, 3]]]],
      [15, 3, 'invoke', 'poll', [['poll']]], [15.1, 3, 'ok', 'poll', [['poll', { 0: [[1, 3]] }]]],
    ]), { workers: [{ transactionalId: 'T', assign: [0] }] })).toEqual({
      conforms: true, inconclusive: [], replayed: 3, ops: 4, explanations: [], unjudged: 0, unjudgedOps: {},
    });
  });
});

describe('the end of an info transaction a reader passed, at the timeout\'s edge', () => {
  /** Process 1's transaction began at 1 s (timeout 30 s); a poll answered at `readAt` s read past its write. */
  const readAt = (t: number) => replayAgainstModel(history([
    [1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [11, 1, 'info', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'timeout: txn took longer than 10000 ms' }],
    [2, 2, 'invoke', 'send', [['send', 0, 2]]], [2.1, 2, 'ok', 'send', [['send', 0, [1, 2]]]],
    [t - 0.1, 3, 'invoke', 'poll', [['poll']]], [t, 3, 'ok', 'poll', [['poll', { 0: [[1, 2]] }]]],
  ])).explanations;

  it('was the coordinator\'s timeout abort from the moment it was due, inclusive; before, its own client\'s abort', () => {
    expect(readAt(31)).toEqual(['op 3 (process 1, info txn) was aborted by its coordinator on timeout (due 31.0 s)']);
    expect(readAt(30.999)).toEqual(['op 3 (process 1, info txn) was aborted by its own client after the runner gave up on it, before 31.0 s']);
  });
});
