// Helpers for integration tests: clients that look at the real cluster, and patient waiting.
import { connect, type Socket } from 'node:net';
import kafkajs, { type Admin } from 'kafkajs';
import type { KafkaCluster } from '../../harness/cluster/cluster.ts';
import { dockerode } from '../../harness/docker/engine.ts';
import { LABEL } from '../../harness/docker/labels.ts';

const { Kafka, logLevel } = kafkajs;

export function kafkaClient(cluster: KafkaCluster, options: { unreachable?: number[]; clientId?: string } = {}) {
  const blocked = new Set((options.unreachable ?? []).map((id) => cluster.node(id).bootstrap.split(':')[1]));
  return new Kafka({
    clientId: options.clientId ?? 'kafka-eos-test',
    brokers: cluster.nodes.filter((n) => !options.unreachable?.includes(n.id)).map((n) => n.bootstrap),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 8_000,
    retry: { retries: 3, initialRetryTime: 200 },
    // Sees the cluster only through the given nodes: an isolated leader keeps claiming leadership in
    // its stale metadata, and the test wants the majority's view.
    socketFactory: ({ host, port, onConnect }): Socket =>
      connect({ host, port: blocked.has(String(port)) ? 1 : port }, onConnect),
  });
}

export interface PartitionState {
  leader: number;
  isr: number[];
  replicas: number[];
}

export async function partitionState(admin: Admin, topic: string, partition = 0): Promise<PartitionState> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const p = topics[0]?.partitions.find((x) => x.partitionId === partition);
  if (!p) throw new Error(`no metadata for ${topic}-${partition}`);
  return { leader: p.leader, isr: [...p.isr].sort(), replicas: [...p.replicas].sort() };
}

/** Polls `probe` until it returns a value `accept` likes; fails with the last value seen. */
export async function eventually<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) return value;
      last = value;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Creates a topic with RF 3 and waits until every partition has a leader (3.9 can take a moment). */
export async function createTopic(cluster: KafkaCluster, topic: string, numPartitions: number): Promise<void> {
  const admin = kafkaClient(cluster).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions, replicationFactor: 3 }] });
    await eventually(`leaders for every partition of ${topic}`, () => admin.fetchTopicMetadata({ topics: [topic] }),
      ({ topics }) => topics[0]?.partitions.length === numPartitions && topics[0].partitions.every((p) => p.leader >= 0), 60_000);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Commits one transaction of `values` to partition 0 of `topic`, through the reachable nodes only.
 * Right after a fault, coordinators move and answer retriable errors (COORDINATOR_LOAD_IN_PROGRESS,
 * NOT_COORDINATOR) for a while: retry those, as an application would, until `timeoutMs`.
 */
export async function commitTransaction(cluster: KafkaCluster, topic: string, transactionalId: string, values: string[], unreachable: number[] = [], timeoutMs = 60_000): Promise<void> {
  await eventually(`a committed transaction ${transactionalId}`, async () => {
    await commitOnce(cluster, topic, transactionalId, values, unreachable);
    return true;
  }, (ok) => ok, timeoutMs);
}

/** Every partition of every topic, internal ones included, has all its replicas in sync. */
export async function allInSync(cluster: KafkaCluster): Promise<string[]> {
  const admin = kafkaClient(cluster).admin();
  await admin.connect();
  try {
    const names = await admin.listTopics();
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    return topics.flatMap((t) => t.partitions.filter((p) => p.isr.length < p.replicas.length).map((p) => `${t.name}-${p.partitionId}`));
  } finally {
    await admin.disconnect();
  }
}

async function commitOnce(cluster: KafkaCluster, topic: string, transactionalId: string, values: string[], unreachable: number[]): Promise<void> {
  const producer = kafkaClient(cluster, { unreachable }).producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const txn = await producer.transaction();
    await txn.send({ topic, acks: -1, messages: values.map((value) => ({ partition: 0, value })) });
    await txn.commit();
  } finally {
    await producer.disconnect();
  }
}

/** Every container and network the harness has created and not yet removed. */
export async function harnessResources(): Promise<string[]> {
  const docker = await dockerode();
  const filters = { label: [LABEL.role] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return [...containers.map((c) => c.Names[0] ?? c.Id), ...networks.map((n) => n.Name)];
}
