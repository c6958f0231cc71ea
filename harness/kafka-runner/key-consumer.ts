// A consumer with manual assignment and positions, built on kafkajs, which only offers group
// subscriptions: each process consumes in a group of its own (so no rebalance ever moves its
// partitions) through an assigner that hands the one member exactly the partitions of its keys.
// Records are buffered as kafkajs fetches them; a `poll` drains the buffer. Positions are the
// harness' own (first record not yet returned, per key), so seek and rollback are exact.
import kafkajs, { type Consumer, type Kafka } from 'kafkajs';
import type { Key, Offset, Value } from '../../jepsen-style/history.ts';
import type { KeyPartition } from '../workload/program.ts';
import { sleep } from './deadline.ts';
import { stopFetchersAfterStop } from './client-fixes.ts';

const { AssignerProtocol } = kafkajs;
const ASSIGNER = 'kafka-eos-manual';
/**
 * At most this many records wait in the buffer; beyond it records are dropped and the key is sought
 * back to its position at the next poll, so Kafka sends them again. (Not kafkajs' pause(): with
 * consumers paused most of the time, a 120 s faulty run spun in kafkajs' fetch manager at 100% CPU and
 * the harness stopped making progress.)
 */
const BUFFER_LIMIT = 5_000;

export type Polled = Record<string, Array<[Offset, Value]>>;

export interface KeyConsumerOptions {
  kafka: Kafka;
  keys: readonly KeyPartition[];
  /** The consumer's private group: used only for membership, never for committed offsets. */
  memberGroup: string;
  readUncommitted: boolean;
}

export class KeyConsumer {
  private consumer: Consumer | null = null;
  private assigned: Key[] = [];
  /** Next offset a poll returns, per assigned key. Records below it are dropped (stale fetches). */
  private readonly position = new Map<Key, Offset>();
  private readonly buffer = new Map<Key, Array<[Offset, Value]>>();
  private buffered = 0;
  /** Keys whose records were dropped at the buffer limit: sought back to their position at the next poll. */
  private readonly overflowed = new Set<Key>();
  private readonly byTopicPartition = new Map<string, Key>();

  constructor(private readonly options: KeyConsumerOptions) {
    stopFetchersAfterStop(); // a kafkajs liveness bug; see client-fixes.ts
    for (const k of options.keys) this.byTopicPartition.set(`${k.topic}/${k.partition}`, k.key);
  }

  get keys(): readonly Key[] {
    return this.assigned;
  }

  positionOf(key: Key): Offset | undefined {
    return this.position.get(key);
  }

  /** Replaces the assignment. Keys kept keep their position; new keys start at `start(key)`. */
  async assign(keys: readonly Key[], start: (key: Key) => Offset): Promise<void> {
    const kept = new Map([...this.position].filter(([k]) => keys.includes(k)));
    await this.close();
    this.assigned = [...new Set(keys)].sort((a, b) => a - b);
    this.position.clear();
    for (const k of this.assigned) this.position.set(k, kept.get(k) ?? start(k));
    if (this.assigned.length === 0) return;

    const partitionsByTopic = new Map<string, number[]>();
    for (const k of this.assigned) {
      const kp = this.options.keys[k]!;
      partitionsByTopic.set(kp.topic, [...(partitionsByTopic.get(kp.topic) ?? []), kp.partition]);
    }
    const consumer = this.options.kafka.consumer({
      groupId: this.options.memberGroup,
      readUncommitted: this.options.readUncommitted,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      maxWaitTimeInMs: 100,
      retry: { retries: 3, initialRetryTime: 100 },
      partitionAssigners: [() => manualAssigner(partitionsByTopic)],
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...partitionsByTopic.keys()], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, isStale }) => {
        const key = this.byTopicPartition.get(`${batch.topic}/${batch.partition}`);
        if (key === undefined || isStale() || this.consumer !== consumer) return;
        for (const m of batch.messages) this.accept(key, Number(m.offset), Number(m.value?.toString()));
      },
    });
    for (const k of this.assigned) this.seekKafka(k, this.position.get(k)!);
  }

  /** Everything buffered now, or what arrives within `maxWaitMs` if nothing is. */
  async poll(maxWaitMs: number): Promise<Polled> {
    if (this.consumer === null) throw new Error('poll before assign');
    const deadline = Date.now() + maxWaitMs;
    while (this.buffered === 0 && Date.now() < deadline) await sleep(10);
    const out: Polled = {};
    for (const [k, records] of this.buffer) {
      if (records.length === 0) continue;
      out[String(k)] = records;
      this.position.set(k, records[records.length - 1]![0] + 1);
      this.buffer.set(k, []);
    }
    this.buffered = 0;
    for (const k of this.overflowed) this.seekKafka(k, this.position.get(k)!);
    this.overflowed.clear();
    return out;
  }

  /** The next poll starts at `offset` on `key`. */
  seek(key: Key, offset: Offset): void {
    if (!this.position.has(key)) return;
    this.position.set(key, offset);
    this.buffered -= this.buffer.get(key)?.length ?? 0;
    this.buffer.set(key, []);
    this.seekKafka(key, offset);
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    this.buffer.clear();
    this.buffered = 0;
    this.overflowed.clear();
    if (consumer) await consumer.disconnect().catch(() => undefined);
  }

  private accept(key: Key, offset: Offset, value: Value): void {
    const list = this.buffer.get(key) ?? [];
    const next = list.length > 0 ? list[list.length - 1]![0] + 1 : (this.position.get(key) ?? 0);
    if (offset < next) return; // refetched after a seek, or a fetch that raced one
    if (this.buffered >= BUFFER_LIMIT) {
      this.overflowed.add(key);
      return;
    }
    if (this.overflowed.has(key)) return; // a gap would follow: wait for the seek back
    list.push([offset, value]);
    this.buffer.set(key, list);
    this.buffered++;
  }

  private seekKafka(key: Key, offset: Offset): void {
    const kp = this.options.keys[key]!;
    try {
      this.consumer?.seek({ topic: kp.topic, partition: kp.partition, offset: String(offset) });
    } catch {
      // Not joined yet: kafkajs starts from the beginning and `accept` drops what lies below the position.
    }
  }
}

function manualAssigner(partitionsByTopic: ReadonlyMap<string, number[]>) {
  const assignment = Object.fromEntries(partitionsByTopic);
  return {
    name: ASSIGNER,
    version: 1,
    async assign({ members }: { members: Array<{ memberId: string }> }) {
      // A private group has one member; should a stale member linger, it gets nothing.
      return members.map((m, i) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: i === 0 ? assignment : {}, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }: { topics: string[] }) {
      return { name: ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
    },
  };
}
