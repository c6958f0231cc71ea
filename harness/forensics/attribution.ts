// Why an acknowledged write was never read (`unseen`) or was read past (`lost-write`), decided from
// what the brokers said at the end of the run (docs/forensics.md lists the causes). Pure: the checker's
// anomalies, the history's facts and the cluster snapshot in; one cause per value, with its evidence.
import type { Anomaly } from '../../jepsen-style/anomaly.ts';
import type { Key } from '../../jepsen-style/history.ts';
import type { HangingTransaction } from './hanging.ts';
import { offsetOfValue, type KeyFacts } from './history-facts.ts';
import { LogView } from './log-view.ts';
import type { PartitionView, ProducerView, TransactionView } from './snapshot.ts';

export const CAUSES = {
  'hanging-transaction': 'a transaction left open on the partition holds its last stable offset below the write, past its timeout (Kafka)',
  'open-transaction': 'a transaction still within its timeout holds the last stable offset below the write: the final reads ended too early (incomplete final read)',
  'leader-unavailable': 'the partition had no leader that answered at the end of the run, so neither the reads nor forensics could reach the write',
  'read-never-reached': 'the write is in the log, committed and below the last stable offset: readable, but the final reads stopped before it (incomplete final read, harness)',
  'read-past': 'the write is in the log, committed and below the last stable offset, yet a reader returned later offsets without it (the reading client dropped it)',
  'absent-from-log': 'the leader\'s log holds no such record at that offset: the acknowledged write is lost (Kafka)',
  'aborted-in-log': 'the record is in the log, but its transaction ended with an abort marker although its op was acknowledged as committed (Kafka)',
  'unattributed': 'forensics could not decide (no snapshot, or it did not cover the partition)',
} as const;

export type Cause = keyof typeof CAUSES;

/** Causes that prove nothing against Kafka: an unseen with only these becomes an inconclusive reason. */
export const UNPROVEN: ReadonlySet<Cause> = new Set(['open-transaction', 'leader-unavailable', 'read-never-reached', 'unattributed']);
/** The unseen was not read because the final reads ended early, not because of Kafka. */
export const INCOMPLETE_FINAL_READ: ReadonlySet<Cause> = new Set(['open-transaction', 'read-never-reached']);

export interface Attribution {
  anomaly: 'unseen' | 'lost-write';
  key: Key;
  topic: string;
  partition: number;
  value: number;
  offset: number | null;
  cause: Cause;
  /** One sentence with the broker's figures. */
  evidence: string;
}

export interface AttributionInput {
  anomalies: readonly Anomaly[];
  facts: ReadonlyMap<Key, KeyFacts>;
  keyPartition: (key: Key) => { topic: string; partition: number };
  partitions: readonly PartitionView[] | null;
  transactions: readonly TransactionView[];
  hanging: readonly HangingTransaction[];
  /** Wall clock (ms) of the history's time zero, to say "open since 5.1 s". */
  runStartMs: number;
  /** Wall clock (ms) when the snapshot was taken. */
  atMs: number;
  /** When the detector ran, its findings decide "overdue"; otherwise open time past this threshold does. */
  detectorRan: boolean;
  hangingThresholdMs: number;
}

export function attribute(input: AttributionInput): Attribution[] {
  const out: Attribution[] = [];
  for (const a of input.anomalies) {
    if ((a.type !== 'unseen' && a.type !== 'lost-write') || a.key === undefined) continue;
    const { topic, partition } = input.keyPartition(a.key);
    const view = input.partitions?.find((p) => p.topic === topic && p.partition === partition);
    a.values?.forEach((value, i) => {
      const offset = a.type === 'lost-write' ? (a.offsets?.[i] ?? null) : offsetOfValue(input.facts.get(a.key!), value);
      const [cause, evidence] = decide(input, a.type as 'unseen' | 'lost-write', view, offset, value);
      out.push({ anomaly: a.type as 'unseen' | 'lost-write', key: a.key!, topic, partition, value, offset, cause, evidence });
    });
  }
  return out;
}

/** Why the reads of a key stopped: the cause of the first acknowledged write past its last read. */
export function explainShortKey(input: AttributionInput, facts: KeyFacts): { cause: Cause; evidence: string; offset: number | null } {
  const { topic, partition } = input.keyPartition(facts.key);
  const view = input.partitions?.find((p) => p.topic === topic && p.partition === partition);
  const next = [...facts.writes].filter(([o, w]) => o > facts.lastRead && w.type === 'ok').sort((a, b) => a[0] - b[0])[0];
  const offset = next?.[0] ?? facts.lastRead + 1;
  const [cause, evidence] = decide(input, 'unseen', view, offset, next?.[1].value ?? null);
  return { cause, evidence, offset };
}

function decide(input: AttributionInput, kind: 'unseen' | 'lost-write', view: PartitionView | undefined, offset: number | null, value: number | null): [Cause, string] {
  if (!input.partitions) return ['unattributed', 'no forensics snapshot was taken'];
  if (!view) return ['unattributed', 'the snapshot has no metadata for this partition'];
  const name = `${view.topic}/${view.partition}`;
  const read = view.read;
  if (view.leader < 0 || !read || read.error !== undefined || (read.errorCode !== undefined && read.errorCode !== 'NONE')) {
    const why = view.leader < 0 ? 'no leader' : `leader node ${view.leader} did not serve a read (${read?.error ?? read?.errorCode ?? 'not read'})`;
    return ['leader-unavailable', `${name} had ${why}; ISR [${view.isr.join(', ')}]`];
  }
  if (offset === null) return ['unattributed', `the history has no offset for value ${value}`];
  const log = new LogView(read.batches);
  const found = log.lookup(offset);
  const lso = view.lastStableOffset ?? read.lastStableOffset ?? null;
  const hw = view.highWatermark ?? read.highWatermark ?? null;
  if (!found || (value !== null && found.value !== null && found.value !== String(value))) {
    const there = found ? `value ${found.value}` : log.batchAt(offset)?.marker ? `a ${log.batchAt(offset)!.marker} marker` : 'no record';
    return ['absent-from-log', `${name} holds ${there} at offset ${offset} (log ${read.logStartOffset ?? '?'}..${hw ?? '?'})${value === null ? '' : `, not value ${value}`}`];
  }
  if (found.fate === 'aborted') {
    return ['aborted-in-log', `${name} offset ${offset} (producer ${found.batch.producerId} epoch ${found.batch.producerEpoch}) was aborted by the marker at ${found.marker!.offset} (epoch ${found.marker!.producerEpoch})`];
  }
  if (lso !== null && offset >= lso) return holderCause(input, view, log, lso, offset);
  if (found.fate === 'open') return holderCause(input, view, log, lso ?? offset, offset);
  const where = `${name} offset ${offset} holds value ${found.value}, committed${found.marker ? ` (marker at ${found.marker.offset})` : ''}, below the LSO ${lso ?? '?'}`;
  return kind === 'lost-write' ? ['read-past', where] : ['read-never-reached', `${where}: readable, but no read got past offset ${input.facts.get(keyOfView(input, view))?.lastRead ?? -1}`];
}

function keyOfView(input: AttributionInput, view: PartitionView): Key {
  for (const k of input.facts.keys()) {
    const kp = input.keyPartition(k);
    if (kp.topic === view.topic && kp.partition === view.partition) return k;
  }
  return -1;
}

/** The last stable offset sits at or below the write: who holds it, and is that within the rules? */
function holderCause(input: AttributionInput, view: PartitionView, log: LogView, lso: number, offset: number): [Cause, string] {
  const name = `${view.topic}/${view.partition}`;
  const holder = holderOf(view, lso);
  if (!holder) {
    return ['hanging-transaction', `${name}'s LSO is ${lso}, at or below offset ${offset}, and no producer reports a transaction open there`];
  }
  const txn = input.transactions.find((t) => t.describedProducerId === holder.producerId || t.producerId === holder.producerId);
  const coordinator = txn
    ? `its coordinator${txn.coordinatorId !== undefined ? ` (node ${txn.coordinatorId})` : ''} reports ${txn.transactionalId} ${txn.describedState ?? txn.state} at epoch ${txn.producerEpoch ?? '?'}${(txn.partitions ?? []).includes(`${view.topic}-${view.partition}`) ? ` with ${view.topic}-${view.partition} in the transaction` : `, without ${view.topic}-${view.partition}`}`
    : 'no coordinator lists its producer id';
  const detected = input.hanging.find((h) => h.topic === view.topic && h.partition === view.partition && h.producerId === holder.producerId && h.startOffset === holder.txnStartOffset);
  // When it opened: the detector's first sight, else the timestamp of its first record on this partition.
  const since = detected?.sinceMs ?? log.batchAt(holder.txnStartOffset!)?.maxTimestamp ?? holder.lastTimestamp;
  const sinceText = since > 0 ? `, open since ${((since - input.runStartMs) / 1000).toFixed(1)} s` : '';
  const sentence = `${name}'s LSO is held at ${lso} by producer ${holder.producerId} epoch ${holder.producerEpoch}${sinceText}; ${coordinator}`;
  // Still the coordinator's business: open (or ending, markers pending) there, with this partition.
  const heldByCoordinator = txn !== undefined && OPEN_STATES.has(txn.describedState ?? txn.state)
    && (txn.describedProducerId ?? txn.producerId) === holder.producerId && (txn.partitions ?? []).includes(`${view.topic}-${view.partition}`);
  const overdue = detected !== undefined || (!input.detectorRan && since > 0 && input.atMs - since > input.hangingThresholdMs);
  return heldByCoordinator && !overdue ? ['open-transaction', sentence] : ['hanging-transaction', sentence];
}

const OPEN_STATES: ReadonlySet<string> = new Set(['Ongoing', 'PrepareCommit', 'PrepareAbort', 'PrepareEpochFence']);

function holderOf(view: PartitionView, lso: number): ProducerView | undefined {
  const open = (view.producers ?? []).filter((p) => p.txnStartOffset !== undefined);
  return open.find((p) => p.txnStartOffset === lso) ?? open.sort((a, b) => a.txnStartOffset! - b.txnStartOffset!)[0];
}
