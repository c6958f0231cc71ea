// Executes a program against the real cluster: one async loop per worker (each op invoked no earlier
// than its pacing slot, one at a time, as Jepsen's threads), the nemesis schedule beside them, then
// the final heal, quiet time and final polls. Every event is appended to kafka/history.jsonl as it
// happens, so a run killed at any point leaves a checkable prefix. The runner talks to the client
// library under test only through harness/clients/client.ts (kafkajs in-process by default).
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import type { Admin } from 'kafkajs';
import type { Key } from '../../jepsen-style/history.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import type { RunCluster } from '../target/target.ts';
import { kafkajsConnection } from '../target/kafkajs-connection.ts';
import { AckedOffsets } from '../history/ackedOffsets.ts';
import { realClock } from '../history/clock.ts';
import { HistoryWriter } from '../history/writer.ts';
import { RunStats } from '../model-runner/stats.ts';
import { programInfoOf } from '../workload/programInfo.ts';
import type { Program } from '../workload/program.ts';
import type { ClientDescription, ClientKind, ClientProcess, ClientSetup, RunClients } from '../clients/client.ts';
import { kafkajsClient } from '../clients/kafkajs/index.ts';
import { groupOffsets, kafkajsKafka } from '../clients/kafkajs/admin.ts';
import { sleep } from '../clients/deadline.ts';
import { playSchedule, recordNemesisOp } from './nemesis.ts';
import { runWorker, type WorkerContext } from './worker-loop.ts';
import { runFinalReads } from './final-reads.ts';
import { onInterrupt } from '../cluster/interrupts.ts';
import { startWatchdog } from '../cluster/watchdog.ts';

export interface RunKafkaOptions {
  /** The harness' own cluster or an existing one (harness/target): brokers, connection, namespace, faults. */
  cluster: RunCluster;
  overwrite?: boolean;
  /** Stops the run early (Ctrl-C): the history so far stays a valid prefix. */
  signal?: AbortSignal;
  onProgress?: (p: KafkaProgress) => void;
  /** An op still running after this is recorded `info` and its process retired (Jepsen: 10 s sends). */
  opTimeoutMs?: number;
  /** How long a main-phase poll waits for records when none are buffered. */
  pollMs?: number;
  /** The client library under test; kafkajs unless said otherwise. */
  client?: ClientKind;
}

export interface KafkaProgress {
  stats: Readonly<RunStats>;
  elapsedMs: number;
  phase: 'main' | 'heal' | 'recovery' | 'final-polls' | 'done';
  faults: string;
}

export interface RunKafkaResult {
  historyPath: string;
  stats: RunStats;
  programInfo: ProgramInfo;
  workerProcesses: number[][];
  durationMs: number;
  client: ClientDescription;
  /** The transaction version the client's transactions ran under, as the client saw it (null: unknown). */
  clientTxnVersion: 1 | 2 | null;
}

export async function runKafka(program: Program, outDir: string, options: RunKafkaOptions): Promise<RunKafkaResult> {
  const historyPath = path.join(outDir, 'kafka', 'history.jsonl');
  const writer = new HistoryWriter(historyPath, realClock(), options);
  const clientLog = createWriteStream(path.join(outDir, 'kafka', 'client.log'), { flags: 'a' });
  const clientKind = options.client ?? kafkajsClient();
  // The harness' own admin client (topics, committed offsets read back), whatever client is under test.
  const admin = kafkajsKafka(options.cluster.brokers, clientLog, kafkajsConnection(options.cluster.connection)).admin();
  const stats = new RunStats();
  const signal = options.signal ?? new AbortController().signal;
  const started = Date.now();
  let phase: KafkaProgress['phase'] = 'main';
  const progress = () => options.onProgress?.({ stats, elapsedMs: Date.now() - started, phase, faults: options.cluster.faults.describe() });
  const ticker = setInterval(progress, 1_000);
  const processes: ClientProcess[] = [];
  let clients: RunClients | null = null;
  // Registered after the cluster's own cleanup, so it runs first on Ctrl-C: clients whose brokers
  // vanish under them can spin (kafkajs) or linger (driver processes), so they go before the cluster.
  const forgetClients = onInterrupt(() => Promise.race([closeClients(processes, clients), sleep(5_000)]));
  const watchdog = startWatchdog(options.cluster.id, 90_000, path.join(outDir, 'kafka'));
  try {
    await admin.connect();
    // On an existing cluster the target made the namespace's topics, with the replication it allows.
    if (!options.cluster.namespace) await createTopics(admin, program);
    const slots = Math.max(program.workers.length, program.finalPolls.readers);
    const running = await clientKind.start(clientSetup(program, options, clientLog), slots);
    clients = running;
    const runTag = options.cluster.namespace ? `${options.cluster.namespace}run` : `kafka-eos-${started.toString(36)}`;
    let nextProcess = program.workers.length;
    const ctx: WorkerContext = {
      program, writer, stats, acked: new AckedOffsets(), signal, startedAt: Date.now(),
      freshProcess: () => nextProcess++,
      newClient: (slot, spec) => {
        const client = running.open(slot, spec);
        processes.push(client);
        return client;
      },
      continueClient: (ended, process) => {
        const client = ended.continueAs!(process);
        processes.push(client);
        return client;
      },
      carryOn: running.carryOn === true,
      cursors: [],
    };
    const nemesis = playSchedule(program.nemesis.schedule, ctx.startedAt, options.cluster.faults, writer, signal);
    const workerProcesses = await Promise.all(program.workers.map((w) => runWorker(ctx, w)));
    await nemesis;
    phase = 'heal';
    for (const entry of program.nemesis.finalHeal) await recordNemesisOp(options.cluster.faults, writer, entry.op);
    await Promise.allSettled(processes.splice(0).map((c) => c.abandon()));
    if (!signal.aborted) {
      phase = 'recovery';
      await sleep(program.phases.recoveryMs);
    }
    if (!signal.aborted) {
      phase = 'final-polls';
      await runFinalReads(ctx, `${runTag}-final`);
    }
    phase = 'done';
    stats.finish(Date.now() - started, 0, signal.aborted);
    const groupOffsetsRead = await copierGroupOffsets(program, admin);
    progress();
    return {
      historyPath, stats, programInfo: programInfoOf(program, workerProcesses, groupOffsetsRead), workerProcesses,
      durationMs: Date.now() - started, client: running.description, clientTxnVersion: running.transactionVersion(),
    };
  } finally {
    forgetClients();
    clearInterval(ticker);
    await closeClients(processes, clients);
    await admin.disconnect().catch(() => undefined);
    await watchdog.stop();
    writer.close();
    clientLog.end();
  }
}

async function closeClients(processes: ClientProcess[], clients: RunClients | null): Promise<void> {
  await Promise.allSettled(processes.map((c) => c.abandon()));
  await clients?.close().catch(() => undefined);
}

async function createTopics(admin: Admin, program: Program): Promise<void> {
  const replicationFactor = Math.min(3, program.nodes.length);
  await admin.createTopics({
    waitForLeaders: false,
    topics: program.topics.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor })),
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: program.topics.map((t) => t.name) });
      if (topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error('topics created but their partitions have no leaders after 60 s');
    await sleep(250);
  }
}

function clientSetup(program: Program, options: RunKafkaOptions, log: ClientSetup['log']): ClientSetup {
  const copyTo = new Map<Key, Key>();
  for (const w of program.workers) for (const [input, output] of w.copier?.keyMap ?? []) copyTo.set(input, output);
  const topicsOf = (keys: readonly Key[]) => [...new Set(keys.map((k) => program.keys[k]!.topic))];
  return {
    bootstrapServers: options.cluster.brokers,
    connection: options.cluster.connection ?? null,
    keys: program.keys,
    copyTo,
    topicKeys: (keys) => {
      const topics = topicsOf(keys);
      return program.keys.filter((k) => topics.includes(k.topic)).map((k) => k.key);
    },
    readCommitted: program.mutate !== 'read-uncommitted',
    idempotent: program.mutate !== 'no-idempotence',
    offsetsOutsideTxn: program.mutate === 'offsets-outside-txn',
    opTimeoutMs: options.opTimeoutMs ?? 10_000,
    pollMs: options.pollMs ?? 100,
    log,
  };
}

async function copierGroupOffsets(program: Program, admin: Admin): Promise<Record<string, Record<string, number>> | undefined> {
  const groups = [...new Set(program.workers.filter((w) => w.copier !== null).map((w) => w.groupId))];
  try {
    const out: Record<string, Record<string, number>> = {};
    for (const g of groups) out[g] = Object.fromEntries([...(await groupOffsets(admin, program.keys, g))].map(([k, o]) => [String(k), o]));
    return out;
  } catch {
    return undefined; // the checker then skips the offsets comparison rather than guess
  }
}
