// The hanging-transaction rule: a transaction that a partition has held open (DescribeProducers'
// currentTransactionStartOffset) for longer than its timeout, plus the coordinator's abort interval,
// plus slack for faults, breaks Kafka's promise that the coordinator ends every transaction
// (TransactionCoordinator.abortTimedOutTransactions): read_committed readers of that partition are
// stuck behind it. Pure: observations in, findings out.
import type { ProducerView, TransactionView } from './snapshot.ts';

export interface HangingSettings {
  /** Used when no coordinator reports the producer's own transaction timeout. */
  defaultTimeoutMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms of the brokers. */
  abortIntervalMs: number;
  /** Room for markers delayed by faults (a fault lasts up to twice the nemesis interval). */
  slackMs: number;
}

export const DEFAULT_HANGING_SETTINGS: HangingSettings = {
  // The Kafka runner's producers use 30 s (harness/kafka-runner/kafka-client.ts).
  defaultTimeoutMs: 30_000,
  abortIntervalMs: 5_000,
  slackMs: 20_000,
};

export interface OpenProducer extends ProducerView {
  topic: string;
  partition: number;
}

/** What a coordinator said about the transactional id that owns the producer id. */
export interface CoordinatorView {
  transactionalId: string;
  coordinatorId?: number;
  state: string;
  producerId: number;
  producerEpoch?: number;
  timeoutMs?: number;
  startTimeMs?: number;
  /** Whether the coordinator lists this partition in the transaction. */
  holdsPartition: boolean;
}

export interface OpenTransaction {
  topic: string;
  partition: number;
  producerId: number;
  producerEpoch: number;
  startOffset: number;
  /** Wall clock (ms) of the first and latest observation that found it open. */
  firstSeenMs: number;
  lastSeenMs: number;
  /** Earliest evidence of its start: first observation, or the coordinator's start time for it. */
  sinceMs: number;
  coordinator?: CoordinatorView;
}

export interface HangingTransaction extends OpenTransaction {
  openMs: number;
  timeoutMs: number;
  thresholdMs: number;
}

export class OpenTransactionTracker {
  private readonly open = new Map<string, OpenTransaction>();
  private readonly found = new Map<string, HangingTransaction>();

  constructor(readonly settings: HangingSettings = DEFAULT_HANGING_SETTINGS) {}

  /**
   * One poll: the producers with an open transaction on the partitions that answered, and the
   * coordinators' descriptions. A transaction missing from a partition that answered is closed.
   */
  observe(atMs: number, producers: readonly OpenProducer[], answered: ReadonlySet<string>, transactions: readonly TransactionView[]): void {
    const seen = new Set<string>();
    for (const p of producers) {
      if (p.txnStartOffset === undefined) continue;
      const id = `${p.topic}-${p.partition}:${p.producerId}:${p.txnStartOffset}`;
      seen.add(id);
      const coordinator = coordinatorViewOf(p, transactions);
      const known = this.open.get(id);
      const t: OpenTransaction = known ?? {
        topic: p.topic, partition: p.partition, producerId: p.producerId, producerEpoch: p.producerEpoch,
        startOffset: p.txnStartOffset, firstSeenMs: atMs, lastSeenMs: atMs, sinceMs: atMs,
      };
      t.lastSeenMs = atMs;
      t.producerEpoch = p.producerEpoch;
      if (coordinator) t.coordinator = coordinator;
      // The coordinator's start time counts only for the same producer epoch still ongoing there.
      if (coordinator?.startTimeMs !== undefined && coordinator.startTimeMs > 0 && coordinator.producerEpoch === p.producerEpoch && coordinator.holdsPartition) {
        t.sinceMs = Math.min(t.sinceMs, coordinator.startTimeMs);
      }
      this.open.set(id, t);
      const timeoutMs = coordinator?.producerEpoch === p.producerEpoch && coordinator.timeoutMs ? coordinator.timeoutMs : this.settings.defaultTimeoutMs;
      const thresholdMs = timeoutMs + this.settings.abortIntervalMs + this.settings.slackMs;
      const openMs = atMs - t.sinceMs;
      if (openMs > thresholdMs) this.found.set(id, { ...t, openMs, timeoutMs, thresholdMs });
    }
    for (const [id, t] of this.open) {
      if (!seen.has(id) && answered.has(`${t.topic}-${t.partition}`)) this.open.delete(id);
    }
  }

  /** Transactions still open at the last observation. */
  stillOpen(): OpenTransaction[] {
    return [...this.open.values()];
  }

  /** Every transaction that was open past its threshold at some observation (latest figures). */
  hanging(): HangingTransaction[] {
    return [...this.found.values()].sort((a, b) => a.firstSeenMs - b.firstSeenMs || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }
}

export function coordinatorViewOf(p: OpenProducer, transactions: readonly TransactionView[]): CoordinatorView | undefined {
  const t = transactions.find((x) => x.describedProducerId === p.producerId || x.producerId === p.producerId);
  if (!t) return undefined;
  return {
    transactionalId: t.transactionalId,
    coordinatorId: t.coordinatorId,
    state: t.describedState ?? t.state,
    producerId: p.producerId,
    producerEpoch: t.producerEpoch,
    timeoutMs: t.timeoutMs,
    startTimeMs: t.startTimeMs,
    holdsPartition: (t.partitions ?? []).includes(`${p.topic}-${p.partition}`),
  };
}
