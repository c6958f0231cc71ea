// Executes a program against the real cluster: one async loop per worker (each op invoked no earlier
// than its pacing slot, one at a time, as Jepsen's threads), the nemesis schedule beside them, then
// the final heal, quiet time and final polls. Every event is appended to kafka/history.jsonl as it
// happens, so a run killed at any point leaves a checkable prefix.
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import type { Key, Offset } from '../../jepsen-style/history.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import type { KafkaCluster } from '../cluster/cluster.ts';
import { AckedOffsets } from '../history/ackedOffsets.ts';
import { realClock } from '../history/clock.ts';
import { HistoryWriter } from '../history/writer.ts';
import { RunStats } from '../model-runner/stats.ts';
import { programInfoOf } from '../workload/programInfo.ts';
import type { Program } from '../workload/program.ts';
import { KafkaClientProcess, type ClientSettings } from './kafka-client.ts';
import { playSchedule, recordNemesisOp } from './nemesis.ts';
import { sleep } from './deadline.ts';
import { runWorker, type WorkerContext } from './worker-loop.ts';
import { runFinalReads } from './final-reads.ts';
import { onInterrupt } from '../cluster/interrupts.ts';
import { startWatchdog } from '../cluster/watchdog.ts';
import { quietIdleRequestQueues } from './request-queue-timer.ts';

const { Kafka: KafkaClient, logLevel } = kafkajs;

export interface RunKafkaOptions {
  cluster: KafkaCluster;
  overwrite?: boolean;
  /** Stops the run early (Ctrl-C): the history so far stays a valid prefix. */
  signal?: AbortSignal;
  onProgress?: (p: KafkaProgress) => void;
  /** An op still running after this is recorded `info` and its process retired (Jepsen: 10 s sends). */
  opTimeoutMs?: number;
  /** How long a main-phase poll waits for records when none are buffered. */
  pollMs?: number;
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
}

export async function runKafka(program: Program, outDir: string, options: RunKafkaOptions): Promise<RunKafkaResult> {
  const historyPath = path.join(outDir, 'kafka', 'history.jsonl');
  const writer = new HistoryWriter(historyPath, realClock(), options);
  const clientLog = createWriteStream(path.join(outDir, 'kafka', 'client.log'), { flags: 'a' });
  quietIdleRequestQueues();
  const kafka = new KafkaClient({
    clientId: 'kafka-eos', brokers: options.cluster.brokers, connectionTimeout: 3_000, requestTimeout: 10_000,
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, label, log }) => clientLog.write(`${log.timestamp} ${label} [${namespace}] ${log.message}${log.error ? `: ${log.error}` : ''}\n`),
  });
  const admin = kafka.admin();
  const stats = new RunStats();
  const signal = options.signal ?? new AbortController().signal;
  const started = Date.now();
  let phase: KafkaProgress['phase'] = 'main';
  const progress = () => options.onProgress?.({ stats, elapsedMs: Date.now() - started, phase, faults: describeFaults(options.cluster) });
  const ticker = setInterval(progress, 1_000);
  const clients: KafkaClientProcess[] = [];
  // Registered after the cluster's own cleanup, so it runs first on Ctrl-C: kafkajs clients whose
  // brokers vanish under them can spin the event loop, so they go before the cluster does.
  const forgetClients = onInterrupt(() => Promise.race([Promise.allSettled(clients.map((c) => c.abandon())).then(() => undefined), sleep(5_000)]));
  const watchdog = startWatchdog(options.cluster.id, 90_000, path.join(outDir, 'kafka'));
  try {
    await admin.connect();
    await createTopics(admin, program);
    const settings = clientSettings(program, kafka, admin, options);
    const runTag = `kafka-eos-${started.toString(36)}`;
    let nextProcess = program.workers.length;
    const ctx: WorkerContext = {
      program, writer, stats, acked: new AckedOffsets(), signal, startedAt: Date.now(),
      freshProcess: () => nextProcess++,
      newClient: (process, transactionalId, groupId) => {
        const client = new KafkaClientProcess(process, transactionalId, groupId, settings);
        clients.push(client);
        return client;
      },
      cursors: [],
    };
    const nemesis = playSchedule(program.nemesis.schedule, ctx.startedAt, options.cluster.faults, writer, signal);
    const workerProcesses = await Promise.all(program.workers.map((w) => runWorker(ctx, w)));
    await nemesis;
    phase = 'heal';
    for (const entry of program.nemesis.finalHeal) await recordNemesisOp(options.cluster.faults, writer, entry.op);
    await Promise.allSettled(clients.splice(0).map((c) => c.abandon()));
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
    const groupOffsets = await copierGroupOffsets(program, settings);
    progress();
    return { historyPath, stats, programInfo: programInfoOf(program, workerProcesses, groupOffsets), workerProcesses, durationMs: Date.now() - started };
  } finally {
    forgetClients();
    clearInterval(ticker);
    await Promise.allSettled(clients.map((c) => c.abandon()));
    await admin.disconnect().catch(() => undefined);
    await watchdog.stop();
    writer.close();
    clientLog.end();
  }
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

function clientSettings(program: Program, kafka: Kafka, admin: Admin, options: RunKafkaOptions): ClientSettings {
  const keyOf = new Map(program.keys.map((k) => [`${k.topic}/${k.partition}`, k.key]));
  const copyTo = new Map<Key, Key>();
  for (const w of program.workers) for (const [input, output] of w.copier?.keyMap ?? []) copyTo.set(input, output);
  const topicsOf = (keys: readonly Key[]) => [...new Set(keys.map((k) => program.keys[k]!.topic))];
  return {
    kafka,
    keys: program.keys,
    readUncommitted: program.mutate === 'read-uncommitted',
    idempotent: program.mutate !== 'no-idempotence',
    offsetsOutsideTxn: program.mutate === 'offsets-outside-txn',
    copyTo,
    topicKeys: (keys) => {
      const topics = topicsOf(keys);
      return program.keys.filter((k) => topics.includes(k.topic)).map((k) => k.key);
    },
    committedOffsets: async (groupId) => {
      const result = new Map<Key, Offset>();
      const fetched = await admin.fetchOffsets({ groupId, topics: program.topics.map((t) => t.name) });
      for (const t of fetched) {
        for (const p of t.partitions) {
          const key = keyOf.get(`${t.topic}/${p.partition}`);
          if (key !== undefined && Number(p.offset) >= 0) result.set(key, Number(p.offset));
        }
      }
      return result;
    },
    opTimeoutMs: options.opTimeoutMs ?? 10_000,
    pollMs: options.pollMs ?? 100,
  };
}

async function copierGroupOffsets(program: Program, settings: ClientSettings): Promise<Record<string, Record<string, number>> | undefined> {
  const groups = [...new Set(program.workers.filter((w) => w.copier !== null).map((w) => w.groupId))];
  try {
    const out: Record<string, Record<string, number>> = {};
    for (const g of groups) out[g] = Object.fromEntries([...(await settings.committedOffsets(g))].map(([k, o]) => [String(k), o]));
    return out;
  } catch {
    return undefined; // the checker then skips the offsets comparison rather than guess
  }
}

function describeFaults(cluster: KafkaCluster): string {
  const s = cluster.faults.state();
  const parts = [
    s.partition ? `partition ${s.partition}` : '',
    s.clientIsolated.length ? `client cut from ${s.clientIsolated.join(',')}` : '',
    s.killed.length ? `killed ${s.killed.join(',')}` : '',
    s.paused.length ? `paused ${s.paused.join(',')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'none';
}
