// The replay holds a history to the client that ran it: the Java client (and franz-go, modelled as it) as
// well as kafkajs. Hand-made histories where it must still prove a divergence, must still say it cannot
// decide, and must not cry wolf on the patterns behind the false alarms of the Java and franz-go campaigns.
import { describe, expect, it } from 'vitest';
import type { ClientEvent, HistoryEvent } from '../history.ts';
import { errorClass, isJudgedError } from './error-class.ts';
import { replayAgainstModel } from './replay.ts';
import type { ReplayOptions } from './replay-types.ts';

function history(rows: Array<[number, number, ClientEvent['type'], ClientEvent['f'], ClientEvent['value'], Partial<ClientEvent>?]>): HistoryEvent[] {
  return [...rows].sort((a, b) => a[0] - b[0])
    .map(([t, process, type, f, value, extra], index) => ({ index, time: Math.round(t * 1e9), process, type, f, value, ...extra }));
}
const T = { txnId: 'T' };
const workers = [{ transactionalId: 'T', assign: [0] }, { transactionalId: null, assign: [0, 1] }];
const JAVA_TV2: ReplayOptions = { client: 'java', txnVersion: 2, workers };
const JAVA_TV1: ReplayOptions = { client: 'java', txnVersion: 1, workers };

/** Process 2 runs transactional id T from 11 s; at 99 s Kafka answers its send with `error`. */
const answeredAt99 = (error: string, zombieInvokedAt: number | null) => history([
  ...(zombieInvokedAt === null ? [] : [
    [zombieInvokedAt, 1, 'invoke', 'assign', [0]], [zombieInvokedAt + 10, 1, 'info', 'assign', [0], { error: 'timeout: assign took longer than 10000 ms' }],
  ] as const),
  [11, 2, 'invoke', 'assign', [0]], [11.1, 2, 'ok', 'assign', [0]],
  [12, 2, 'invoke', 'txn', [['send', 0, 1]], T], [12.1, 2, 'ok', 'txn', [['send', 0, [0, 1]]], T],
  [99, 2, 'invoke', 'txn', [['send', 0, 2]], T], [99.1, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, error }],
] as Parameters<typeof history>[0]);

const JAVA_FENCED = 'InvalidProducerEpochException: Producer attempted to produce with an old epoch.';
const FRANZ_FENCED = 'INVALID_PRODUCER_EPOCH: Producer attempted an operation with an old epoch.';

describe('the replay as the Java client (and franz-go)', () => {
  for (const [name, options] of [['TV2', JAVA_TV2], ['TV1', JAVA_TV1]] as const) {
    it(`proves a divergence when the Java client (${name}) is answered fenced and nothing fenced it`, () => {
      const r = replayAgainstModel(answeredAt99(JAVA_FENCED, null), options);
      expect(r.inconclusive).toEqual([]);
      expect(r.divergence).toMatchObject({ index: 5, process: 2, kind: 'error', key: 0 });
      expect(r.divergence!.explanation).toMatch(/Kafka answered InvalidProducerEpochException.*\(fenced\) to the send of value 2 to key 0, but the model accepts it/);
    });
  }

  it('proves the same for franz-go\'s spelling of the error', () => {
    const r = replayAgainstModel(answeredAt99(FRANZ_FENCED, null), JAVA_TV2);
    expect(r.divergence).toMatchObject({ index: 5, kind: 'error' });
  });

  it('explains it by an abandoned instance\'s late InitProducerId, and cannot decide when that one is too old', () => {
    expect(replayAgainstModel(answeredAt99(JAVA_FENCED, 50), JAVA_TV2)).toMatchObject({ conforms: true, inconclusive: [] });
    const old = replayAgainstModel(answeredAt99(JAVA_FENCED, 0), { ...JAVA_TV2, lateEffectMs: 60_000 });
    expect(old.divergence).toBeUndefined();
    expect(old.inconclusive).toEqual([expect.stringMatching(/only process 1's InitProducerId for T, invoked 99\.0 s earlier \(info\), explains it/)]);
  });

  it('holds an answer the history places to the model: a failed Java commit whose error the model forbids', () => {
    // The commit is answered OutOfOrderSequenceException: a class the model gives, and here it does not.
    const r = replayAgainstModel(history([
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [2, 2, 'invoke', 'txn', [['send', 0, 1]], T], [2.5, 2, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'commit: OutOfOrderSequenceException: out of order' }],
    ]), JAVA_TV2);
    expect(r.divergence).toMatchObject({ index: 3, kind: 'error' });
  });

  it('does not hold the Java client\'s commit-time INVALID_TXN_STATE to the model: it may be any request\'s', () => {
    // commitTransaction throws the first fatal error of the transaction, a produce's partition verification
    // (KIP-890) included, which the model does not give; kafkajs names the request that failed.
    const commitFailed = (error: string) => history([
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [2, 2, 'invoke', 'txn', [['send', 0, 1]], T], [2.5, 2, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error }],
    ]);
    const java = replayAgainstModel(commitFailed('commit: InvalidTxnStateException: The producer attempted a transactional operation in an invalid state.'), JAVA_TV1);
    expect(java).toMatchObject({ conforms: true, unjudged: 1, unjudgedOps: { 'txn-state': [3] } });
    const kafkajs = replayAgainstModel(commitFailed('commit: INVALID_TXN_STATE: The producer attempted a transactional operation in an invalid state'), { workers });
    expect(kafkajs.divergence).toMatchObject({ index: 3, kind: 'error' });
  });

  it('lands a committed info op\'s commit before its transaction times out, however late its reader (franz-go seeds 6, 7)', () => {
    // The commit timed out at the client but landed; its reader comes 68 s later, after another op took the
    // model's clock past the transaction's timeout.
    const r = replayAgainstModel(history([
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [2, 2, 'invoke', 'txn', [['send', 0, 1]], T], [12, 2, 'info', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'commit: timeout: context deadline exceeded' }],
      [60, 9, 'invoke', 'send', [['send', 1, 5]]], [60.1, 9, 'ok', 'send', [['send', 1, [0, 5]]]],
      [70, 8, 'invoke', 'poll', [['poll']]], [70.1, 8, 'ok', 'poll', [['poll', { 0: [[0, 1]] }]]],
    ]), JAVA_TV2);
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
    expect(r.explanations).toEqual([expect.stringMatching(/^op 3 \(process 2, info txn\) committed before its transaction timed out/)]);
  });

  it('replays an older instance\'s writes Kafka took before a newer instance\'s concurrent InitProducerId (franz-go seed 2)', () => {
    // Process 2's op is invoked before process 3's InitProducerId completes; Kafka took its write, then
    // answered its commit fenced. The newer instance's init must come between, not before the write.
    const r = replayAgainstModel(history([
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [2, 2, 'invoke', 'txn', [['send', 0, 1]], T],
      [2.1, 3, 'invoke', 'assign', [0]], [2.2, 3, 'ok', 'assign', [0]],
      [2.5, 2, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error: `commit: ${JAVA_FENCED}` }],
    ]), JAVA_TV2);
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
  });
});

describe('a newer instance\'s InitProducerId fences an older one\'s offsets commit (franz-go campaign seed 2)', () => {
  // Process 2 runs T, reads value 5 of key 1 and writes it to key 0, and Kafka answers its offsets commit
  // fenced. Process 3, the next instance of T, is invoked while that op runs: its InitProducerId (under
  // its assign) completes at `newerOkAt`. TV2 has no AddOffsetsToTxn: the group coordinator's verification
  // meets the newer epoch (PRODUCER_FENCED, answered INVALID_PRODUCER_EPOCH) though the group never saw it.
  const fencedOffsets = (newerInvokedAt: number, newerOkAt: number) => history([
    [0.5, 9, 'invoke', 'send', [['send', 1, 5]]], [0.6, 9, 'ok', 'send', [['send', 1, [0, 5]]]],
    [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
    [2, 2, 'invoke', 'txn', [['poll']], T],
    [newerInvokedAt, 3, 'invoke', 'assign', [0]], [newerOkAt, 3, 'ok', 'assign', [0]],
    [2.5, 2, 'fail', 'txn', [['poll', { 1: [[0, 5]] }], ['send', 0, [0, 5]]], { ...T, error: `sendOffsets: ${FRANZ_FENCED}` }],
  ]);

  for (const [name, options] of [['TV2', JAVA_TV2], ['TV1', JAVA_TV1]] as const) {
    it(`explains it by that init when it completed before the commit was answered (Java client, ${name})`, () => {
      const r = replayAgainstModel(fencedOffsets(2.1, 2.2), options);
      expect(r).toMatchObject({ conforms: true, inconclusive: [] });
      expect(r.explanations).toEqual([expect.stringMatching(/^process 3's InitProducerId for T \(invoked at 2\.1 s, ok\) landed after the start of op \d+ and fenced process 2$/)]);
    });
  }

  it('still proves a divergence when no init can have come between (the newer instance starts after the answer)', () => {
    const r = replayAgainstModel(fencedOffsets(3, 3.1), JAVA_TV2);
    expect(r.inconclusive).toEqual([]);
    expect(r.divergence).toMatchObject({ process: 2, kind: 'error' });
    expect(r.divergence!.explanation).toMatch(/\(fenced\) to the offsets commit, but the model accepts it: nothing it can replay fenced T there/);
  });
});

describe('a newer instance\'s InitProducerId waits for older ops Kafka took that wait for something else (franz-go campaign seed 7)', () => {
  // Process 3's InitProducerId for T is invoked at 2 s and completes at 10 s. Process 2's op invoked at 3 s
  // wrote offset 1 of key 1, after process 5's write at offset 0, whose send was never answered (a poll
  // found it; its op completes last, as info). Process 2's write waits for that one; the init must not go
  // ahead of it meanwhile (then the model fences a write Kafka took), only of what cannot move at all.
  const olderWaits = (olderInvokedAt: number) => history([
    [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
    [1.5, 5, 'invoke', 'send', [['send', 1, 7]]], [20, 5, 'info', 'send', [['send', 1, 7]], { error: 'timeout: send took longer than 10000 ms' }],
    [2, 3, 'invoke', 'assign', [0]], [10, 3, 'ok', 'assign', [0]],
    [olderInvokedAt, 2, 'invoke', 'txn', [['send', 1, 8]], T], [olderInvokedAt + 0.1, 2, 'ok', 'txn', [['send', 1, [1, 8]]], T],
    [4, 6, 'invoke', 'poll', [['poll']]], [4.1, 6, 'ok', 'poll', [['poll', { 1: [[0, 7]] }]]],
    [12, 2, 'invoke', 'txn', [['send', 0, 9]], T], [12.1, 2, 'fail', 'txn', [['send', 0, [null, 9]]], { ...T, error: FRANZ_FENCED }],
  ]);

  it('replays the older op\'s write first; the init then fences the op invoked after it completed', () => {
    expect(replayAgainstModel(olderWaits(3), JAVA_TV2)).toMatchObject({ conforms: true, inconclusive: [], explanations: [] });
  });

  it('still proves a divergence when Kafka took the older instance\'s write after the init completed', () => {
    const r = replayAgainstModel(olderWaits(11), JAVA_TV2);
    expect(r.inconclusive).toEqual([]);
    expect(r.divergence).toMatchObject({ process: 2, kind: 'refused', key: 1 });
  });
});

describe('processes that never named their transactional id (kafkajs campaign seeds 42, 51, 56)', () => {
  // Process 2 runs T with assignment [0, 1]; process 3, a later instance of T's worker, re-issues the
  // worker's later assignment [0] and times out in its InitProducerId; process 4 runs T and is fenced.
  const zombieOfLaterAssign = (workerInfo: ReplayOptions['workers']) => replayAgainstModel(history([
    [1, 2, 'invoke', 'assign', [0, 1]], [1.1, 2, 'ok', 'assign', [0, 1]],
    [2, 2, 'invoke', 'txn', [['send', 0, 1]], T], [2.1, 2, 'ok', 'txn', [['send', 0, [0, 1]]], T],
    [3, 2, 'invoke', 'assign', [0]], [3.1, 2, 'ok', 'assign', [0]],
    [4, 2, 'invoke', 'crash', null], [4, 2, 'info', 'crash', null, { error: 'crash' }],
    [5, 3, 'invoke', 'assign', [0]], [15, 3, 'info', 'assign', [0], { error: 'timeout: assign took longer than 10000 ms' }],
    [16, 4, 'invoke', 'assign', [0]], [16.1, 4, 'ok', 'assign', [0]],
    [17, 4, 'invoke', 'txn', [['send', 0, 2]], T], [17.1, 4, 'ok', 'txn', [['send', 0, [1, 2]]], T],
    [20, 4, 'invoke', 'txn', [['send', 0, 3]], T], [20.1, 4, 'fail', 'txn', [['send', 0, [null, 3]]], { ...T, error: 'INVALID_PRODUCER_EPOCH: fenced' }],
  ]), { workers: workerInfo });

  it('match a worker by any assignment it asks for, not only its first', () => {
    const r = zombieOfLaterAssign([{ transactionalId: 'T', assign: [0, 1], assigns: [[0, 1], [0]] }]);
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
    expect(r.explanations).toEqual([expect.stringMatching(/^process 3's InitProducerId for T \(invoked at 5\.0 s, info\) landed after the start of op \d+ and fenced process 4$/)]);
    // Matched by the first assignment only, nothing explains the fence: a proved (false) divergence.
    expect(zombieOfLaterAssign([{ transactionalId: 'T', assign: [0, 1] }]).divergence).toMatchObject({ kind: 'error' });
  });

  it('may be any of the transactional ids whose workers asked for that assignment', () => {
    const r = zombieOfLaterAssign([{ transactionalId: 'U', assigns: [[0]] }, { transactionalId: 'T', assign: [0, 1], assigns: [[0, 1], [0]] }]);
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
  });
});

describe('error classes of the clients\' spellings', () => {
  it.each([
    ['InvalidProducerEpochException: Producer attempted to produce with an old epoch.', 'fenced'],
    ['ProducerFencedException: There is a newer producer with the same transactionalId', 'fenced'],
    ['sendOffsets: ConcurrentTransactionsException: busy', 'concurrent'],
    ['commit: InvalidTxnStateException: The producer attempted a transactional operation in an invalid state.', 'txn-state'],
    ['initTransactions: TimeoutException: Timeout expired after 10000ms while awaiting InitProducerId.', 'unavailable'],
    ['KafkaException: Cannot execute transactional method because we are in an error state', 'client-state'],
    ['sendOffsets: CONCURRENT_TRANSACTIONS: The producer attempted to update a transaction', 'concurrent'],
    ['InitProducerID: unable to initialize a producer ID due to request failures: unable to dial: dial tcp 127.0.0.1:9092: connect: connection refused', 'unavailable'],
    ['broker closed the connection immediately during api versions negotiation, which often happens when the broker requires TLS', 'unavailable'],
    ['commit: timeout: context deadline exceeded', 'unavailable'],
    ['crash', 'unknown'],
  ] as const)('%s is %s', (error, cls) => expect(errorClass(error)).toBe(cls));

  it('judges txn-state at a Java commit only where it names the request', () => {
    expect(isJudgedError('commit: InvalidTxnStateException: x', 'txn-state', 'java')).toBe(false);
    expect(isJudgedError('InvalidTxnStateException: x', 'txn-state', 'java')).toBe(true);
    expect(isJudgedError('commit: INVALID_TXN_STATE: x', 'txn-state', 'kafkajs')).toBe(true);
  });
});
