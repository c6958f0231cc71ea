// KeyConsumer against a scripted stand-in for kafkajs' Cluster and Broker (the fetch path and kafkajs'
// own Batch and read_committed filter are real): what a poll returns, where positions move, and that a
// slow or failed leader neither loses records nor stalls the poll. Real-cluster behaviour is covered by
// the integration runs.
import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyPartition } from '../../workload/program.ts';
import { KeyConsumer } from './key-consumer.ts';

const KEYS: KeyPartition[] = [
  { key: 0, topic: 't', partition: 0 },
  { key: 1, topic: 't', partition: 1 },
];
const LEADER: Record<number, string> = { 0: '1', 1: '2' };
const ABORT_KEY = Buffer.from([0, 0, 0, 0]);

interface Msg { offset: string; key: Buffer | null; value: Buffer | null; isControlRecord: boolean; batchContext: { producerId: string; inTransaction: boolean } }
const rec = (offset: number, value: number, producerId = 'p', inTransaction = false): Msg =>
  ({ offset: String(offset), key: null, value: Buffer.from(String(value)), isControlRecord: false, batchContext: { producerId, inTransaction } });
const abortMarker = (offset: number, producerId: string): Msg =>
  ({ offset: String(offset), key: ABORT_KEY, value: null, isControlRecord: true, batchContext: { producerId, inTransaction: true } });

interface FetchCall { nodeId: string; offsets: Record<number, string> }
type Answer = (offsets: Record<number, string>) => Promise<Array<{ partition: number; messages: Msg[]; abortedTransactions?: Array<{ producerId: string; firstOffset: string }> }>>;

/** A Kafka object whose private cluster factory yields a scripted cluster; `answers` per leader node. */
function fakeKafka(answers: Record<string, Answer>) {
  const calls: FetchCall[] = [];
  const cluster = {
    connected: 0,
    /** Set to make connecting hang, as it does when the seed broker is paused. */
    hangOnConnect: false,
    connect: () => (cluster.hangOnConnect ? new Promise<void>(() => undefined) : Promise.resolve(void cluster.connected++)),
    disconnect: async () => undefined,
    addMultipleTargetTopics: async () => undefined,
    refreshMetadata: vi.fn(async () => undefined),
    refreshMetadataIfNecessary: async () => undefined,
    /** Partitions whose leader the metadata lacks (kafkajs then leaves them out). */
    leaderless: new Set<number>(),
    findLeaderForPartitions: (_: string, partitions: number[]) => {
      const out: Record<string, number[]> = {};
      for (const p of partitions) if (!cluster.leaderless.has(p)) (out[LEADER[p]!] ??= []).push(p);
      return out;
    },
    commits: [] as unknown[],
    findGroupCoordinator: async () => ({ offsetCommit: async (request: unknown) => void cluster.commits.push(request) }),
    findBroker: async ({ nodeId }: { nodeId: string }) => ({
      async fetch({ topics }: { topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string }> }> }) {
        const offsets = Object.fromEntries(topics[0]!.partitions.map((p) => [p.partition, p.fetchOffset]));
        calls.push({ nodeId, offsets });
        const partitions = await answers[nodeId]!(offsets);
        return { responses: [{ topicName: 't', partitions: partitions.map((p) => ({ highWatermark: '100', abortedTransactions: [], ...p })) }] };
      },
    }),
  };
  const kafka = { [Symbol('private:Kafka:createCluster')]: () => cluster } as unknown as Kafka;
  return { kafka, calls, cluster };
}

const consumerFor = (kafka: Kafka) => new KeyConsumer({ kafka, keys: KEYS, readUncommitted: false });

afterEach(() => vi.useRealTimers());

describe('KeyConsumer', () => {
  it('fetches from each leader at the positions, and moves positions past what it returned', async () => {
    const { kafka, calls, cluster } = fakeKafka({
      '1': async () => [{ partition: 0, messages: [rec(3, 30), rec(4, 40)] }],
      '2': async () => [{ partition: 1, messages: [rec(7, 70)] }],
    });
    const c = consumerFor(kafka);
    c.assign([0, 1], (k) => (k === 0 ? 3 : 7));
    expect(await c.poll(100)).toEqual({ 0: [[3, 30], [4, 40]], 1: [[7, 70]] });
    expect(calls).toEqual([{ nodeId: '1', offsets: { 0: '3' } }, { nodeId: '2', offsets: { 1: '7' } }]);
    expect([c.positionOf(0), c.positionOf(1)]).toEqual([5, 8]);
    expect(cluster.connected).toBe(1);
  });

  it('hides aborted records and markers through kafkajs\' filter, and moves past them', async () => {
    const { kafka } = fakeKafka({
      '1': async () => [{ partition: 0, messages: [rec(0, 1), rec(1, 2, 'A', true), abortMarker(2, 'A')], abortedTransactions: [{ producerId: 'A', firstOffset: '1' }] }],
      '2': async () => [{ partition: 1, messages: [] }],
    });
    const c = consumerFor(kafka);
    c.assign([0, 1], () => 0);
    expect(await c.poll(100)).toEqual({ 0: [[0, 1]] });
    expect([c.positionOf(0), c.positionOf(1)]).toEqual([3, 0]);
  });

  it('reads again from a seek', async () => {
    const { kafka, calls } = fakeKafka({ '1': async (o) => (o[0] === '0' ? [{ partition: 0, messages: [rec(0, 1), rec(1, 2)] }] : [{ partition: 0, messages: [] }]) });
    const c = consumerFor(kafka);
    c.assign([0], () => 0);
    await c.poll(100);
    c.seek(0, 0);
    expect(await c.poll(100)).toEqual({ 0: [[0, 1], [1, 2]] });
    expect(calls.map((x) => x.offsets[0])).toEqual(['0', '0']);
  });

  it('does not wait for a leader that never answers, and drops its late answer', async () => {
    vi.useFakeTimers();
    let answerLate: (() => void) | undefined;
    const { kafka, calls } = fakeKafka({
      '1': async () => [{ partition: 0, messages: [rec(0, 1)] }],
      '2': (o) => (calls.filter((x) => x.nodeId === '2').length === 1
        ? new Promise((resolve) => { answerLate = () => resolve([{ partition: 1, messages: [rec(0, 9)] }]); })
        : Promise.resolve([{ partition: 1, messages: o[1] === '0' ? [rec(0, 9)] : [] }])),
    });
    const c = consumerFor(kafka);
    c.assign([0, 1], () => 0);
    const polled = c.poll(100);
    await vi.advanceTimersByTimeAsync(1_200);
    expect(await polled).toEqual({ 0: [[0, 1]] });
    answerLate!();
    await vi.advanceTimersByTimeAsync(0);
    // The late record was never returned, so the next poll must read it again.
    expect(c.positionOf(1)).toBe(0);
    expect(await c.poll(100)).toEqual({ 1: [[0, 9]] });
  });

  it('refreshes metadata that lacks a leader, rather than leave its partition unread', async () => {
    const { kafka, cluster } = fakeKafka({ '1': async () => [{ partition: 0, messages: [rec(0, 1)] }] });
    cluster.leaderless.add(1);
    const c = consumerFor(kafka);
    c.assign([0, 1], () => 0);
    expect(await c.poll(100)).toEqual({ 0: [[0, 1]] });
    expect(cluster.refreshMetadata).toHaveBeenCalledTimes(1);
  });

  it('assigns without touching the network; the first poll connects, and gives up on a connection that never comes', async () => {
    vi.useFakeTimers();
    const { kafka, cluster } = fakeKafka({ '1': async () => [{ partition: 0, messages: [rec(0, 1)] }] });
    cluster.hangOnConnect = true;
    const c = consumerFor(kafka);
    c.assign([0], () => 0);
    expect(cluster.connected).toBe(0);
    const polled = c.poll(100);
    const settled = expect(polled).rejects.toThrow(/connect timeout/);
    await vi.advanceTimersByTimeAsync(1_200);
    await settled;
  });

  it('commits offsets outside a transaction as a consumer without membership does (generation -1, no member id)', async () => {
    const { kafka, cluster } = fakeKafka({});
    const c = consumerFor(kafka);
    await c.commitOffsets('g', [{ topic: 't', partitions: [{ partition: 0, offset: '5' }, { partition: 1, offset: '2' }] }]);
    expect(cluster.commits).toEqual([{ groupId: 'g', groupGenerationId: -1, memberId: '', topics: [{ topic: 't', partitions: [{ partition: 0, offset: '5' }, { partition: 1, offset: '2' }] }] }]);
  });

  it('fails only when no leader answered, and then refreshes metadata', async () => {
    const notLeader = Object.assign(new Error('This server is not the leader'), { name: 'KafkaJSProtocolError', type: 'NOT_LEADER_OR_FOLLOWER' });
    const { kafka, cluster } = fakeKafka({
      '1': async () => { throw notLeader; },
      '2': async () => [{ partition: 1, messages: [rec(0, 5)] }],
    });
    const c = consumerFor(kafka);
    c.assign([0, 1], () => 0);
    expect(await c.poll(100)).toEqual({ 1: [[0, 5]] });
    expect(cluster.refreshMetadata).toHaveBeenCalled();
    c.assign([0], () => 0);
    await expect(c.poll(100)).rejects.toBe(notLeader);
  });
});
