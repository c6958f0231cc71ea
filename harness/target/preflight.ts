// Before a run touches an existing cluster: can we reach it with our credentials, is it big enough for
// the replication asked, may we create the run's topics, and may we do everything a run does in its
// namespace (a transaction with offsets, a read_committed read in a group)? Each check that fails
// says why (./refusals.ts), so a refused run costs seconds and leaves nothing behind.
import type { Admin, Kafka } from 'kafkajs';
import { harnessError } from '../cli/exit-codes.ts';
import type { Program } from '../workload/program.ts';
import { commitProbe } from '../cluster/probe-transaction.ts';
import { explainRefusal, type RefusalContext } from './refusals.ts';

type Context = Omit<RefusalContext, 'doing'>;

async function step<T>(ctx: Context, doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw explainRefusal(error, { ...ctx, doing });
  }
}

/** Connects and counts the brokers. */
export async function reachCluster(admin: Admin, ctx: Context): Promise<number> {
  return step(ctx, 'connecting', async () => {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    return brokers.length;
  });
}

/** The replication factor of the run's topics: as asked, or as many replicas as there are brokers, up to 3. */
export function chooseReplication(asked: number | null, brokers: number, bootstrap: string[]): number {
  if (asked !== null && asked > brokers) {
    throw harnessError(`the cluster at ${bootstrap.join(',')} is too small for --replication ${asked}: it has ${brokers} broker(s). ` +
      `Fix: --replication ${brokers} or fewer, or a bigger cluster`);
  }
  return asked ?? Math.min(3, brokers);
}

/** Creates the program's (namespaced) topics and waits for their leaders. */
export async function createRunTopics(admin: Admin, ctx: Context, program: Program, replication: number): Promise<void> {
  await createTopics(admin, ctx, program.topics.map((t) => ({ name: t.name, partitions: t.partitions })), replication);
}

export async function createTopics(admin: Admin, ctx: Context, topics: Array<{ name: string; partitions: number }>, replication: number): Promise<void> {
  await step(ctx, "creating the run's topics", async () => {
    await admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((t) => ({
        topic: t.name, numPartitions: t.partitions, replicationFactor: replication,
        // A cluster-wide min.insync.replicas above this replication would refuse every acks=all write.
        configEntries: [{ name: 'min.insync.replicas', value: String(Math.min(2, replication)) }],
      })),
    });
  });
  await step(ctx, "waiting for the run's topics to have leaders", async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const { topics: seen } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
        if (seen.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        // A broker the metadata has not reached yet answers UNKNOWN_TOPIC_OR_PARTITION for a moment;
        // an ACL refusal is no moment, and ends the wait at once.
        if (/_AUTHORIZATION_FAILED$/.test((error as { type?: string }).type ?? '') || Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error('the topics have partitions without a leader after 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  });
}

/**
 * Everything a run does, once, in the namespace: a transaction (transactional id `<ns>probe`) that
 * writes to the probe topic and commits a group's offsets, then a read_committed read of it in that
 * group. Any ACL that is missing shows here, named, instead of as a run full of failed ops.
 */
export async function probeNamespace(kafka: Kafka, admin: Admin, ctx: Context, ns: string, replication: number): Promise<void> {
  const topic = `${ns}probe`;
  await createTopics(admin, ctx, [{ name: topic, partitions: 1 }], replication);
  const producer = kafka.producer({ transactionalId: `${ns}probe`, idempotent: true, maxInFlightRequests: 1, retry: { retries: 3 } });
  await step(ctx, 'committing a probe transaction in the namespace', () => commitProbe(producer, async (txn) => {
    await txn.send({ topic, acks: -1, messages: [{ partition: 0, value: 'probe' }] });
    await txn.sendOffsets({ consumerGroupId: `${ns}probe`, topics: [{ topic, partitions: [{ partition: 0, offset: '0' }] }] });
  }));
  const consumer = kafka.consumer({ groupId: `${ns}probe`, readUncommitted: false, sessionTimeout: 10_000, retry: { retries: 2 } });
  await step(ctx, 'reading the probe back in a consumer group', async () => {
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let failed: unknown = null;
      const seen = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the committed probe record was not read within 30 s')), 30_000);
        consumer.on(consumer.events.CRASH, (e) => { failed = e.payload.error; clearTimeout(timer); reject(failed); });
        void consumer.run({ eachMessage: async () => { clearTimeout(timer); resolve(); } }).catch((e: unknown) => { clearTimeout(timer); reject(e); });
      });
      await seen;
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  });
}
