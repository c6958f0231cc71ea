// "Started" means usable for exactly-once work, not merely "the JVM logged something": every broker is
// registered, and a transactional producer can commit to a fully replicated topic (which needs the
// transaction log created with RF 3 and a coordinator elected).
import kafkajs, { type KafkaConfig } from 'kafkajs';
import { commitProbe } from './probe-transaction.ts';

const { Kafka, logLevel } = kafkajs;

export const PROBE_TOPIC = '__kafka_eos_probe';

export interface ReadinessOptions {
  brokers: string[];
  expectedBrokers: number;
  deadline: number;
  onProgress?: (what: string) => void;
  /** ssl/sasl options when the client listener wants them (a testbed cluster). */
  connection?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
}

export async function waitUntilServing(options: ReadinessOptions): Promise<void> {
  const kafka = new Kafka({
    clientId: 'kafka-eos-readiness',
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 200 },
    ...options.connection,
  });
  let lastError = 'no attempt yet';
  const step = async <T>(what: string, attempt: () => Promise<T>): Promise<T> => {
    options.onProgress?.(what);
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        lastError = `${what}: ${(error as Error).message}`;
        if (Date.now() > options.deadline) throw new Error(`cluster not ready: ${lastError}`);
        await sleep(500);
      }
    }
  };

  const admin = kafka.admin();
  await step('connecting', () => admin.connect());
  try {
    await step(`waiting for ${options.expectedBrokers} registered brokers`, async () => {
      const { brokers } = await admin.describeCluster();
      if (brokers.length < options.expectedBrokers) throw new Error(`${brokers.length} of ${options.expectedBrokers} brokers registered`);
    });
    await step('creating the probe topic', async () => {
      const existing = await admin.listTopics();
      if (!existing.includes(PROBE_TOPIC)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: PROBE_TOPIC, numPartitions: 1, replicationFactor: options.expectedBrokers }],
        });
      }
    });
    // The first group operation creates __consumer_offsets (RF 3); do it now rather than in the
    // middle of a run, where it would show up as seconds of COORDINATOR_NOT_AVAILABLE.
    await step('creating the consumer offsets topic', () => admin.fetchOffsets({ groupId: 'kafka-eos-readiness', topics: [PROBE_TOPIC] }));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  await step('committing a probe transaction', () => commitProbeTransaction(kafka));
}

async function commitProbeTransaction(kafka: InstanceType<typeof Kafka>): Promise<void> {
  const producer = kafka.producer({ transactionalId: 'kafka-eos-readiness', idempotent: true, maxInFlightRequests: 1 });
  await commitProbe(producer, (txn) => txn.send({ topic: PROBE_TOPIC, acks: -1, messages: [{ partition: 0, value: 'ready' }] }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
