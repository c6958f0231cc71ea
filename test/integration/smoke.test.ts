// The cluster does what exactly-once testing needs: replicated topics, transactions that commit and
// abort across partitions, and a read_committed consumer that sees exactly the committed records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type KafkaCluster } from '../../harness/cluster/cluster.ts';
import { createTopic, eventually, kafkaClient } from './support.ts';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3 });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('a fresh 3-node cluster', () => {
  it('registers three brokers and replicates topics 3 ways with min ISR 2', async () => {
    await createTopic(cluster, 'smoke', 2);
    const admin = kafkaClient(cluster).admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      expect(brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      const { topics } = await admin.fetchTopicMetadata({ topics: ['smoke'] });
      expect(topics[0]?.partitions.map((p) => p.replicas.length)).toEqual([3, 3]);
      // Any broker may answer, and one the topic's metadata has not reached yet says UNKNOWN_TOPIC_OR_PARTITION.
      const configs = await eventually('the topic configs of smoke', () => admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2 /* TOPIC */, name: 'smoke', configNames: ['min.insync.replicas', 'unclean.leader.election.enable'] }],
      }), () => true, 30_000);
      const entries = Object.fromEntries(configs.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
      expect(entries).toEqual({ 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' });
      await expect(admin.fetchTopicMetadata({ topics: ['no-such-topic'] })).rejects.toThrow(/does not host this topic-partition|UNKNOWN_TOPIC/i);
    } finally {
      await admin.disconnect();
    }
  });

  it('read_committed sees the committed transaction across both partitions and nothing of the aborted one', async () => {
    const kafka = kafkaClient(cluster);
    const producer = kafka.producer({ transactionalId: 'smoke-txn', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const writeTxn = async (tag: string, commit: boolean) => {
      const txn = await producer.transaction();
      await txn.send({ topic: 'smoke', acks: -1, messages: [0, 1].map((partition) => ({ partition, value: `${tag}-p${partition}` })) });
      await (commit ? txn.commit() : txn.abort());
    };
    await writeTxn('first', true);
    await writeTxn('aborted', false);
    await writeTxn('last', true); // once "last" is read, anything of "aborted" would have come before it
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'smoke-reader', readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: 'smoke', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only saw ${JSON.stringify(seen)}`)), 60_000);
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          seen.push(`${partition}:${message.value?.toString()}`);
          if (seen.filter((s) => s.includes('last')).length === 2) { clearTimeout(timer); resolve(); }
        },
      });
    });
    await consumer.disconnect();
    expect(seen.sort()).toEqual(['0:first-p0', '0:last-p0', '1:first-p1', '1:last-p1']);
  });
});
