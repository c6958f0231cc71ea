// An OutOfOrderSequenceException answered to a TV1 Java transactional send is accepted only where an orphaned
// produce of the same producer can explain it (replay-orphans.ts): an earlier op of that process sent to the
// same key, outlasted a request timeout, and no out-of-order answer (an epoch bump) came in between. Hand-made
// histories on both sides of each condition; test/fixtures/runs/java391-endtxn-race-seed-{2,3}/ are the runs.
import { describe, expect, it } from 'vitest';
import { replayAgainstModel } from './replay.ts';
import { timedHistory as history, type TimedRow as Row } from '../testing/history-builder.ts';
import type { ReplayOptions } from './replay-types.ts';

const T = { txnId: 'T' };
const OOSE = 'OutOfOrderSequenceException: The broker received an out of order sequence number.';
const workers = [{ transactionalId: 'T', assign: [0] }];
const JAVA_TV1: ReplayOptions = { client: 'java', txnVersion: 1, workers };

/** Process 2 (T) sends value 1 to `earlierKey` in an op from 12 s lasting `lasted` s (aborted on purpose), then
 *  Kafka answers its send of value 2 to key 0 at 30 s out-of-order; `more` rows follow. */
const orphanThenOutOfOrder = (lasted: number, earlierKey = 0, more: Row[] = []) => history([
  [11, 2, 'invoke', 'assign', [0]], [11.1, 2, 'ok', 'assign', [0]],
  [12, 2, 'invoke', 'txn', [['send', earlierKey, 1]], T],
  [12 + lasted, 2, 'fail', 'txn', [['send', earlierKey, [0, 1]]], { ...T, error: 'aborted on purpose' }],
  [30, 2, 'invoke', 'txn', [['send', 0, 2]], T], [30.09, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, error: OOSE }],
  ...more,
]);

describe('an out-of-order answer explained by an orphaned produce (Java client, TV1)', () => {
  it('is accepted after an op of the same producer to that key that outlasted the request timeout', () => {
    const r = replayAgainstModel(orphanThenOutOfOrder(9), JAVA_TV1);
    expect(r.divergence).toBeUndefined();
    expect(r.conforms).toBe(true);
    expect(r.explanations.join('\n')).toMatch(/op 5 \(process 2, T\): Kafka answered out-of-order to the send of value 2 to key 0; op 3 of the same producer sent to key 0 and ran 9\.0 s/);
  });

  it('is still a divergence when the earlier op was quicker than any request timeout', () => {
    const r = replayAgainstModel(orphanThenOutOfOrder(0.2), JAVA_TV1);
    expect(r.divergence).toMatchObject({ index: 5, process: 2, kind: 'error', key: 0 });
    expect(r.divergence!.explanation).toMatch(/OutOfOrderSequenceException.*\(out-of-order\) to the send of value 2 to key 0, but the model accepts it/);
  });

  it('is still a divergence when the producer set a longer request timeout than the op took', () => {
    const r = replayAgainstModel(orphanThenOutOfOrder(9), { ...JAVA_TV1, requestTimeoutMs: 10_000 });
    expect(r.divergence).toMatchObject({ index: 5, kind: 'error', key: 0 });
  });

  it('is still a divergence when the long op sent to another key', () => {
    const r = replayAgainstModel(orphanThenOutOfOrder(9, 1), JAVA_TV1);
    expect(r.divergence).toMatchObject({ index: 5, kind: 'error', key: 0 });
  });

  it('is still a divergence from kafkajs: the orphaned copy is the Java producer\'s (it closes a timed-out request\'s connection and retries)', () => {
    const r = replayAgainstModel(orphanThenOutOfOrder(9), { ...JAVA_TV1, client: 'kafkajs' });
    expect(r).toMatchObject({ conforms: false, inconclusive: [], explanations: [] });
    expect(r.divergence).toMatchObject({ index: 5, kind: 'error', key: 0, model: 'accepts it: nothing it can replay fenced T there' });
  });

  it('explains only an out-of-order answer: a fenced one after the same long op is still a divergence', () => {
    const r = replayAgainstModel(history([
      [11, 2, 'invoke', 'assign', [0]], [11.1, 2, 'ok', 'assign', [0]],
      [12, 2, 'invoke', 'txn', [['send', 0, 1]], T], [21, 2, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'aborted on purpose' }],
      [30, 2, 'invoke', 'txn', [['send', 0, 2]], T], [30.09, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, error: 'InvalidProducerEpochException: x' }],
    ]), JAVA_TV1);
    expect(r).toMatchObject({ conforms: false, inconclusive: [], explanations: [] });
    expect(r.divergence).toMatchObject({ index: 5, kind: 'error', key: 0, model: 'accepts it: nothing it can replay fenced T there' });
  });

  it('is still a divergence under TV2 (the epoch bumps at every transaction end)', () => {
    const r = replayAgainstModel(orphanThenOutOfOrder(9), { ...JAVA_TV1, txnVersion: 2 });
    expect(r.divergence).toMatchObject({ index: 5, kind: 'error', key: 0 });
  });

  it('is still a divergence after an out-of-order answer in between (the client bumped its epoch, KIP-360)', () => {
    const r = replayAgainstModel(orphanThenOutOfOrder(9, 0, [
      [31, 2, 'invoke', 'txn', [['send', 0, 3]], T], [31.09, 2, 'fail', 'txn', [['send', 0, [null, 3]]], { ...T, error: OOSE }],
    ]), JAVA_TV1);
    expect(r.explanations.join('\n')).toMatch(/op 5 \(process 2, T\)/);
    expect(r.divergence).toMatchObject({ index: 7, kind: 'error', key: 0 });
  });
});

describe('an orphaned produce is the same producer\'s', () => {
  it('the earlier op may have lasted exactly the request timeout, not less', () => {
    expect(replayAgainstModel(orphanThenOutOfOrder(1), JAVA_TV1)).toMatchObject({ conforms: true });
    expect(replayAgainstModel(orphanThenOutOfOrder(0.99), JAVA_TV1).divergence).toMatchObject({ index: 5, kind: 'error' });
  });

  it('not another process\'s, nor the process\'s own idempotent producer\'s', () => {
    // Process 3 (another producer) sent to key 0 for 9 s: its copies carry its own producer id.
    const other = history([
      [1, 3, 'invoke', 'txn', [['send', 0, 1]], { txnId: 'U' }], [10, 3, 'fail', 'txn', [['send', 0, [0, 1]]], { txnId: 'U', error: 'aborted on purpose' }],
      [11, 2, 'invoke', 'assign', [0]], [11.1, 2, 'ok', 'assign', [0]],
      [30, 2, 'invoke', 'txn', [['send', 0, 2]], T], [30.09, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, error: OOSE }],
    ]);
    expect(replayAgainstModel(other, JAVA_TV1).divergence).toMatchObject({ kind: 'error', key: 0 });
    // Process 2's plain send to key 0 for 9 s went through its idempotent producer, not through T's.
    const plain = history([
      [11, 2, 'invoke', 'assign', [0]], [11.1, 2, 'ok', 'assign', [0]],
      [12, 2, 'invoke', 'send', [['send', 0, 1]]], [21, 2, 'ok', 'send', [['send', 0, [0, 1]]]],
      [30, 2, 'invoke', 'txn', [['send', 0, 2]], T], [30.09, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, error: OOSE }],
    ]);
    expect(replayAgainstModel(plain, JAVA_TV1).divergence).toMatchObject({ kind: 'error', key: 0 });
  });
});

describe('what an orphaned produce explains, and what ends it', () => {
  it('an earlier failed produce (a retriable error, no epoch bump) may be the orphan', () => {
    const r = replayAgainstModel(history([
      [11, 2, 'invoke', 'assign', [0]], [11.1, 2, 'ok', 'assign', [0]],
      [12, 2, 'invoke', 'txn', [['send', 0, 1]], T], [21, 2, 'fail', 'txn', [['send', 0, [null, 1]]], { ...T, error: 'NOT_LEADER_OR_FOLLOWER: x' }],
      [30, 2, 'invoke', 'txn', [['send', 0, 2]], T], [30.09, 2, 'fail', 'txn', [['send', 0, [null, 2]]], { ...T, error: OOSE }],
    ]), JAVA_TV1);
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
    expect(r.explanations).toEqual([expect.stringMatching(/^op 5 \(process 2, T\): Kafka answered out-of-order to the send of value 2 to key 0; op 3 of the same producer sent to key 0 and ran 9\.0 s/)]);
  });

  it('not an out-of-order answer to the process\'s idempotent producer (another producer id)', () => {
    const r = replayAgainstModel(orphanThenOutOfOrder(9, 0, [
      [40, 2, 'invoke', 'send', [['send', 0, 3]]], [40.09, 2, 'fail', 'send', [['send', 0, [null, 3]]], { error: OOSE }],
    ]), JAVA_TV1);
    expect(r.divergence).toMatchObject({ index: 7, kind: 'error', key: 0 });
    // Nor right after the long transactional op, with no out-of-order answer in between.
    const plainNext = replayAgainstModel(history([
      [11, 2, 'invoke', 'assign', [0]], [11.1, 2, 'ok', 'assign', [0]],
      [12, 2, 'invoke', 'txn', [['send', 0, 1]], T], [21, 2, 'fail', 'txn', [['send', 0, [0, 1]]], { ...T, error: 'aborted on purpose' }],
      [30, 2, 'invoke', 'send', [['send', 0, 2]]], [30.09, 2, 'fail', 'send', [['send', 0, [null, 2]]], { error: OOSE }],
    ]), JAVA_TV1);
    expect(plainNext).toMatchObject({ conforms: false, inconclusive: [], explanations: [] });
    expect(plainNext.divergence).toMatchObject({ index: 5, kind: 'error', key: 0, model: 'accepts it: nothing it can replay fenced T there' });
  });
});
