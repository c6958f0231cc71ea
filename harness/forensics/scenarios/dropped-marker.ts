// A transaction aborted while one of its partitions has no leader (docs/bug-finding.md, "Kafka 4.3+: the
// transaction coordinator drops the marker of a partition that has no leader"). Topic `lonely` lives on
// the last node alone and `paired` on the others; a transactional producer writes one record to each;
// the last node is killed; once the controller has fenced it (lonely-0 has no leader) the producer aborts;
// the node is restarted. Values: 41 on lonely-0, 42 on paired-0 (aborted), 43 (the next instance's). Kafka 4.2 keeps the marker queued and writes it when lonely-0 is back; 4.3 and
// later drop it ("Couldn't find leader endpoint ... likely deleted already"), complete the abort, and
// lonely-0's last stable offset stays at the aborted record for good.
import kafkajs from 'kafkajs';
import type { KafkaCluster } from '../../cluster/cluster.ts';
import type { KafkaTools } from '../jvm.ts';
import { takeSnapshot, type ClusterSnapshot } from '../snapshot.ts';
import { LogView, type RecordFate } from '../log-view.ts';

export interface DroppedMarkerOutcome {
  transactionalId: string;
  coordinator: number;
  /** lonely-0 once its node is back: LSO 0 below HW 1 means the aborted record still holds it. */
  lonely: { leader: number; highWatermark: number | null; lastStableOffset: number | null; markers: Array<string | null> };
  paired: { markers: Array<string | null> };
  /** What the coordinator says about the transactional id at the end. */
  coordinatorState: string | undefined;
  hanging: boolean;
  snapshot: ClusterSnapshot;
  /** With `thenCommit`: the next instance's committed transaction on lonely-0, and what became of the aborted record. */
  adoption?: { abortedRecord: RecordFate | 'absent'; marker?: { offset: number; type: string; producerEpoch: number }; lastStableOffset: number | null; snapshot: ClusterSnapshot };
}

const javaHashCode = (s: string) => [...s].reduce((h, c) => (Math.imul(31, h) + c.charCodeAt(0)) | 0, 0);

/**
 * `thenCommit`: afterwards a new instance of the same transactional id (InitProducerId bumps the epoch)
 * commits a transaction that writes lonely-0 again; its commit marker closes the partition's open
 * transaction from its first offset, so the record the client aborted becomes committed.
 */
export async function droppedMarkerScenario(cluster: KafkaCluster, tools: KafkaTools, log: (line: string) => void = () => undefined, options: { thenCommit?: boolean } = {}): Promise<DroppedMarkerOutcome> {
  const last = cluster.nodes[cluster.nodes.length - 1]!.id;
  const others = cluster.nodes.filter((n) => n.id !== last);
  const snapshot = (topics: string[], bootstrap = cluster.bootstrapServers) =>
    takeSnapshot(tools, { bootstrap, topics, reads: topics.map((topic) => ({ topic, partition: 0, from: 0 })), timeoutMs: 2_000 });
  const until = async (what: string, probe: () => Promise<ClusterSnapshot>, ok: (s: ClusterSnapshot) => boolean, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await probe().catch(() => null);
      if (s && ok(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  // Seeded without the last node: the client reaches it (lonely's leader) while it lives, and finds the rest without it.
  const kafka = new kafkajs.Kafka({ clientId: 'kafka-eos-dropped-marker', brokers: others.map((n) => n.bootstrap), logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 200 } });
  const admin = kafka.admin();
  await admin.connect();
  const producerIds: string[] = [];
  let producer: kafkajs.Producer | undefined;
  try {
    await admin.createTopics({ topics: [
      { topic: 'lonely', replicaAssignment: [{ partition: 0, replicas: [last] }] },
      { topic: 'paired', replicaAssignment: [{ partition: 0, replicas: others.map((n) => n.id) }] },
    ] });
    const { topics } = await admin.fetchTopicMetadata({ topics: ['__transaction_state'] });
    const leaderOf = new Map(topics[0]!.partitions.map((p) => [p.partitionId, p.leader]));
    const coordinatorOf = (id: string) => leaderOf.get(Math.abs(javaHashCode(id)) % leaderOf.size)!;
    const transactionalId = Array.from({ length: 50 }, (_, i) => `dropped-marker-${i}`).find((id) => coordinatorOf(id) !== last)!;
    producerIds.push(transactionalId);
    await until('leaders of lonely and paired', () => snapshot(['lonely', 'paired']), (s) => s.partitions.length === 2 && s.partitions.every((p) => p.leader > 0));
    // 20 s: the client's abort comes before the coordinator's own timeout (the node is fenced about 10 s after the kill).
    producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 20_000 });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic: 'lonely', acks: -1, messages: [{ partition: 0, value: '41' }] });
    await txn.send({ topic: 'paired', acks: -1, messages: [{ partition: 0, value: '42' }] });
    log(`${transactionalId} (coordinator node ${coordinatorOf(transactionalId)}) wrote lonely-0 and paired-0; killing node ${last}`);
    await cluster.faults.kill(last);
    await until('lonely-0 without a leader', () => snapshot(['lonely'], others.map((n) => n.bootstrap).join(',')), (s) => s.partitions[0]?.leader === -1);
    log('lonely-0 has no leader; aborting the transaction');
    await txn.abort();
    log(`aborted; restarting node ${last}`);
    await cluster.faults.restart(last);
    // Back, and given the time a queued marker needs to reach it.
    await until('lonely-0 back', () => snapshot(['lonely']), (s) => s.partitions[0]?.leader === last);
    await new Promise((r) => setTimeout(r, 10_000));
    const s = await snapshot(['lonely', 'paired']);
    const lonely = s.partitions.find((p) => p.topic === 'lonely')!;
    const paired = s.partitions.find((p) => p.topic === 'paired')!;
    const coordinatorState = s.transactions.find((t) => t.transactionalId === transactionalId)?.state;
    let adoption: DroppedMarkerOutcome['adoption'];
    if (options.thenCommit) {
      log(`a new instance of ${transactionalId} commits a transaction that writes lonely-0 again`);
      const next = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 20_000 });
      await next.connect();
      try {
        const t2 = await next.transaction();
        await t2.send({ topic: 'lonely', acks: -1, messages: [{ partition: 0, value: '43' }] });
        await t2.commit();
      } finally {
        await next.disconnect().catch(() => undefined);
      }
      const after = await until('the commit marker on lonely-0', () => snapshot(['lonely']), (x) => x.partitions[0]?.lastStableOffset === x.partitions[0]?.highWatermark, 30_000);
      const found = new LogView(after.partitions[0]!.read?.batches ?? []).lookup(0);
      adoption = { abortedRecord: found?.fate ?? 'absent', ...(found?.marker ? { marker: found.marker } : {}), lastStableOffset: after.partitions[0]!.lastStableOffset, snapshot: after };
    }
    return {
      ...(adoption ? { adoption } : {}),
      transactionalId, coordinator: coordinatorOf(transactionalId), coordinatorState, snapshot: s,
      lonely: { leader: lonely.leader, highWatermark: lonely.highWatermark, lastStableOffset: lonely.lastStableOffset, markers: lonely.read?.batches.map((b) => b.marker) ?? [] },
      paired: { markers: paired.read?.batches.map((b) => b.marker) ?? [] },
      hanging: lonely.lastStableOffset !== null && lonely.highWatermark !== null && lonely.lastStableOffset < lonely.highWatermark && (coordinatorState === 'CompleteAbort' || coordinatorState === 'Empty'),
    };
  } finally {
    await producer?.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await cluster.faults.healAll();
  }
}
