// When a unit may take its next step (replay-ready.ts), held by hand-made histories with the replay's
// outcome: a producer's writes to one key land in the order it sent them; a read_committed poll waits for
// the writes it returned (each at its own key) and the transactions below what it returned, not for its
// own transaction's writes, which it never sees; a record nobody wrote diverges at once.
import { describe, expect, it } from 'vitest';
import { replayAgainstModel } from './replay.ts';
import { timedHistory as history } from '../testing/history-builder.ts';

const T = { txnId: 'T' };

describe('a producer\'s writes to one key', () => {
  it('land in the order it sent them: its second send acknowledged below its first cannot be replayed', () => {
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'send', [['send', 0, 1], ['send', 0, 2]]], [2, 1, 'ok', 'send', [['send', 0, [1, 1]], ['send', 0, [0, 2]]]],
    ]));
    const model = 'cannot order it: op 1 (process 1, ok send) waits: it waits for another op';
    expect(r).toEqual({
      conforms: false, inconclusive: [], replayed: 0, ops: 1, explanations: [], unjudged: 0, unjudgedOps: {},
      divergence: {
        index: 1, process: 1, kind: 'stuck', model, kafka: 'completed it with mops [["send",0,[1,1]],["send",0,[0,2]]]',
        explanation: `op 1 (process 1, ok send): Kafka completed it with mops [["send",0,[1,1]],["send",0,[0,2]]], but the model ${model}`,
      },
    });
  });
});

describe('an info transaction\'s writes', () => {
  it('past a send whose answer was lost (a poll found it) are not held to the log\'s order: the known prefix ends there', () => {
    // Process 1's first send (key 0) was never answered but a poll read it at offset 0; its second (key 1)
    // was acknowledged at offset 0. The second lies past what its client heard in order: it lands freely, and
    // is not counted among key 1's writes in offset order (process 4's, at offset 1, is the first of those).
    expect(replayAgainstModel(history([
      [1, 1, 'invoke', 'txn', [['send', 0, 1], ['send', 1, 2]], T],
      [11, 1, 'info', 'txn', [['send', 0, 1], ['send', 1, [0, 2]]], { ...T, error: 'timeout: txn took longer than 10000 ms' }],
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[0, 1]], 1: [[0, 2]] }]]],
      [12, 4, 'invoke', 'send', [['send', 1, 4]]], [12.1, 4, 'ok', 'send', [['send', 1, [1, 4]]]],
    ]))).toEqual({ conforms: true, inconclusive: [], replayed: 3, ops: 3, explanations: [], unjudged: 0, unjudgedOps: {} });
  });
});

describe('a poll', () => {
  it('waits for the write of each value it returned at that value\'s key, when a producer wrote the same value to two keys', () => {
    // Process 1 wrote value 7 to key 0 (offset 0) and to key 1 (offset 1, after process 2's offset 0); the
    // poll returned key 1's: it runs after that write, not after key 0's.
    expect(replayAgainstModel(history([
      [1, 1, 'invoke', 'send', [['send', 0, 7], ['send', 1, 7]]], [4, 1, 'ok', 'send', [['send', 0, [0, 7]], ['send', 1, [1, 7]]]],
      [2, 2, 'invoke', 'send', [['send', 1, 8]]], [5, 2, 'ok', 'send', [['send', 1, [0, 8]]]],
      [2.5, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 1: [[1, 7]] }]]],
    ]))).toEqual({ conforms: true, inconclusive: [], replayed: 3, ops: 3, explanations: [], unjudged: 0, unjudgedOps: {} });
  });

  it('of a record nobody wrote diverges at once, without waiting for the write Kafka put at that offset', () => {
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'send', [['send', 0, 1]]], [5, 1, 'ok', 'send', [['send', 0, [0, 1]]]],
      [2, 2, 'invoke', 'poll', [['poll']]], [3, 2, 'ok', 'poll', [['poll', { 0: [[0, 9]] }]]],
    ]));
    expect(r).toMatchObject({ conforms: false, inconclusive: [], replayed: 0 });
    expect(r.divergence).toEqual({
      index: 2, process: 2, kind: 'read', key: 0, model: 'never holds value 9 of key 0 at a record it replayed', kafka: 'returned records of key 0',
      explanation: 'op 2 (process 2, ok poll): Kafka returned records of key 0, but the model never holds value 9 of key 0 at a record it replayed',
    });
  });

  it('inside a transaction never returns that transaction\'s own uncommitted write (read_committed): a read divergence, not a wait', () => {
    // Process 2's transaction wrote offset 0 of key 0, then polled key 0 and (Kafka says) got its own value
    // and process 1's at offset 1. Its own open transaction holds the last stable offset at 0.
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'send', [['send', 0, 1]]], [1.5, 1, 'ok', 'send', [['send', 0, [1, 1]]]],
      [0.5, 2, 'invoke', 'txn', [['send', 0, 2], ['poll']], T], [3, 2, 'ok', 'txn', [['send', 0, [0, 2]], ['poll', { 0: [[0, 2], [1, 1]] }]], T],
    ]));
    expect(r).toMatchObject({ conforms: false, inconclusive: [], replayed: 1 });
    expect(r.divergence).toEqual({
      index: 3, process: 2, kind: 'read', key: 0, model: 'returns [] from there', kafka: 'returned [2, 1] for key 0 (value 2 where the model has nothing)',
      explanation: 'op 3 (process 2, ok txn): Kafka returned [2, 1] for key 0 (value 2 where the model has nothing), but the model returns [] from there',
    });
  });
});

describe('a newer instance\'s InitProducerId', () => {
  it('goes ahead of an older instance\'s op it waits for only when nothing else can move, and then fences it', () => {
    // Process 2 (T) wrote offset 1 of key 1 in an op invoked at 3 s, while process 3's InitProducerId for T
    // ran (2 to 10 s); offset 0 of key 1 went to a send invoked at 11 s, after that init completed. So Kafka
    // took process 2's write after the newer instance had initialised: the model refuses it (fenced).
    const r = replayAgainstModel(history([
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [2, 3, 'invoke', 'assign', [0]], [10, 3, 'ok', 'assign', [0]],
      [3, 2, 'invoke', 'txn', [['send', 1, 8]], T], [12, 2, 'ok', 'txn', [['send', 1, [1, 8]]], T],
      [11, 4, 'invoke', 'send', [['send', 1, 7]]], [11.1, 4, 'ok', 'send', [['send', 1, [0, 7]]]],
    ]), { workers: [{ transactionalId: 'T', assign: [0] }] });
    expect(r).toMatchObject({ conforms: false, inconclusive: [], replayed: 1, explanations: [] });
    expect(r.divergence).toEqual({
      index: 7, process: 2, kind: 'refused', key: 1,
      model: 'answered fail (INVALID_PRODUCER_EPOCH) to the send of value 8 to key 1', kafka: 'took the send of value 8 to key 1',
      explanation: 'op 7 (process 2, ok txn): Kafka took the send of value 8 to key 1, but the model answered fail (INVALID_PRODUCER_EPOCH) to the send of value 8 to key 1',
    });
  });
});
