// Forensics against a real cluster, each cause made on purpose and attributed by what the brokers
// say (Kafka's own admin API on the host JVM): a hanging transaction (a transaction aborted while one
// of its partitions has no leader: Kafka 4.4 drops that partition's marker, docs/bug-finding.md), a
// paused leader, a consumer told to stop reading; the detector fires on a transaction held open past
// its timeout and stays quiet on clean runs. One cluster for the file (about 2.5 minutes in all).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly } from '../../jepsen-style/anomaly.ts';
import { startCluster, type KafkaCluster } from '../../harness/cluster/cluster.ts';
import { attribute, type AttributionInput } from '../../harness/forensics/attribution.ts';
import { HangingDetector } from '../../harness/forensics/detector.ts';
import { startForensics } from '../../harness/forensics/forensics.ts';
import type { KeyFacts } from '../../harness/forensics/history-facts.ts';
import { kafkaTools, type KafkaTools } from '../../harness/forensics/jvm.ts';
import { takeSnapshot, type ClusterSnapshot } from '../../harness/forensics/snapshot.ts';
import { droppedMarkerScenario } from '../../harness/forensics/scenarios/dropped-marker.ts';
import { runKafka } from '../../harness/kafka-runner/run-kafka.ts';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import { generateProgram } from '../../harness/workload/index.ts';
import { commitTransaction, createTopic, eventually, kafkaClient } from './support.ts';

let cluster: KafkaCluster;
let tools: KafkaTools;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-forensics-'));

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3 });
  tools = await kafkaTools(cluster.image.name);
});

afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const snapshot = (topics: string[], timeoutMs = 3_000, bootstrap = cluster.bootstrapServers): Promise<ClusterSnapshot> =>
  takeSnapshot(tools, { bootstrap, topics, reads: topics.map((topic) => ({ topic, partition: 0, from: 0 })), timeoutMs });

/** Facts of key 0 = `topic`/0: acknowledged writes `values` at offsets `offsets`, read up to `lastRead`. */
function unseenInput(snap: ClusterSnapshot, topic: string, values: number[], offsets: number[], lastRead: number): AttributionInput {
  const facts: KeyFacts = {
    key: 0, lastAcked: Math.max(...offsets), lastRead,
    writes: new Map(offsets.map((o, i) => [o, { value: values[i]!, op: i, type: 'ok' as const, process: 0, atSeconds: 0 }])),
  };
  const unseen: Anomaly = { type: 'unseen', allowed: false, key: 0, values, count: values.length, ops: [], explanation: '' };
  return {
    anomalies: [unseen], facts: new Map([[0, facts]]), keyPartition: () => ({ topic, partition: 0 }),
    partitions: snap.partitions, transactions: snap.transactions, hanging: [], runStartMs: snap.takenAtMs - 60_000,
    atMs: snap.takenAtMs, detectorRan: false, hangingThresholdMs: 55_000,
  };
}

describe('forensics on a real cluster', () => {
  it('a transaction aborted while one of its partitions has no leader hangs there (Kafka 4.3+ drops that marker): detected, and the unseen write attributed to it', async () => {
    const detector = new HangingDetector(tools, {
      bootstrap: cluster.bootstrapServers, topics: ['lonely', 'paired'], intervalMs: 1_000,
      settings: { defaultTimeoutMs: 60_000, abortIntervalMs: 1_000, slackMs: 1_000 }, logPath: path.join(scratch, 'hang.jsonl'), brokers: 3,
    });
    try {
      const o = await droppedMarkerScenario(cluster, tools);
      await detector.stop();
      expect(o).toMatchObject({ hanging: true, coordinatorState: 'CompleteAbort', lonely: { highWatermark: 1, lastStableOffset: 0, markers: [null] }, paired: { markers: [null, 'ABORT'] } });
      const [a] = attribute(unseenInput(o.snapshot, 'lonely', [41], [0], -1));
      expect(a).toMatchObject({ cause: 'hanging-transaction', offset: 0 });
      expect(a!.evidence).toMatch(new RegExp(`LSO is held at 0 by producer \\d+ epoch 0.*reports ${o.transactionalId} CompleteAbort at epoch 0, without lonely-0`));
      // Orphaned: once all three brokers list their transactions again, none has it open.
      expect(detector.tracker.hanging()).toEqual([expect.objectContaining({ kind: 'orphaned', topic: 'lonely', partition: 0, startOffset: 0, producerEpoch: 0 })]);
    } finally {
      await detector.stop();
    }
  });

  it('a paused leader: leader-unavailable', async () => {
    await createTopic(cluster, 'paused', 1);
    await commitTransaction(cluster, 'paused', 'forensics-paused', ['7', '8']);
    const before = await snapshot(['paused']);
    const leader = before.partitions[0]!.leader;
    await cluster.faults.pause(leader);
    try {
      // Within the broker session timeout (9 s) the controller still names the paused node as leader.
      const others = cluster.nodes.filter((n) => n.id !== leader).map((n) => n.bootstrap).join(',');
      const snap = await snapshot(['paused'], 2_500, others);
      const attributions = attribute(unseenInput(snap, 'paused', [7, 8], [0, 1], -1));
      expect(attributions.map((x) => x.cause)).toEqual(['leader-unavailable', 'leader-unavailable']);
      expect(attributions[0]!.evidence).toContain(`leader node ${leader} did not serve a read`);
    } finally {
      await cluster.faults.resume(leader);
    }
  });

  it('a consumer told to stop reading: read-never-reached, then nothing to attribute once read', async () => {
    await createTopic(cluster, 'stopped', 1);
    await commitTransaction(cluster, 'stopped', 'forensics-stopped', ['1', '2', '3', '4']);
    const snap = await snapshot(['stopped']);
    // The reader stopped after offset 1 (values 1, 2); 3 and 4 were acknowledged at 2 and 3.
    const attributions = attribute(unseenInput(snap, 'stopped', [3, 4], [2, 3], 1));
    expect(attributions.map((x) => [x.value, x.cause])).toEqual([[3, 'read-never-reached'], [4, 'read-never-reached']]);
    expect(attributions[0]!.evidence).toMatch(/stopped\/0 offset 2 holds value 3, committed \(marker at 4\), below the LSO 5/);
  });

  it('the detector fires on a transaction held open past its timeout, and not with the slack Kafka needs to abort it', async () => {
    await createTopic(cluster, 'held', 1);
    const strict = new HangingDetector(tools, {
      bootstrap: cluster.bootstrapServers, topics: ['held'], intervalMs: 1_000,
      settings: { defaultTimeoutMs: 60_000, abortIntervalMs: 0, slackMs: 0 }, logPath: path.join(scratch, 'held-strict.jsonl'), brokers: 3,
    });
    const usual = new HangingDetector(tools, {
      bootstrap: cluster.bootstrapServers, topics: ['held'], intervalMs: 1_000,
      settings: { defaultTimeoutMs: 60_000, abortIntervalMs: 5_000, slackMs: 20_000 }, logPath: path.join(scratch, 'held-usual.jsonl'), brokers: 3,
    });
    const producer = kafkaClient(cluster).producer({ transactionalId: 'forensics-held', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 3_000 });
    try {
      await producer.connect();
      const txn = await producer.transaction();
      await txn.send({ topic: 'held', acks: -1, messages: [{ partition: 0, value: '1' }] });
      // Never committed: the coordinator aborts it 3 to 8 s later (timeout + abort interval).
      await eventually('the coordinator\'s abort of the held transaction', () => snapshot(['held']), (s) => s.partitions[0]?.lastStableOffset === 2, 30_000);
      await new Promise((r) => setTimeout(r, 1_500));
      await Promise.all([strict.stop(), usual.stop()]);
      expect(strict.tracker.hanging()).toEqual([expect.objectContaining({ kind: 'overdue', topic: 'held', startOffset: 0, timeoutMs: 3_000, thresholdMs: 3_000 })]);
      expect(usual.tracker.hanging()).toEqual([]);
      expect(usual.pollCount).toBeGreaterThan(3);
    } finally {
      await Promise.all([strict.stop(), usual.stop()]);
      await producer.disconnect().catch(() => undefined);
    }
  });

  it('stays quiet on 5 clean runs (no faults), with forensics taken and nothing to explain', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const program = renamed(generateProgram(seed, { timeLimitMs: 6_000, nemesis: [], recoveryMs: 1_000 }), `r${seed}-`);
      const outDir = path.join(scratch, `clean-${seed}`);
      const forensics = await startForensics({ mode: 'always', cluster, program, outDir, log: () => undefined, detectorIntervalMs: 1_000 });
      const result = await runKafka(program, outDir, { cluster });
      await forensics.afterRun(result.historyPath);
      const { verdict, warnings } = await checkHistoryFile(result.historyPath, { program: result.programInfo });
      forensics.judge({ path: 'kafka/history.jsonl', verdict, warnings });
      expect(forensics.summary).toMatchObject({ hangingTransactions: 0, shortKeys: [] });
      expect(forensics.summary!.summary).toBeUndefined();
      expect(forensics.summary!.detectorPolls).toBeGreaterThan(3);
      expect(forensics.summary!.overheadSeconds).toBeLessThan(5);
      const written = JSON.parse(fs.readFileSync(path.join(outDir, 'kafka', 'forensics.json'), 'utf8')) as { snapshot: ClusterSnapshot | null };
      expect(written.snapshot?.partitions.filter((p) => p.topic.startsWith(`r${seed}-`)).length).toBe(program.keys.length);
    }
  });
});

/** The same program on its own topics (several programs share the file's cluster). */
function renamed<P extends { topics: Array<{ name: string }>; keys: Array<{ topic: string }> }>(program: P, prefix: string): P {
  return { ...program, topics: program.topics.map((t) => ({ ...t, name: prefix + t.name })), keys: program.keys.map((k) => ({ ...k, topic: prefix + k.topic })) };
}
