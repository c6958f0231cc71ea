// One look at the cluster through Kafka's own admin API (java/KafkaForensics.java `snapshot`): per
// partition the leader and ISR, HW, LSO and log start, the producers with an open transaction, and the
// records as the leader stores them; per transactional id what its coordinator says.
import { runTool, type KafkaTools } from './jvm.ts';
import { parseBatches, type LogBatch } from './record-batches.ts';

export interface ProducerView {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  /** Broker wall clock (ms) of the producer's last append to this partition. */
  lastTimestamp: number;
  coordinatorEpoch?: number;
  /** First offset of the transaction this producer has open on the partition. */
  txnStartOffset?: number;
}

export interface PartitionRead {
  from: number;
  leaderHost?: string;
  error?: string;
  errorCode?: string;
  highWatermark?: number;
  lastStableOffset?: number;
  logStartOffset?: number;
  abortedTransactions?: Array<{ producerId: number; firstOffset: number }>;
  nextOffset?: number;
  batches: LogBatch[];
}

export interface PartitionView {
  topic: string;
  partition: number;
  /** -1: no leader. */
  leader: number;
  isr: number[];
  replicas: number[];
  highWatermark: number | null;
  lastStableOffset: number | null;
  logStartOffset: number | null;
  highWatermarkError?: string;
  lastStableOffsetError?: string;
  producers?: ProducerView[];
  producersError?: string;
  read?: PartitionRead;
}

export interface TransactionView {
  transactionalId: string;
  producerId: number;
  /** ListTransactions' state. */
  state: string;
  coordinatorId?: number;
  describedState?: string;
  /** DescribeTransactions' producer id (the listing's may be older). */
  describedProducerId?: number;
  producerEpoch?: number;
  timeoutMs?: number;
  startTimeMs?: number;
  /** `topic-partition` names the coordinator holds in the transaction. */
  partitions?: string[];
  describeError?: string;
}

export interface ClusterSnapshot {
  takenAtMs: number;
  tookMs: number;
  partitions: PartitionView[];
  transactions: TransactionView[];
  /** Brokers whose ListTransactions answered (a coordinator that did not answer is missing here). */
  listedBy: number[];
  errors: string[];
}

export interface SnapshotRequest {
  bootstrap: string;
  topics: string[];
  /** Partitions to read from an offset to the high watermark: `topic:partition:from`. */
  reads: Array<{ topic: string; partition: number; from: number }>;
  /** Bound on every admin request and on the reads (the JVM's start comes on top). */
  timeoutMs: number;
}

export class SnapshotFailed extends Error {
  override name = 'SnapshotFailed';
}

export async function takeSnapshot(tools: KafkaTools, request: SnapshotRequest): Promise<ClusterSnapshot> {
  const args = ['snapshot', '--bootstrap', request.bootstrap, '--timeout-ms', String(request.timeoutMs), '--topics', request.topics.join(',')];
  if (request.reads.length > 0) args.push('--read', request.reads.map((r) => `${r.topic}:${r.partition}:${r.from}`).join(','));
  const result = await runTool(tools, args, request.timeoutMs + 6_000);
  if (result.timedOut) throw new SnapshotFailed(`the forensics JVM did not finish within ${request.timeoutMs + 6_000} ms`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.code !== 0 || !line.startsWith('{')) {
    throw new SnapshotFailed(`the forensics JVM exited ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').slice(-5).join(' | ')}`);
  }
  return parseSnapshot(line);
}

/** The tool's JSON, with each read's base64 batches decoded. */
export function parseSnapshot(json: string): ClusterSnapshot {
  const raw = JSON.parse(json) as ClusterSnapshot & { partitions: Array<PartitionView & { read?: PartitionRead & { batches: unknown } }> };
  for (const p of raw.partitions) {
    if (p.read) {
      const encoded = p.read.batches;
      p.read.batches = typeof encoded === 'string' ? parseBatches(Buffer.from(encoded, 'base64')) : [];
    }
  }
  return raw;
}
