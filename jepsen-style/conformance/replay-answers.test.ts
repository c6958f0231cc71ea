// Kafka's answers held to the model's (replay-answers.ts), with the divergence each broken rule gives: a
// write Kafka took that the model refuses, an error the model does not give (or gives of another class), a
// poll that returned what the model would not from where it read. Hand-made histories, each with the
// divergence a person reads: which op, what Kafka did, what the model does instead.
import { describe, expect, it } from 'vitest';
import type { Mop } from '../history.ts';
import { replayAgainstModel } from './replay.ts';
import { timedHistory as history, type TimedRow as Row } from '../testing/history-builder.ts';

const T = { txnId: 'T' };
/** Process 1 commits value 1 as T, then process 2 (a newer instance of T) commits value 2: process 1 is fenced. */
const fencedByNewer: Row[] = [
  [1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [1.1, 1, 'ok', 'txn', [['send', 0, [0, 1]]], T],
  [2, 2, 'invoke', 'txn', [['send', 0, 2]], T], [2.1, 2, 'ok', 'txn', [['send', 0, [2, 2]]], T],
];
const divergence = (rows: Row[]) => {
  const r = replayAgainstModel(history(rows));
  expect(r).toMatchObject({ conforms: false, inconclusive: [] });
  return r.divergence;
};

describe('a write Kafka took', () => {
  it('must be taken by the model: a zombie instance\'s write after a newer one initialised is refused', () => {
    expect(divergence([...fencedByNewer, [3, 1, 'invoke', 'txn', [['send', 0, 3]], T], [3.1, 1, 'ok', 'txn', [['send', 0, [4, 3]]], T]])).toEqual({
      index: 5, process: 1, kind: 'refused', key: 0,
      model: 'answered fail (INVALID_PRODUCER_EPOCH) to the send of value 3 to key 0', kafka: 'took the send of value 3 to key 0',
      explanation: 'op 5 (process 1, ok txn): Kafka took the send of value 3 to key 0, but the model answered fail (INVALID_PRODUCER_EPOCH) to the send of value 3 to key 0',
    });
  });
});

describe('an error Kafka answered', () => {
  it('must be of the class the model gives: the zombie is fenced, not in a wrong transaction state', () => {
    expect(divergence([...fencedByNewer, [3, 1, 'invoke', 'txn', [['send', 0, 3]], T], [3.1, 1, 'fail', 'txn', [['send', 0, [null, 3]]], { ...T, error: 'INVALID_TXN_STATE: x' }]])).toEqual({
      index: 5, process: 1, kind: 'error', key: 0,
      model: 'answers INVALID_PRODUCER_EPOCH (fenced): nothing it can replay fenced T there',
      kafka: 'answered INVALID_TXN_STATE: x (txn-state) to the send of value 3 to key 0',
      explanation: 'op 5 (process 1, fail txn): Kafka answered INVALID_TXN_STATE: x (txn-state) to the send of value 3 to key 0, but the model answers INVALID_PRODUCER_EPOCH (fenced): nothing it can replay fenced T there',
    });
    // Fenced, as the model says: no divergence.
    expect(replayAgainstModel(history([...fencedByNewer, [3, 1, 'invoke', 'txn', [['send', 0, 3]], T], [3.1, 1, 'fail', 'txn', [['send', 0, [null, 3]]], { ...T, error: 'INVALID_PRODUCER_EPOCH: x' }]])))
      .toMatchObject({ conforms: true, inconclusive: [] });
  });

  it('an idempotent producer\'s first send cannot be out of order; the error is shown without its stage, cut at 160 characters', () => {
    const error = `OUT_OF_ORDER_SEQUENCE_NUMBER: ${'x'.repeat(200)}`;
    const shown = error.slice(0, 160);
    expect(divergence([[1, 1, 'invoke', 'send', [['send', 0, 1]]], [1.1, 1, 'fail', 'send', [['send', 0, [null, 1]]], { error }]])).toEqual({
      index: 1, process: 1, kind: 'error', key: 0, model: 'accepts it', kafka: `answered ${shown} (out-of-order) to the send of value 1 to key 0`,
      explanation: `op 1 (process 1, fail send): Kafka answered ${shown} (out-of-order) to the send of value 1 to key 0, but the model accepts it`,
    });
  });

  it('names the step the stage names: the commit, the offsets commit', () => {
    expect(divergence([[1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [1.1, 1, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'commit: OUT_OF_ORDER_SEQUENCE_NUMBER: x' }]])).toEqual({
      index: 1, process: 1, kind: 'error', model: 'accepts it: nothing it can replay fenced T there', kafka: 'answered OUT_OF_ORDER_SEQUENCE_NUMBER: x (out-of-order) to the commit',
      explanation: 'op 1 (process 1, fail txn): Kafka answered OUT_OF_ORDER_SEQUENCE_NUMBER: x (out-of-order) to the commit, but the model accepts it: nothing it can replay fenced T there',
    });
    expect(divergence([
      [0.5, 9, 'invoke', 'send', [['send', 1, 7]]], [0.6, 9, 'ok', 'send', [['send', 1, [0, 7]]]],
      [1, 1, 'invoke', 'txn', [['poll']], T], [1.1, 1, 'fail', 'txn', [['poll', { 1: [[0, 7]] }]], { ...T, error: 'sendOffsets: INVALID_TXN_STATE: x' }],
    ])).toMatchObject({ index: 3, kind: 'error', kafka: 'answered INVALID_TXN_STATE: x (txn-state) to the offsets commit' });
  });
});

describe('a poll', () => {
  const sends = (values: number[]): Row[] => [
    [1, 1, 'invoke', 'send', values.map((v): Mop => ['send', 0, v])], [1.1, 1, 'ok', 'send', values.map((v, o): Mop => ['send', 0, [o, v]])],
  ];
  const polled = (pairs: [number, number][]): Row[] => [[2, 2, 'invoke', 'poll', [['poll']]], [2.1, 2, 'ok', 'poll', [['poll', { 0: pairs }]]]];

  it('may stop early, but may not return a record past the model\'s log', () => {
    expect(replayAgainstModel(history([...sends([1, 2, 3]), ...polled([[0, 1], [1, 2]])]))).toMatchObject({ conforms: true });
    expect(divergence([...sends([1, 2]), ...polled([[0, 1], [1, 2], [2, 3]])])).toEqual({
      index: 3, process: 2, kind: 'read', key: 0, model: 'returns [1, 2] from there', kafka: 'returned [1, 2, 3] for key 0 (value 3 where the model has nothing)',
      explanation: 'op 3 (process 2, ok poll): Kafka returned [1, 2, 3] for key 0 (value 3 where the model has nothing), but the model returns [1, 2] from there',
    });
  });

  it('lists at most twelve values of each side', () => {
    const values = Array.from({ length: 14 }, (_, n) => n + 1);
    const d = divergence([...sends(values), ...polled(values.filter((v) => v !== 13).map((v) => [v - 1, v]))]);
    expect(d).toMatchObject({
      kind: 'read', model: 'returns [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, ...] from there',
      kafka: 'returned [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, ...] for key 0 (value 14 where the model has 13)',
    });
    // Twelve are shown whole.
    const twelve = values.slice(0, 12);
    expect(divergence([...sends(twelve), ...polled(twelve.filter((v) => v !== 11).map((v) => [v - 1, v]))])).toMatchObject({
      model: 'returns [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] from there', kafka: 'returned [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12] for key 0 (value 12 where the model has 11)',
    });
  });

  it('of a record nobody wrote is a divergence at once', () => {
    expect(divergence([[2, 2, 'invoke', 'poll', [['poll']]], [2.1, 2, 'ok', 'poll', [['poll', { 3: [[5, 9]] }]]]])).toEqual({
      index: 1, process: 2, kind: 'read', key: 3, model: 'never holds value 9 of key 3 at a record it replayed', kafka: 'returned records of key 3',
      explanation: 'op 1 (process 2, ok poll): Kafka returned records of key 3, but the model never holds value 9 of key 3 at a record it replayed',
    });
  });
});

describe('a read_committed poll', () => {
  it('skips an aborted transaction\'s record and its marker: Kafka\'s next record is the model\'s next', () => {
    expect(replayAgainstModel(history([
      [1, 9, 'invoke', 'send', [['send', 0, 1]]], [1.1, 9, 'ok', 'send', [['send', 0, [0, 1]]]],
      [2, 1, 'invoke', 'txn', [['send', 0, 5]], T], [2.1, 1, 'fail', 'txn', [['send', 0, [1, 5]]], { ...T, error: 'aborted on purpose' }],
      [3, 9, 'invoke', 'send', [['send', 0, 6]]], [3.1, 9, 'ok', 'send', [['send', 0, [3, 6]]]],
      [4, 2, 'invoke', 'poll', [['poll']]], [4.1, 2, 'ok', 'poll', [['poll', { 0: [[0, 1], [3, 6]] }]]],
    ]))).toEqual({ conforms: true, inconclusive: [], replayed: 4, ops: 4, explanations: [], unjudged: 0, unjudgedOps: {} });
  });
});

describe('the model answers as the client asks', () => {
  /** Process 1, fenced by process 2 (a newer instance of T), is answered `error` to `mops`. */
  const zombieAnswered = (mops: Row[]) => history([...fencedByNewer, [0.5, 9, 'invoke', 'send', [['send', 1, 7]]], [0.6, 9, 'ok', 'send', [['send', 1, [0, 7]]]], ...mops]);
  const send = [[3, 1, 'invoke', 'txn', [['send', 0, 3]], T], [3.1, 1, 'fail', 'txn', [['send', 0, [null, 3]]], { ...T, error: 'INVALID_TXN_STATE: x' }]] as Row[];
  const offsets = [[3, 1, 'invoke', 'txn', [['poll']], T], [3.1, 1, 'fail', 'txn', [['poll', { 1: [[0, 7]] }]], { ...T, error: 'sendOffsets: INVALID_TXN_STATE: x' }]] as Row[];

  it('PRODUCER_FENCED to the Java client under TV1, INVALID_PRODUCER_EPOCH to kafkajs (old request versions, KafkaApis) and under TV2', () => {
    for (const [options, error] of [
      [{ client: 'java', txnVersion: 1 }, 'PRODUCER_FENCED'], [{ client: 'kafkajs', txnVersion: 1 }, 'INVALID_PRODUCER_EPOCH'],
      [{ client: 'java', txnVersion: 2 }, 'INVALID_PRODUCER_EPOCH'], [{}, 'INVALID_PRODUCER_EPOCH'],
    ] as const) {
      // A send, and an offsets commit (AddOffsetsToTxn to the group of the worker: kafka-eos-clients).
      for (const mops of [send, offsets]) {
        expect(replayAgainstModel(zombieAnswered(mops), options).divergence).toMatchObject({ kind: 'error', model: `answers ${error} (fenced): nothing it can replay fenced T there` });
      }
    }
  });

  it('holds a zombie\'s offsets commit to the model whichever group it commits to: a copier\'s (program copiers), a worker\'s (workers)', () => {
    const program = { copiers: [{ transactionalId: 'T', group: 'copier-0', processes: [1, 2] }] };
    expect(replayAgainstModel(zombieAnswered(offsets), { program } as never).divergence).toMatchObject({ kind: 'error', model: 'answers INVALID_PRODUCER_EPOCH (fenced): nothing it can replay fenced T there' });
    const workers = [{ transactionalId: 'T', groupId: 'g', assign: [1] }];
    expect(replayAgainstModel(zombieAnswered(offsets), { workers }).divergence).toMatchObject({ kind: 'error', model: 'answers INVALID_PRODUCER_EPOCH (fenced): nothing it can replay fenced T there' });
  });
});

describe('a commit that failed', () => {
  /** Process 1's commit of value 1 failed (not held to the model: the coordinator moved); its next commits value 2. */
  const failedThenCommitted = (read: [number, number][]) => history([
    [1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [1.1, 1, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'commit: NOT_COORDINATOR: x' }],
    [2, 1, 'invoke', 'txn', [['send', 0, 2]], T], [2.1, 1, 'ok', 'txn', [['send', 0, [2, 2]]], T],
    [3, 2, 'invoke', 'poll', [['poll']]], [3.1, 2, 'ok', 'poll', [['poll', { 0: read }]]],
  ]);

  it('aborted its transaction, whatever the error: the producer goes on, and a reader of its write diverges', () => {
    expect(replayAgainstModel(failedThenCommitted([[2, 2]]))).toEqual({ conforms: true, inconclusive: [], replayed: 3, ops: 3, explanations: [], unjudged: 1, unjudgedOps: { unavailable: [1] } });
    expect(replayAgainstModel(failedThenCommitted([[0, 1], [2, 2]])).divergence).toStrictEqual({
      index: 5, process: 2, kind: 'read', key: 0, model: 'returns [2] from there', kafka: 'returned [1, 2] for key 0 (value 1 where the model has 2)',
      explanation: 'op 5 (process 2, ok poll): Kafka returned [1, 2] for key 0 (value 1 where the model has 2), but the model returns [2] from there',
    });
  });
});

describe('a zombie\'s write whose answer was lost', () => {
  it('is refused where a poll shows it landed after the newer instance\'s write', () => {
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [5, 1, 'info', 'txn', [['send', 0, [null, 1]]], T],
      [2, 2, 'invoke', 'txn', [['send', 0, 2]], T], [2.1, 2, 'ok', 'txn', [['send', 0, [0, 2]]], T],
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[0, 2], [1, 1]] }]]],
    ]));
    expect(r.divergence).toStrictEqual({
      index: 5, process: 1, kind: 'refused', key: 0, model: 'answered fail (INVALID_PRODUCER_EPOCH) to the send of value 1 to key 0', kafka: 'took the send of value 1 to key 0',
      explanation: 'op 5 (process 1, info txn): Kafka took the send of value 1 to key 0, but the model answered fail (INVALID_PRODUCER_EPOCH) to the send of value 1 to key 0',
    });
  });
});

describe('a divergence without a key', () => {
  it('names none (a commit is no key\'s)', () => {
    const r = replayAgainstModel(history([[1, 1, 'invoke', 'txn', [['send', 0, 1]], T], [1.1, 1, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'commit: OUT_OF_ORDER_SEQUENCE_NUMBER: x' }]]));
    expect(Object.keys(r.divergence!)).toEqual(['index', 'process', 'kind', 'model', 'kafka', 'explanation']);
  });
});
