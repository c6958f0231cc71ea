// The hanging-transaction rule. Kafka promises that the coordinator ends every transaction (EndTxn, or
// its own abort once the timeout passed: TransactionCoordinator.abortTimedOutTransactions) with a marker
// on each of its partitions. A partition that holds a transaction open (DescribeProducers'
// currentTransactionStartOffset) breaks it when (a) the coordinators no longer have that transaction open
// with that partition (orphaned: the marker is lost, nothing will end it), or (b) it stays open longer than
// its timeout + the abort interval + slack, counting only time without faults (under faults the
// coordinator may be unable to write; Kafka promises progress once they heal). read_committed readers of
// the partition are stuck behind it. Pure: observations in, findings out.
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
  /** Whether DescribeTransactions answered (without it, the partitions are unknown). */
  described: boolean;
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
  /** Consecutive observations in which no coordinator had it open with this partition. */
  orphanedPolls: number;
}

export interface HangingTransaction extends OpenTransaction {
  /**
   * `orphaned`: its coordinator has moved on (ended it, or lists it without this partition) while the
   * partition still holds it open: the marker is lost, nothing will ever end it.
   * `overdue`: open longer than timeout + abort interval + slack, counting only time without faults.
   */
  kind: 'orphaned' | 'overdue';
  openMs: number;
  /** Part of openMs during which no fault was active (what `overdue` is judged on). */
  faultFreeOpenMs: number;
  timeoutMs: number;
  thresholdMs: number;
}

/** One poll of the open transactions. */
export interface Observation {
  atMs: number;
  producers: readonly OpenProducer[];
  /** Partitions whose leader answered DescribeProducers (a silent one closes nothing). */
  answered: ReadonlySet<string>;
  transactions: readonly TransactionView[];
  /** Every broker answered ListTransactions: a producer no coordinator lists is not open at any. */
  allCoordinatorsListed: boolean;
  /** No fault (partition, kill, pause) was active at this poll. */
  faultFree: boolean;
}

/** Two polls in a row, so that a marker written between the partition's and the coordinator's answers is not taken for lost. */
const ORPHAN_POLLS = 2;

export class OpenTransactionTracker {
  private readonly open = new Map<string, OpenTransaction>();
  private readonly found = new Map<string, HangingTransaction>();
  private readonly samples: Array<{ atMs: number; faultFree: boolean }> = [];

  constructor(readonly settings: HangingSettings = DEFAULT_HANGING_SETTINGS) {}

  /** One poll; a transaction missing from a partition that answered is closed. */
  observe(o: Observation): void {
    this.samples.push({ atMs: o.atMs, faultFree: o.faultFree });
    const seen = new Set<string>();
    for (const p of o.producers) {
      if (p.txnStartOffset === undefined) continue;
      const id = `${p.topic}-${p.partition}:${p.producerId}:${p.txnStartOffset}`;
      seen.add(id);
      const coordinator = coordinatorViewOf(p, o.transactions);
      const t: OpenTransaction = this.open.get(id) ?? {
        topic: p.topic, partition: p.partition, producerId: p.producerId, producerEpoch: p.producerEpoch,
        startOffset: p.txnStartOffset, firstSeenMs: o.atMs, lastSeenMs: o.atMs, sinceMs: o.atMs, orphanedPolls: 0,
      };
      t.lastSeenMs = o.atMs;
      t.producerEpoch = p.producerEpoch;
      t.coordinator = coordinator;
      // The coordinator's start time counts only for the same producer epoch still ongoing there.
      if (coordinator?.startTimeMs !== undefined && coordinator.startTimeMs > 0 && coordinator.producerEpoch === p.producerEpoch && coordinator.holdsPartition) {
        t.sinceMs = Math.min(t.sinceMs, coordinator.startTimeMs);
      }
      const orphaned = coordinator ? coordinator.described && (!coordinator.holdsPartition || !OPEN_STATES.has(coordinator.state)) : o.allCoordinatorsListed;
      t.orphanedPolls = orphaned ? t.orphanedPolls + 1 : 0;
      this.open.set(id, t);
      const timeoutMs = coordinator?.producerEpoch === p.producerEpoch && coordinator.timeoutMs ? coordinator.timeoutMs : this.settings.defaultTimeoutMs;
      const thresholdMs = timeoutMs + this.settings.abortIntervalMs + this.settings.slackMs;
      const faultFreeOpenMs = this.faultFreeTime(t.sinceMs, o.atMs);
      const kind = t.orphanedPolls >= ORPHAN_POLLS ? 'orphaned' : faultFreeOpenMs > thresholdMs ? 'overdue' : null;
      if (kind) this.found.set(id, { ...t, kind: this.found.get(id)?.kind === 'orphaned' ? 'orphaned' : kind, openMs: o.atMs - t.sinceMs, faultFreeOpenMs, timeoutMs, thresholdMs });
    }
    for (const [id, t] of this.open) {
      if (!seen.has(id) && o.answered.has(`${t.topic}-${t.partition}`)) this.open.delete(id);
    }
  }

  /** Time in [from, to] between consecutive fault-free polls (before the first poll: none counted). */
  private faultFreeTime(from: number, to: number): number {
    let total = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1]!;
      const b = this.samples[i]!;
      if (!a.faultFree || !b.faultFree) continue;
      total += Math.max(0, Math.min(b.atMs, to) - Math.max(a.atMs, from));
    }
    return total;
  }

  /** Transactions still open at the last observation. */
  stillOpen(): OpenTransaction[] {
    return [...this.open.values()];
  }

  /**
   * Every transaction found hanging (latest figures): overdue at some observation, or orphaned and still
   * open at the last one. An orphaned transaction that a later observation saw closed was not hanging:
   * under faults the replica that answered may be a cut-off leader that has not heard of the marker
   * yet (franz-go v1.21.5/6 hunt, seed 1: two such, both closed after the heal, nothing read wrongly).
   * A lost marker never closes; the one way it does, a later transaction of the same producer committing
   * the abandoned records, shows in the history itself as an aborted read (G1a).
   */
  hanging(): HangingTransaction[] {
    return this.foundWhere(true);
  }

  /** Transactions found orphaned that a later observation saw closed: their markers came late, not never. */
  closedAfterOrphaned(): HangingTransaction[] {
    return this.foundWhere(false);
  }

  private foundWhere(hanging: boolean): HangingTransaction[] {
    const isHanging = (id: string, h: HangingTransaction) => h.kind === 'overdue' || h.faultFreeOpenMs > h.thresholdMs || this.open.has(id);
    return [...this.found].filter(([id, h]) => isHanging(id, h) === hanging).map(([, h]) => h)
      .sort((a, b) => a.firstSeenMs - b.firstSeenMs || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }
}

const OPEN_STATES: ReadonlySet<string> = new Set(['Ongoing', 'PrepareCommit', 'PrepareAbort', 'PrepareEpochFence']);

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
    described: t.partitions !== undefined,
    holdsPartition: (t.partitions ?? []).includes(`${p.topic}-${p.partition}`),
  };
}
