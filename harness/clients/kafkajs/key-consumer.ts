// A consumer with manual assignment and positions, as Jepsen's clients use KafkaConsumer.assign: no
// group, no background fetching. A `poll` sends one read_committed Fetch to each broker that leads an
// assigned partition, from the harness' own positions (first record not yet returned, per key), so seek
// and rollback are exact. Records go through kafkajs' own fetch decoding and read_committed filter
// (its Batch, with the `abort-filter` fix when asked for): that is the client's share being tested.
//
// Why not kafkajs' Consumer: it fetches continuously from every leader whether or not anything polls,
// needs a group join per assignment, and on this 2-core machine that background work cost more broker
// and harness CPU than the ops themselves (24 idle consumers: 690 fetches/s, 0.7 of a core).
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import type { Key, Offset, Value } from '../../../jepsen-style/history.ts';
import type { KeyPartition } from '../../workload/program.ts';

const require = createRequire(import.meta.url);

/** Per partition per fetch: far above a poll's worth of 10-byte records, far below a memory worry. */
const MAX_BYTES_PER_PARTITION = 1 << 20;
/** How long past its max wait a poll waits for a leader (a partitioned one never answers). */
const FETCH_GRACE_MS = 1_000;
const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;
/** kafkajs errors after which the leaders it knows are stale. */
const STALE_METADATA = new Set(['NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'OFFSET_NOT_AVAILABLE']);

export type Polled = Record<string, Array<[Offset, Value]>>;
/** Offsets to commit, grouped as Kafka's requests (and kafkajs' sendOffsets) take them. */
export type OffsetTopics = Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;

export interface KeyConsumerOptions {
  kafka: Kafka;
  keys: readonly KeyPartition[];
  readUncommitted: boolean;
}

/** The parts of kafkajs' (internal) Cluster and Broker a poll uses. */
interface FetchedMessage { offset: string; value: Buffer | null }
interface BatchLike { messages: FetchedMessage[]; isEmptyIncludingFiltered(): boolean; lastOffset(): string }
interface PartitionData { partition: number }
interface ClusterLike {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findGroupCoordinator(g: { groupId: string }): Promise<{
    offsetCommit(request: { groupId: string; groupGenerationId: number; memberId: string; topics: OffsetTopics }): Promise<unknown>;
  }>;
  findBroker(b: { nodeId: string }): Promise<{
    fetch(request: object): Promise<{ responses: Array<{ topicName: string; partitions: PartitionData[] }> }>;
  }>;
}

export class KeyConsumer {
  private connecting: Promise<ClusterLike> | null = null;
  private assigned: Key[] = [];
  /** Next offset a poll returns, per assigned key. */
  private readonly position = new Map<Key, Offset>();
  private readonly byTopicPartition = new Map<string, Key>();
  /** Bumped at each poll's start and end: a fetch answers only the poll that sent it. */
  private generation = 0;

  constructor(private readonly options: KeyConsumerOptions) {
    for (const k of options.keys) this.byTopicPartition.set(`${k.topic}/${k.partition}`, k.key);
  }

  get keys(): readonly Key[] {
    return this.assigned;
  }

  positionOf(key: Key): Offset | undefined {
    return this.position.get(key);
  }

  /**
   * Replaces the assignment. Keys kept keep their position; new keys start at `start(key)`. Local, as
   * KafkaConsumer.assign is: the connection is made by the first poll, whose failure ends no process.
   */
  assign(keys: readonly Key[], start: (key: Key) => Offset): void {
    const kept = new Map([...this.position].filter(([k]) => keys.includes(k)));
    this.assigned = [...new Set(keys)].sort((a, b) => a - b);
    this.position.clear();
    for (const k of this.assigned) this.position.set(k, kept.get(k) ?? start(k));
  }

  /**
   * What the leaders return within `maxWaitMs`: one Fetch per leader, concurrently, each answered as
   * soon as it has a record. A leader that has not answered `FETCH_GRACE_MS` later is read next time
   * (its late answer is dropped: positions move only with records a poll returned). Fails only when no
   * leader answered, with the first leader's error.
   */
  async poll(maxWaitMs: number): Promise<Polled> {
    if (this.assigned.length === 0) return {};
    const cluster = await withinMs(this.connect().then(async (c) => { await c.refreshMetadataIfNecessary(); return c; }), maxWaitMs + FETCH_GRACE_MS, 'connect');
    const generation = ++this.generation;
    let requests;
    try {
      requests = this.requestsByLeader(cluster);
    } catch (error) {
      refreshSoon(cluster); // kafkajs rejects metadata with a partition that has no leader
      throw error;
    }
    const fetches = requests.map(([nodeId, topics]) => this.fetchFrom(cluster, nodeId, topics, maxWaitMs, generation));
    const outcomes = await settledWithin(fetches, maxWaitMs + FETCH_GRACE_MS);
    this.generation++; // whatever is still in flight belongs to a finished poll
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as { type?: string; name?: string }] : []));
    if (failures.some((e) => STALE_METADATA.has(e.type ?? '') || e.name !== 'KafkaJSProtocolError')) refreshSoon(cluster);
    if (failures.length > 0 && failures.length === outcomes.length) throw failures[0];
    const out: Polled = {};
    for (const o of outcomes) if (o.status === 'fulfilled') Object.assign(out, o.value);
    return out;
  }

  /**
   * Commits offsets (next offset to read, per topic-partition) to `groupId` with a plain OffsetCommit
   * outside any transaction, as Java's consumer.commitSync(offsets) does for a consumer without group
   * membership. Only the `offsets-outside-txn` mutant does this. (Not kafkajs' admin.setOffsets: it joins
   * the group with a consumer of its own, which under concurrent commits rebalanced, hung past the op
   * deadline and kept the shared admin client busy for the rest of the run.)
   */
  async commitOffsets(groupId: string, topics: OffsetTopics): Promise<void> {
    const cluster = await this.connect();
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics });
  }

  /** The next poll starts at `offset` on `key`. */
  seek(key: Key, offset: Offset): void {
    if (this.position.has(key)) this.position.set(key, offset);
  }

  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = null;
    if (connecting) await connecting.then((c) => c.disconnect()).catch(() => undefined);
  }

  private requestsByLeader(cluster: ClusterLike): Array<[string, Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>]> {
    const byLeader = new Map<string, Map<string, Array<{ partition: number; fetchOffset: string; maxBytes: number }>>>();
    const partitionsByTopic = new Map<string, number[]>();
    for (const k of this.assigned) {
      const kp = this.options.keys[k]!;
      partitionsByTopic.set(kp.topic, [...(partitionsByTopic.get(kp.topic) ?? []), kp.partition]);
    }
    let located = 0;
    for (const [topic, partitions] of partitionsByTopic) {
      for (const [nodeId, led] of Object.entries(cluster.findLeaderForPartitions(topic, partitions))) {
        located += led.length;
        const topics = byLeader.get(nodeId) ?? new Map();
        byLeader.set(nodeId, topics);
        topics.set(topic, led.map((partition) => ({
          partition,
          fetchOffset: String(this.position.get(this.byTopicPartition.get(`${topic}/${partition}`)!)),
          maxBytes: MAX_BYTES_PER_PARTITION,
        })));
      }
    }
    // A partition missing from the metadata would otherwise go unread until the metadata ages out.
    if (located < this.assigned.length) refreshSoon(cluster);
    return [...byLeader].map(([nodeId, topics]) => [nodeId, [...topics].map(([topic, partitions]) => ({ topic, partitions }))]);
  }

  private async fetchFrom(cluster: ClusterLike, nodeId: string, topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string }> }>, maxWaitMs: number, generation: number): Promise<Polled> {
    const broker = await cluster.findBroker({ nodeId });
    const { responses } = await broker.fetch({
      maxWaitTime: maxWaitMs, minBytes: 1, maxBytes: 10 * MAX_BYTES_PER_PARTITION,
      isolationLevel: this.options.readUncommitted ? READ_UNCOMMITTED : READ_COMMITTED, topics,
    });
    const out: Polled = {};
    if (generation !== this.generation) return out;
    const Batch = loadBatch();
    for (const { topicName, partitions } of responses) {
      for (const data of partitions) {
        const key = this.byTopicPartition.get(`${topicName}/${data.partition}`);
        const requested = topics.find((t) => t.topic === topicName)?.partitions.find((p) => p.partition === data.partition);
        // A seek since the fetch was sent wins: its records are no longer what comes next.
        if (key === undefined || requested === undefined || String(this.position.get(key)) !== requested.fetchOffset) continue;
        const batch = new Batch(topicName, requested.fetchOffset, data);
        if (batch.isEmptyIncludingFiltered()) continue;
        const records = batch.messages.map((m): [Offset, Value] => [Number(m.offset), Number(m.value?.toString())]);
        if (records.length > 0) out[String(key)] = records;
        // Past aborted records and markers too, as Java's consumer does: they are never returned.
        this.position.set(key, Number(batch.lastOffset()) + 1);
      }
    }
    return out;
  }

  private connect(): Promise<ClusterLike> {
    this.connecting ??= (async () => {
      const cluster = createCluster(this.options.kafka);
      await cluster.connect();
      await cluster.addMultipleTargetTopics([...new Set(this.options.keys.map((k) => k.topic))]);
      return cluster;
    })();
    // A failed connect is retried by the next op rather than cached.
    return this.connecting.catch((error) => {
      this.connecting = null;
      throw error;
    });
  }
}

/** In the background: the poll that noticed stale metadata has its answer already. */
function refreshSoon(cluster: ClusterLike): void {
  void cluster.refreshMetadata().catch(() => undefined);
}

/** Like Promise.allSettled, but what has not settled within `ms` counts as rejected with a timeout. */
async function settledWithin<T>(promises: Array<Promise<T>>, ms: number): Promise<Array<PromiseSettledResult<T>>> {
  return Promise.allSettled(promises.map((p) => withinMs(p, ms, 'fetch')));
}

/** `promise`, or a rejection after `ms` (the promise itself runs on; its result is then ignored). */
function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timeout: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** kafkajs' Batch, loaded on first use: after the client fixes were installed (client-fixes.ts). */
function loadBatch(): new (topic: string, fetchedOffset: string, data: PartitionData) => BatchLike {
  return require('kafkajs/src/consumer/batch.js');
}

/** A fresh kafkajs Cluster (own connections, own metadata) from the Kafka object's private factory. */
function createCluster(kafka: Kafka): ClusterLike {
  const factory = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (factory === undefined) throw new Error('kafkajs internals changed: no private:Kafka:createCluster on the Kafka object (pinned kafkajs 2.2.4 has it)');
  const create = (kafka as unknown as Record<symbol, (o: object) => ClusterLike>)[factory]!;
  return create({ metadataMaxAge: 300_000, allowAutoTopicCreation: false, maxInFlightRequests: null });
}
