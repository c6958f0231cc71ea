// Recorded Kafka runs (test/fixtures/runs/, README.md there) replayed against the model with everything the
// replay concludes: the hidden events it had to fire to agree with Kafka (a late InitProducerId, a commit
// before a transaction timeout, an abort on timeout, an orphaned produce), the answers it did not hold the
// model to, and the one real finding (KAFKA-17754). harness/run/divergences-recheck.test.ts re-judges every
// folder there by its outcome only; this pins the replay's reasons on the smaller ones (well under a second
// each), chosen so that each kind of explanation occurs. The client each ran is its verdict.json's, the
// transaction version its cluster's (kafkajs speaks 1).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history.ts';
import type { ProgramInfo } from '../program-info.ts';
import { workersOfProgram } from './attribution.ts';
import { replayAgainstModel } from './replay.ts';
import type { ReplayOptions, ReplayResult } from './replay-types.ts';

const KAFKAJS: ReplayOptions = { client: 'kafkajs', txnVersion: 1 };
const JAVA_TV1: ReplayOptions = { client: 'java', txnVersion: 1 };
const JAVA_TV2: ReplayOptions = { client: 'java', txnVersion: 2 };

function replayRun(dir: string, protocol: ReplayOptions): ReplayResult {
  const file = (name: string) => readFileSync(`test/fixtures/runs/${dir}/${name}`, 'utf8');
  const events = file('kafka/history.jsonl').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as HistoryEvent);
  const program = JSON.parse(file('kafka/program-info.json')) as ProgramInfo;
  return replayAgainstModel(events, { ...protocol, program, workers: workersOfProgram(JSON.parse(file('program.json'))) });
}

const conforming = (replayed: number, ops: number, explanations: string[], unjudgedOps: Record<string, number[]> = {}): ReplayResult => ({
  conforms: true, inconclusive: [], replayed, ops, explanations, unjudged: Object.values(unjudgedOps).flat().length, unjudgedOps,
});

describe('recorded runs replayed against the model, with the replay\'s reasons', () => {
  it('kafkajs seed 2 (refused when recorded): the second copier instance\'s InitProducerId fenced the first', () => {
    expect(replayRun('kafkajs-seed-2-refused', KAFKAJS)).toEqual(conforming(846, 902, [
      'process 7\'s InitProducerId for copier-0 (invoked at 5.8 s, ok) landed after the start of op 378 and fenced process 6',
    ]));
  });

  it('nightly seed 7 (refused when recorded): real time keeps the copier instances apart; a lost connection is not judged', () => {
    expect(replayRun('divergence-nightly-seed-7', KAFKAJS)).toEqual(conforming(409, 459, [], { unavailable: [853] }));
  });

  it('seed 52 (refused when recorded): a fence under way when a transaction arrived, and late InitProducerIds', () => {
    expect(replayRun('divergence-seed-52', KAFKAJS)).toEqual(conforming(1005, 1030, [
      'process 7\'s InitProducerId for copier-0 was fencing the transaction when op 102 (process 6) arrived',
      'process 7\'s InitProducerId for copier-0 (invoked at 1.4 s, ok) landed after the start of op 166 and fenced process 8',
      'process 44\'s InitProducerId for txn-w1 (invoked at 32.2 s, info) landed after the start of op 2261 and fenced process 81',
    ]));
  });

  it('kafkajs seed 42: an info transaction its own client aborted, and an abandoned instance fencing three later ones', () => {
    expect(replayRun('kafkajs-seed-42', KAFKAJS)).toEqual(conforming(1012, 1069, [
      'op 458 (process 0, info txn) was aborted by its own client after the runner gave up on it, before 14.5 s',
      'process 19\'s InitProducerId for copier-0 (invoked at 14.6 s, ok) landed after the start of op 623 and fenced process 12',
      'process 7\'s InitProducerId for copier-0 (invoked at 4.3 s, info) landed after the start of op 704 and fenced process 19',
      'process 7\'s InitProducerId for copier-0 (invoked at 4.3 s, info) landed after the start of op 924 and fenced process 20',
      'process 7\'s InitProducerId for copier-0 (invoked at 4.3 s, info) landed after the start of op 1211 and fenced process 21',
      'process 38\'s InitProducerId for txn-w2 (invoked at 42.4 s, info) landed after the start of op 1955 and fenced process 45',
    ], { unavailable: [423, 447, 1632, 1629], concurrent: [530] }));
  });

  it('franz-go seed 7 (as the Java client, TV2): an info transaction committed before its timeout, another aborted on it', () => {
    expect(replayRun('franz-go-seed-7', JAVA_TV2)).toEqual(conforming(250, 281, [
      'process 7\'s InitProducerId for copier-0 (invoked at 1.0 s, ok) landed after the start of op 251 and fenced process 6',
      'op 255 (process 1, info txn) committed before its transaction timed out (by 39.3 s); its records were read later',
      'op 814 (process 109, info txn) was aborted by its coordinator on timeout (due 72.5 s)',
    ], { concurrent: [133], unavailable: [257] }));
  });

  it('franz-go campaign seed 7 (refused when recorded): a newer instance initialised only when nothing else can move', () => {
    expect(replayRun('franz-go-campaign-seed-7', JAVA_TV2)).toEqual(conforming(374, 401, [
      'process 161\'s InitProducerId for copier-0 (invoked at 34.3 s, info) landed after the start of op 980 and fenced process 163',
    ], { unavailable: [172], concurrent: [1116] }));
  });

  it('java 3.9.1 endtxn-race seed 2 (TV1): an out-of-order answer explained by an orphaned produce; a commit\'s txn-state not judged', () => {
    expect(replayRun('java391-endtxn-race-seed-2', JAVA_TV1)).toEqual(conforming(1202, 1249, [
      'process 7\'s InitProducerId for copier-0 (invoked at 12.8 s, ok) landed after the start of op 222 and fenced process 6',
      'op 2337 (process 10, txn-w1): Kafka answered out-of-order to the send of value 232 to key 0; op 1779 of the same producer sent to key 0 and ran 4.5 s, longer than a request timeout, so a produce it gave up on may have reached the leader after its transaction ended and left its lower sequence as the partition\'s verification entry (KIP-890, TV1)',
    ], { 'txn-state': [2153] }));
  });

  it('java 3.9.1 seed 2 (KAFKA-17754, TV1): Kafka refused an offsets commit nothing the model can replay refuses, a divergence that stays found', () => {
    const r = replayRun('java391-kafka-17754-seed-2', JAVA_TV1);
    const kafka = 'answered TransactionAbortableException: The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional I (txn-state) to the offsets commit';
    expect(r).toEqual({
      conforms: false, inconclusive: [], replayed: 995, ops: 1140, unjudged: 0, unjudgedOps: {},
      explanations: ['process 7\'s InitProducerId for copier-0 (invoked at 12.9 s, ok) landed after the start of op 208 and fenced process 6'],
      divergence: {
        index: 2179, process: 12, kind: 'error', model: 'accepts it: nothing it can replay fenced txn-w3 there', kafka,
        explanation: `op 2179 (process 12, fail txn): Kafka ${kafka}, but the model accepts it: nothing it can replay fenced txn-w3 there`,
      },
    });
  });
});
