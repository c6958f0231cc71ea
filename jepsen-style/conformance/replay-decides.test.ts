// The replay decides: hand-made histories where it must prove a divergence, must say it cannot decide,
// and must not cry wolf on the patterns behind the false alarms of seeds 50, 52 and nightly 7.
import { describe, expect, it } from 'vitest';
import type { ClientEvent, HistoryEvent } from '../history.ts';
import { replayAgainstModel } from './replay.ts';

/** Events at explicit times (seconds), put in time order and numbered as a history is. */
function history(rows: Array<[number, number, ClientEvent['type'], ClientEvent['f'], ClientEvent['value'], Partial<ClientEvent>?]>): HistoryEvent[] {
  return [...rows].sort((a, b) => a[0] - b[0])
    .map(([t, process, type, f, value, extra], index) => ({ index, time: Math.round(t * 1e9), process, type, f, value, ...extra }));
}
const T = { txnId: 'T' };
const fenced = { error: 'INVALID_PRODUCER_EPOCH: Producer attempted an operation with an old epoch' };
const workers = [{ transactionalId: 'T', assign: [0] }, { transactionalId: null, assign: [0, 1] }];

/** Process 2 runs transactional id T from 11 s; at 99 s Kafka answers its send as fenced. */
const fencedAt99 = (zombieInvokedAt: number | null) => history([
  ...(zombieInvokedAt === null ? [] : [
    // An earlier instance whose first op (its InitProducerId) timed out: the request may land any time later.
    [zombieInvokedAt, 1, 'invoke', 'assign', [0]], [zombieInvokedAt + 10, 1, 'info', 'assign', [0], { error: 'timeout: assign took longer than 10000 ms' }],
  ] as const),
  [11, 2, 'invoke', 'assign', [0]], [11.1, 2, 'ok', 'assign', [0]],
  [12, 2, 'invoke', 'txn', [['send', 0, 1]], T], [12.1, 2, 'ok', 'txn', [['send', 0, [0, 1]]], T],
  [99, 2, 'invoke', 'txn', [['send', 0, 2]], T], [99.1, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, ...fenced }],
] as Parameters<typeof history>[0]);

describe('the replay decides', () => {
  it('proves a divergence when Kafka answers an error the model forbids: fenced, and nothing fenced it', () => {
    const r = replayAgainstModel(fencedAt99(null), { workers });
    expect(r.inconclusive).toEqual([]);
    expect(r.divergence).toMatchObject({ index: 5, process: 2, kind: 'error', key: 0 });
    expect(r.divergence!.explanation).toMatch(/Kafka answered INVALID_PRODUCER_EPOCH.*\(fenced\) to the send of value 2 to key 0, but the model accepts it/);
  });

  it('explains the same answer by an abandoned instance whose InitProducerId landed late', () => {
    const r = replayAgainstModel(fencedAt99(50), { workers });
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
    expect(r.explanations).toEqual([expect.stringMatching(/^process 1's InitProducerId for T \(invoked at 50\.0 s, info\) landed after the start of op 7 and fenced process 2$/)]);
  });

  it('cannot decide when only an InitProducerId older than the late-effect window explains it', () => {
    const r = replayAgainstModel(fencedAt99(0), { workers, lateEffectMs: 60_000 });
    expect(r.conforms).toBe(false);
    expect(r.divergence).toBeUndefined();
    expect(r.inconclusive).toEqual([expect.stringMatching(/only process 1's InitProducerId for T, invoked 99\.0 s earlier \(info\), explains it/)]);
  });

  it('keeps real time: an older instance that finished before a newer one was invoked is not fenced by it (seeds 52, 7)', () => {
    // Process 2's ops all completed before process 3 (same transactional id) was invoked; process 3's poll
    // completes last, so a replay in completion order alone would initialise process 3 first.
    const r = replayAgainstModel(history([
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [2, 3, 'invoke', 'send', [['send', 1, 7]]],
      [3, 2, 'invoke', 'txn', [['poll'], ['send', 0, 1]], T],
      [3.5, 2, 'ok', 'txn', [['poll', { 1: [[0, 7]] }], ['send', 0, [0, 1]]], T],
      [4, 4, 'invoke', 'assign', [0]], [4.1, 4, 'ok', 'assign', [0]],
      [5, 3, 'ok', 'send', [['send', 1, [0, 7]]]],
    ]), { workers });
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
  });

  it('does not let a lost offset borrow the offset a later copy of the same value was told (seed 50)', () => {
    // A copy (process 1) times out after writing value 5 to key 1 without an answer; a later copy
    // (process 2) writes value 5 again, is told offset 2, and that is the record readers see.
    const r = replayAgainstModel(history([
      [1, 9, 'invoke', 'send', [['send', 0, 5]]], [1.1, 9, 'ok', 'send', [['send', 0, [0, 5]]]],
      [2, 1, 'invoke', 'txn', [['poll']], T],
      [12, 1, 'info', 'txn', [['poll', { 0: [[0, 5]] }], ['send', 1, [null, 5]]], { ...T, error: 'timeout: copy took longer than 10000 ms' }],
      [50, 2, 'invoke', 'txn', [['poll']], T],
      [50.5, 2, 'ok', 'txn', [['poll', { 0: [[0, 5]] }], ['send', 1, [2, 5]]], T],
      [51, 8, 'invoke', 'poll', [['poll']]], [51.1, 8, 'ok', 'poll', [['poll', { 1: [[2, 5]] }]]],
    ]));
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
  });

  it('holds a commit\'s markers in flight where Kafka then found the coordinator busy (CONCURRENT_TRANSACTIONS)', () => {
    // Process 2 commits a write, reads it back in its next transaction, and its sendOffsets meets the
    // previous commit still completing: the model gives the same answer once that commit's markers wait.
    const busy = (error: string) => history([
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [2, 2, 'invoke', 'txn', [['send', 0, 1]], T], [2.1, 2, 'ok', 'txn', [['send', 0, [0, 1]]], T],
      [3, 2, 'invoke', 'txn', [['poll']], T], [3.1, 2, 'fail', 'txn', [['poll', { 0: [[0, 1]] }]], { ...T, error }],
    ]);
    const r = replayAgainstModel(busy('sendOffsets: CONCURRENT_TRANSACTIONS: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing'), { workers });
    expect(r).toMatchObject({ conforms: true, inconclusive: [], unjudged: 0 });
    // The same answer where nothing was pending is counted, not judged: the model cannot see why Kafka was busy.
    const idle = replayAgainstModel(history([
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [2, 9, 'invoke', 'send', [['send', 0, 1]]], [2.1, 9, 'ok', 'send', [['send', 0, [0, 1]]]],
      [3, 2, 'invoke', 'txn', [['poll']], T], [3.1, 2, 'fail', 'txn', [['poll', { 0: [[0, 1]] }]], { ...T, error: 'sendOffsets: CONCURRENT_TRANSACTIONS: busy' }],
    ]), { workers });
    expect(idle).toMatchObject({ conforms: true, unjudged: 1, unjudgedOps: { concurrent: [5] } });
  });

  it('proves a stuck order: a cycle of reads among ops that all completed', () => {
    const r = replayAgainstModel(history([
      [1, 0, 'invoke', 'txn', [['send', 0, 1], ['poll']]],
      [1, 1, 'invoke', 'txn', [['send', 1, 1], ['poll']]],
      [2, 0, 'ok', 'txn', [['send', 0, [0, 1]], ['poll', { 1: [[0, 1]] }]]],
      [2, 1, 'ok', 'txn', [['send', 1, [0, 1]], ['poll', { 0: [[0, 1]] }]]],
    ]));
    expect(r.inconclusive).toEqual([]);
    expect(r.divergence).toMatchObject({ index: 2, kind: 'stuck' });
    expect(r.divergence!.model).toMatch(/op 2 \(process 0, ok txn\) waits: it read value 1 of key 1, which op 3 \(process 1, ok txn\) wrote and has not committed/);
  });
});
