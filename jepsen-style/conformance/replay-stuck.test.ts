// A replay that no order fits (replay.ts stuck, replay-ready.ts waitingFor): each unit that cannot move says
// why and on whom it waits, the chain of those waits is the divergence's sentence (at most six links), and
// the replay proves nothing when what everything waits for is the end of a transaction whose client gave up
// (info): Kafka may have ended it at a time the history does not show. Hand-made histories, each impossible
// on a real cluster for the reason the chain states: a key's offset 0 written by an op invoked after a reader
// had already returned offset 1, a newer producer instance initialised before its older instance's committed
// transaction had all its records in the log.
import { describe, expect, it } from 'vitest';
import type { Mop } from '../history.ts';
import { replayAgainstModel } from './replay.ts';
import { timedHistory as history, type TimedRow as Row } from '../testing/history-builder.ts';

const T = { txnId: 'T' };
const gaveUp = { ...T, error: 'timeout: txn took longer than 10000 ms' };

describe('a read whose writer cannot land in time', () => {
  /** Process 1's transaction writes key 0 at offset 0 and value 2 to key 1, which a poll (process 3, 3.0 to
   *  3.1 s) read at offset 1; offset 0 of key 1 went to a send invoked at 4 s, after that poll returned. */
  const readPastALaterWrite = (writer: Row[]) => history([
    ...writer,
    [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 1: [[1, 2]] }]]],
    [4, 4, 'invoke', 'send', [['send', 1, 5]]], [4.1, 4, 'ok', 'send', [['send', 1, [0, 5]]]],
  ]);
  const chain = (writer: string) => `op 2 (process 3, ok poll) waits: it read value 2 of key 1, which op 5 (process 1, ${writer} txn) wrote and has not committed; `
    + `op 5 (process 1, ${writer} txn) waits: its write at offset 1 of key 1 comes after op 4 (process 4, ok send)'s at offset 0; `
    + 'op 4 (process 4, ok send) waits: op 2 (process 3, ok poll) completed before it was invoked and has not run';

  it('a committed transaction Kafka acknowledged: a proved divergence, with the chain of waits', () => {
    const r = replayAgainstModel(readPastALaterWrite([
      [1, 1, 'invoke', 'txn', [['send', 0, 1], ['send', 1, 2]], T], [11, 1, 'ok', 'txn', [['send', 0, [0, 1]], ['send', 1, [1, 2]]], T],
    ]));
    expect(r).toEqual({
      conforms: false, inconclusive: [], replayed: 0, ops: 3, explanations: [], unjudged: 0, unjudgedOps: {},
      divergence: {
        index: 2, process: 3, kind: 'stuck', model: `cannot order it: ${chain('ok')}`, kafka: 'completed it with mops [["poll",{"1":[[1,2]]}]]',
        explanation: `op 2 (process 3, ok poll): Kafka completed it with mops [["poll",{"1":[[1,2]]}]], but the model cannot order it: ${chain('ok')}`,
      },
    });
  });

  it('the same transaction with its client gone (info, its second send unanswered but read): the replay cannot decide', () => {
    const r = replayAgainstModel(readPastALaterWrite([
      [1, 1, 'invoke', 'txn', [['send', 0, 1], ['send', 1, 2]], T], [11, 1, 'info', 'txn', [['send', 0, [0, 1]], ['send', 1, 2]], gaveUp],
    ]));
    expect(r).toEqual({
      conforms: false, replayed: 0, ops: 3, explanations: [], unjudged: 0, unjudgedOps: {},
      inconclusive: [`the replay cannot place op 2 (process 3, ok poll): it waits for the end of a transaction whose client gave up (info), and nothing the history shows can have ended it by then (${chain('info')})`],
    });
  });
});

describe('a newer instance of a transactional id', () => {
  it('initialises only after its older instance\'s committed transaction ended: stuck while that transaction cannot finish', () => {
    // Process 1 (T) wrote key 0, then value 2 to key 1 (unanswered; a poll read it at offset 1, so it
    // committed); process 2 (T again) began at 6 s; offset 0 of key 1 was written after process 2 completed.
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'txn', [['send', 0, 1], ['send', 1, 2]], T], [6.2, 1, 'info', 'txn', [['send', 0, [0, 1]], ['send', 1, 2]], gaveUp],
      [6, 2, 'invoke', 'txn', [['send', 2, 3]], T], [6.5, 2, 'ok', 'txn', [['send', 2, [0, 3]]], T],
      [7, 3, 'invoke', 'poll', [['poll']]], [7.1, 3, 'ok', 'poll', [['poll', { 1: [[1, 2]], 2: [[0, 3]] }]]],
      [8, 4, 'invoke', 'send', [['send', 1, 5]]], [8.1, 4, 'ok', 'send', [['send', 1, [0, 5]]]],
    ]));
    expect(r).toEqual({
      conforms: false, replayed: 0, ops: 4, explanations: [], unjudged: 0, unjudgedOps: {},
      inconclusive: ['the replay cannot place the InitProducerId of process 2: it waits for the end of a transaction whose client gave up (info), and nothing the history shows can have ended it by then ('
        + 'process 2\'s InitProducerId waits: the older instance\'s op 2 (process 1, info txn) must commit first; '
        + 'op 2 (process 1, info txn) waits: its write at offset 1 of key 1 comes after op 7 (process 4, ok send)\'s at offset 0; '
        + 'op 7 (process 4, ok send) waits: process 2\'s InitProducerId completed before it was invoked and has not run)'],
    });
  });

  it('and its first op waits for that init: a poll that read the newer instance\'s write waits on both', () => {
    // As above, but process 2's transaction is answered only at 20 s, after a poll (7.0 to 7.1 s) read its write.
    const r = replayAgainstModel(history([
      [1, 1, 'invoke', 'txn', [['send', 0, 1], ['send', 2, 2]], T], [6.2, 1, 'info', 'txn', [['send', 0, [0, 1]], ['send', 2, 2]], gaveUp],
      [6, 2, 'invoke', 'txn', [['send', 1, 3]], T], [20, 2, 'ok', 'txn', [['send', 1, [0, 3]]], T],
      [7, 3, 'invoke', 'poll', [['poll']]], [7.1, 3, 'ok', 'poll', [['poll', { 1: [[0, 3]], 2: [[1, 2]] }]]],
      [8, 4, 'invoke', 'send', [['send', 2, 5]]], [8.1, 4, 'ok', 'send', [['send', 2, [0, 5]]]],
    ]));
    expect(r.inconclusive).toEqual(['the replay cannot place op 4 (process 3, ok poll): it waits for the end of a transaction whose client gave up (info), and nothing the history shows can have ended it by then ('
      + 'op 4 (process 3, ok poll) waits: it read value 3 of key 1, which op 7 (process 2, ok txn) wrote and has not committed; '
      + 'op 7 (process 2, ok txn) waits: its process\'s previous process 2\'s InitProducerId has not finished; '
      + 'process 2\'s InitProducerId waits: the older instance\'s op 2 (process 1, info txn) must commit first; '
      + 'op 2 (process 1, info txn) waits: its write at offset 1 of key 2 comes after op 6 (process 4, ok send)\'s at offset 0; '
      + 'op 6 (process 4, ok send) waits: op 4 (process 3, ok poll) completed before it was invoked and has not run)']);
    expect(r).toMatchObject({ conforms: false, replayed: 0, explanations: [] });
    expect(r.divergence).toBeUndefined();
  });
});

describe('a plain op of a transactional process', () => {
  it('waits on what it read, not on another instance\'s commit (only an InitProducerId waits for that)', () => {
    // Process 0 ran T first; process 1 (T again) wrote value 2 to key 1 (unanswered, its client gave up), and
    // process 0's plain poll read it at offset 1; offset 0 went to a send invoked after the poll returned.
    const r = replayAgainstModel(history([
      [0.5, 0, 'invoke', 'txn', [['send', 2, 5]], T], [0.6, 0, 'ok', 'txn', [['send', 2, [0, 5]]], T],
      [1, 1, 'invoke', 'txn', [['send', 0, 1], ['send', 1, 2]], T], [2.9, 1, 'info', 'txn', [['send', 0, [0, 1]], ['send', 1, 2]], gaveUp],
      [3, 0, 'invoke', 'poll', [['poll']]], [3.1, 0, 'ok', 'poll', [['poll', { 1: [[1, 2]] }]]],
      [4, 4, 'invoke', 'send', [['send', 1, 7]]], [4.1, 4, 'ok', 'send', [['send', 1, [0, 7]]]],
    ]));
    expect(r).toMatchObject({ conforms: false, replayed: 1, explanations: [] });
    expect(r.inconclusive).toEqual(['the replay cannot place op 5 (process 0, ok poll): it waits for the end of a transaction whose client gave up (info), and nothing the history shows can have ended it by then ('
      + 'op 5 (process 0, ok poll) waits: it read value 2 of key 1, which op 3 (process 1, info txn) wrote and has not committed; '
      + 'op 3 (process 1, info txn) waits: its write at offset 1 of key 1 comes after op 7 (process 4, ok send)\'s at offset 0; '
      + 'op 7 (process 4, ok send) waits: op 5 (process 0, ok poll) completed before it was invoked and has not run)']);
  });
});

describe('a poll past writes that cannot land before it', () => {
  const stuck = (rows: Row[]) => {
    const r = replayAgainstModel(history(rows));
    expect(r).toMatchObject({ conforms: false, inconclusive: [], explanations: [] });
    expect(r.divergence).toMatchObject({ kind: 'stuck' });
    return r.divergence!.model;
  };

  it('names the highest offset it returned of the key, and the write below it that had not landed', () => {
    // The poll returned offsets 0 and 2 of key 0; offset 1 went to a send invoked after it returned.
    expect(stuck([
      [1, 1, 'invoke', 'send', [['send', 0, 1]]], [1.1, 1, 'ok', 'send', [['send', 0, [0, 1]]]],
      [1.5, 2, 'invoke', 'send', [['send', 0, 2]]], [5, 2, 'ok', 'send', [['send', 0, [2, 2]]]],
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[0, 1], [2, 2]] }]]],
      [4, 4, 'invoke', 'send', [['send', 0, 4]]], [4.1, 4, 'ok', 'send', [['send', 0, [1, 4]]]],
    ])).toBe('cannot order it: op 4 (process 3, ok poll) waits: it read key 0 up to offset 2, past op 6 (process 4, ok send)\'s write at offset 1, which has not landed or ended; '
      + 'op 6 (process 4, ok send) waits: op 4 (process 3, ok poll) completed before it was invoked and has not run');
  });

  it('names a transaction whose write below it landed but which has not ended (its other write waits)', () => {
    // Process 5's transaction wrote offset 1 of key 0 and offset 1 of key 1; offset 0 of key 1 went to a
    // send invoked after the poll, which read offset 2 of key 0, returned.
    expect(stuck([
      [1, 1, 'invoke', 'send', [['send', 0, 1]]], [1.1, 1, 'ok', 'send', [['send', 0, [0, 1]]]],
      [1.5, 5, 'invoke', 'txn', [['send', 0, 5], ['send', 1, 6]], T], [10, 5, 'ok', 'txn', [['send', 0, [1, 5]], ['send', 1, [1, 6]]], T],
      [1.6, 2, 'invoke', 'send', [['send', 0, 2]]], [1.7, 2, 'ok', 'send', [['send', 0, [2, 2]]]],
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[2, 2]] }]]],
      [4, 4, 'invoke', 'send', [['send', 1, 4]]], [4.1, 4, 'ok', 'send', [['send', 1, [0, 4]]]],
    ])).toBe('cannot order it: op 6 (process 3, ok poll) waits: it read key 0 up to offset 2, past op 9 (process 5, ok txn)\'s write at offset 1, which has not landed or ended; '
      + 'op 9 (process 5, ok txn) waits: its write at offset 1 of key 1 comes after op 8 (process 4, ok send)\'s at offset 0; '
      + 'op 8 (process 4, ok send) waits: op 6 (process 3, ok poll) completed before it was invoked and has not run');
  });

  it('of a plain send not landed yet (its op\'s earlier write waits on another key): the chain ends there, with no one named', () => {
    expect(stuck([
      [1, 2, 'invoke', 'send', [['send', 1, 2], ['send', 0, 3]]], [5, 2, 'ok', 'send', [['send', 1, [1, 2]], ['send', 0, [0, 3]]]],
      [3, 3, 'invoke', 'poll', [['poll']]], [3.1, 3, 'ok', 'poll', [['poll', { 0: [[0, 3]] }]]],
      [4, 4, 'invoke', 'send', [['send', 1, 4]]], [4.1, 4, 'ok', 'send', [['send', 1, [0, 4]]]],
    ])).toBe('cannot order it: op 2 (process 3, ok poll) waits: it waits for another op');
  });
});

describe('the chain of waits', () => {
  it('names at most six links, and Kafka\'s mops up to 200 characters', () => {
    // Op 1 (process 1) wrote keys 10..29 at offset 0, then key 0 at offset 1. Processes 2..6 each wrote key
    // i-1 at offset 1, then key i-2 at offset 0; process 7 wrote key 5 at offset 0, invoked after process 1
    // completed: each waits on the next, and the seventh on the first.
    const keys = Array.from({ length: 20 }, (_, n) => 10 + n);
    const acked: Mop[] = [...keys.map((k): Mop => ['send', k, [0, k + 90]]), ['send', 0, [1, 10]]];
    const rows: Row[] = [
      [1, 1, 'invoke', 'send', [...keys.map((k): Mop => ['send', k, k + 90]), ['send', 0, 10]]], [1.1, 1, 'ok', 'send', acked],
      [2, 7, 'invoke', 'send', [['send', 5, 70]]], [2.1, 7, 'ok', 'send', [['send', 5, [0, 70]]]],
    ];
    for (let i = 2; i <= 6; i++) {
      rows.push([0.5, i, 'invoke', 'send', [['send', i - 1, 10 * i], ['send', i - 2, 10 * i + 1]]],
        [3 + i, i, 'ok', 'send', [['send', i - 1, [1, 10 * i]], ['send', i - 2, [0, 10 * i + 1]]]]);
    }
    const r = replayAgainstModel(history(rows));
    const links = [
      'op 6 (process 1, ok send) waits: its write at offset 1 of key 0 comes after op 9 (process 2, ok send)\'s at offset 0',
      'op 9 (process 2, ok send) waits: its write at offset 1 of key 1 comes after op 10 (process 3, ok send)\'s at offset 0',
      'op 10 (process 3, ok send) waits: its write at offset 1 of key 2 comes after op 11 (process 4, ok send)\'s at offset 0',
      'op 11 (process 4, ok send) waits: its write at offset 1 of key 3 comes after op 12 (process 5, ok send)\'s at offset 0',
      'op 12 (process 5, ok send) waits: its write at offset 1 of key 4 comes after op 13 (process 6, ok send)\'s at offset 0',
      'op 13 (process 6, ok send) waits: its write at offset 1 of key 5 comes after op 8 (process 7, ok send)\'s at offset 0',
    ];
    const mops = JSON.stringify(acked).slice(0, 200);
    expect(mops.length).toBeLessThan(JSON.stringify(acked).length);
    expect(r).toMatchObject({ conforms: false, inconclusive: [], replayed: 0, ops: 7 });
    expect(r.divergence).toEqual({
      index: 6, process: 1, kind: 'stuck', model: `cannot order it: ${links.join('; ')}`, kafka: `completed it with mops ${mops}`,
      explanation: `op 6 (process 1, ok send): Kafka completed it with mops ${mops}, but the model cannot order it: ${links.join('; ')}`,
    });
  });
});
