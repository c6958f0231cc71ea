// A finding, pinned as a test on kafkajs 2.2.4's own producer code (sendMessages.js, eosManager, retry):
// one `send`/`sendBatch` whose records go to partitions led by two brokers can write the records of one
// broker twice, under two different sequence numbers, so the broker cannot tell the second from a new
// write. It happens when the request to broker B fails retriably (here: AddPartitionsToTxn answered
// CONCURRENT_TRANSACTIONS, common for back-to-back transactions) while the request to broker A is still
// in flight: `Promise.all` rejects at once, the retry computes "brokers without a response" before A has
// answered, waits for A's broker lock, and sends A's records again with the sequence A's first request
// already advanced. The harness met it as `duplicate` anomalies in committed transactions when it tried
// sending an op's records in one call (docs/bug-finding.md); it sends one partition per call since.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const createEosManager = require('kafkajs/src/producer/eosManager/index.js');
const createSendMessages = require('kafkajs/src/producer/sendMessages.js');
const createRetry = require('kafkajs/src/retry/index.js');
const { KafkaJSProtocolError } = require('kafkajs/src/errors.js');
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js');

const CONCURRENT_TRANSACTIONS = 51;
const TOPIC = 't';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = { namespace: () => logger, debug() {}, info() {}, warn() {}, error() {} };

interface ProduceCall { nodeId: number; partition: number; firstSequence: number; values: string[] }

/** Partition 0 is led by broker 1 (slow to answer), partition 1 by broker 2. */
function fakeCluster(produceMs: number) {
  const produced: ProduceCall[] = [];
  let addPartitionCalls = 0;
  const broker = (nodeId: number) => ({
    nodeId,
    async produce({ topicData }: { topicData: Array<{ topic: string; partitions: Array<{ partition: number; firstSequence: number; messages: Array<{ value: string }> }> }> }) {
      for (const t of topicData) for (const p of t.partitions) produced.push({ nodeId, partition: p.partition, firstSequence: p.firstSequence, values: p.messages.map((m) => m.value) });
      await sleep(produceMs);
      return { topics: topicData.map((t) => ({ topicName: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: 0, baseOffset: '0' })) })) };
    },
  });
  const brokers = new Map([[1, broker(1)], [2, broker(2)]]);
  const coordinator = {
    async initProducerId() { return { producerId: 7, producerEpoch: 0 }; },
    async addPartitionsToTxn({ topics }: { topics: Array<{ partitions: number[] }> }) {
      // The first registration of partition 1 meets a concurrent operation on the transaction.
      if (topics.some((t) => t.partitions.includes(1)) && addPartitionCalls++ === 0) {
        throw new KafkaJSProtocolError(createErrorFromCode(CONCURRENT_TRANSACTIONS));
      }
    },
  };
  const cluster = {
    retry: { retries: 5, initialRetryTime: 20, maxRetryTime: 1000 },
    targetTopics: new Set([TOPIC]),
    async refreshMetadataIfNecessary() {},
    async refreshMetadata() {},
    async addMultipleTargetTopics() {},
    isConnected: () => true,
    removeBroker() {},
    findTopicPartitionMetadata: () => [{ partitionId: 0, leader: 1 }, { partitionId: 1, leader: 2 }],
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const byLeader: Record<string, number[]> = {};
      for (const p of partitions.map(Number)) (byLeader[p === 0 ? 1 : 2] ??= []).push(p);
      return byLeader;
    },
    async findBroker({ nodeId }: { nodeId: number | string }) { return brokers.get(Number(nodeId)); },
    async findGroupCoordinator() { return coordinator; },
  };
  return { cluster, produced };
}

async function sendAcrossTwoBrokers(produceMs: number): Promise<ProduceCall[]> {
  const { cluster, produced } = fakeCluster(produceMs);
  const eosManager = createEosManager({ logger, cluster, transactional: true, transactionalId: 'txn-w0', transactionTimeout: 30_000 });
  await eosManager.initProducerId();
  eosManager.beginTransaction();
  const sendMessages = createSendMessages({
    logger, cluster, eosManager, retrier: createRetry(cluster.retry),
    partitioner: ({ message }: { message: { partition: number } }) => message.partition,
  });
  await sendMessages({ acks: -1, topicMessages: [{ topic: TOPIC, messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] }] });
  return produced;
}

describe('kafkajs 2.2.4 sendMessages across two brokers', () => {
  it("writes broker 1's record twice, with a new sequence, when broker 2 fails retriably while broker 1 is in flight", async () => {
    const produced = await sendAcrossTwoBrokers(100);
    const toBroker1 = produced.filter((c) => c.nodeId === 1);
    expect(toBroker1.map((c) => c.values)).toEqual([['a'], ['a']]);
    // Sequence 0, then 1: to the broker the second copy is the next record, not a retry of the first.
    expect(toBroker1.map((c) => c.firstSequence)).toEqual([0, 1]);
  });

  it('writes each record once when broker 1 answers before the retry (the test can tell the difference)', async () => {
    const produced = await sendAcrossTwoBrokers(0);
    expect(produced.map((c) => [c.nodeId, c.values[0], c.firstSequence])).toEqual([[1, 'a', 0], [2, 'b', 0]]);
  });
});
