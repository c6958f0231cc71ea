// The partition leader of one topic-partition: its log, its per-producer state (ProducerStateEntry) and the
// append rules of UnifiedLog.analyzeAndValidateProducerState / ProducerAppendInfo, plus marker appends
// (appendEndTxnMarker), the high watermark, the LSO and the aborted-transaction index. State `unstable` means
// at least one transaction is open on the partition. Appends land at the log end; the high watermark follows
// when the followers have them (`partition.replicate`), and only then are they readable (UnifiedLog.read).
import { assign, setup } from 'xstate';
import {
  type AbortedTxn, type BatchMetadata, type KafkaError, type LogEntry, type Offset, type ProduceRequest,
  type ProducerStateEntry, type TxnVersion, inSequence, NO_PRODUCER_EPOCH, NUM_BATCHES_TO_RETAIN,
} from './types.ts';

export interface PartitionReply {
  error: KafkaError;
  /** Offset of the appended (or, for a duplicate, the original) record; null on error. */
  offset: Offset | null;
  duplicate: boolean;
}

export interface PartitionContext {
  key: number;
  txnVersion: TxnVersion;
  leaderEpoch: number;
  log: readonly LogEntry[];
  /** Offsets below it are on every in-sync replica: readable, and acknowledged to acks=all producers. */
  highWatermark: Offset;
  producers: Readonly<Record<number, ProducerStateEntry>>;
  /** ProducerStateManager.ongoingTxns: producerId -> first offset of its open transaction here. */
  ongoingTxns: Readonly<Record<number, Offset>>;
  /** ProducerStateManager.unreplicatedTxns: ended transactions whose marker is not below the HW yet. */
  unreplicatedTxns: ReadonlyArray<{ firstOffset: Offset; markerOffset: Offset }>;
  abortedIndex: readonly AbortedTxn[];
  reply: PartitionReply;
}

export type PartitionEvent =
  | { type: 'partition.produce'; request: ProduceRequest; /** coordinator verified (TV1) or added (TV2) it */ verified: boolean }
  /** `txnVersion`: the WriteTxnMarkers' transaction version (KIP-1228), i.e. of the transaction it ends. */
  | { type: 'partition.writeTxnMarker'; producerId: number; producerEpoch: number; commit: boolean; coordinatorEpoch: number; txnVersion?: TxnVersion }
  /** The followers fetched up to the log end: the high watermark moves there. */
  | { type: 'partition.replicate' }
  | { type: 'partition.leaderChange' };

const emptyEntry = (producerId: number): ProducerStateEntry => ({
  producerId, producerEpoch: NO_PRODUCER_EPOCH, batches: [], coordinatorEpoch: -1, currentTxnFirstOffset: null,
});
const entryOf = (c: PartitionContext, pid: number): ProducerStateEntry => c.producers[pid] ?? emptyEntry(pid);
const ok = (offset: Offset, duplicate = false): PartitionReply => ({ error: 'NONE', offset, duplicate });
const failed = (error: KafkaError): PartitionReply => ({ error, offset: null, duplicate: false });
const hasOngoingTxn = (c: PartitionContext, r: ProduceRequest): boolean => {
  const e = entryOf(c, r.producerId);
  return e.currentTxnFirstOffset !== null && e.producerEpoch === r.producerEpoch;
};

/** The high watermark (UnifiedLog.highWatermark): the log end once the followers caught up. */
export const highWatermark = (c: PartitionContext): Offset => c.highWatermark;

/** UnifiedLog.lastStableOffset: the first offset of the earliest open transaction, or of an ended one whose
 *  marker is not replicated yet (ProducerStateManager.firstUnstableOffset), when below the HW; else the HW. */
export const lastStableOffset = (c: PartitionContext): Offset => {
  let lso = highWatermark(c);
  for (const first of Object.values(c.ongoingTxns)) if (first < lso) lso = first;
  for (const t of c.unreplicatedTxns) if (t.markerOffset >= c.highWatermark && t.firstOffset < lso) lso = t.firstOffset;
  return lso;
};

type ProduceEv = Extract<PartitionEvent, { type: 'partition.produce' }>;
type MarkerEv = Extract<PartitionEvent, { type: 'partition.writeTxnMarker' }>;

/** The produce checks in the order the leader runs them (research §1.2 steps 1-5). */
const PRODUCE_CHECKS = [
  { guard: 'isStaleProducerEpoch', actions: 'answerInvalidProducerEpoch' },
  { guard: 'isDuplicateBatch', actions: 'answerWithOriginalOffset' },
  { guard: 'isTxnWriteOutsideTxn', actions: 'answerInvalidTxnState' },
  { guard: 'isOutOfOrderSequence', actions: 'answerOutOfOrderSequence' },
] as const;
const MARKER_CHECKS = [
  { guard: 'isStaleMarkerEpoch', actions: 'answerInvalidProducerEpoch' },
  { guard: 'isZombieCoordinator', actions: 'answerCoordinatorFenced' },
] as const;

export const partitionMachine = setup({
  types: {
    context: {} as PartitionContext,
    events: {} as PartitionEvent,
    input: {} as { key: number; txnVersion: TxnVersion },
  },
  guards: {
    /** maybeStartTransactionVerification / checkProducerEpoch: an epoch below the stored one is a zombie. */
    isStaleProducerEpoch: ({ context, event }) =>
      (event as ProduceEv).request.producerEpoch < entryOf(context, (event as ProduceEv).request.producerId).producerEpoch,
    /** ProducerStateEntry.findDuplicateBatch: same epoch and the same sequence range as one of the last 5 batches. */
    isDuplicateBatch: ({ context, event }) => {
      const r = (event as ProduceEv).request;
      const e = entryOf(context, r.producerId);
      return e.producerEpoch === r.producerEpoch && e.batches.some((b) => b.firstSeq === r.sequence);
    },
    /** The transactional-write guard: no open transaction for (pid, epoch) and the coordinator did not vouch. */
    isTxnWriteOutsideTxn: ({ context, event }) => {
      const { request, verified } = event as ProduceEv;
      return request.transactional && !hasOngoingTxn(context, request) && !verified;
    },
    /** ProducerAppendInfo.checkSequence. */
    isOutOfOrderSequence: ({ context, event }) => {
      const r = (event as ProduceEv).request;
      const e = entryOf(context, r.producerId);
      if (e.producerEpoch === NO_PRODUCER_EPOCH) return false; // no state: any sequence is accepted
      if (r.producerEpoch !== e.producerEpoch) return r.sequence !== 0; // a new epoch must start at 0
      const last = e.batches.length > 0 ? e.batches[e.batches.length - 1]!.lastSeq : -1;
      return !inSequence(last, r.sequence);
    },
    /** appendDataBatch: a non-transactional write while this producer has a transaction open here. */
    isNonTxnWriteInOpenTxn: ({ context, event }) => {
      const r = (event as ProduceEv).request;
      return !r.transactional && entryOf(context, r.producerId).currentTxnFirstOffset !== null;
    },
    startsTransaction: ({ context, event }) => {
      const r = (event as ProduceEv).request;
      return r.transactional && entryOf(context, r.producerId).currentTxnFirstOffset === null;
    },
    /** appendEndTxnMarker epoch rule: TV1 rejects markerEpoch < current; TV2 also == current unless idle (KAFKA-19999). */
    isStaleMarkerEpoch: ({ context, event }) => {
      const m = event as MarkerEv;
      const e = entryOf(context, m.producerId);
      if ((m.txnVersion ?? context.txnVersion) === 1) return m.producerEpoch < e.producerEpoch;
      return m.producerEpoch < e.producerEpoch || (m.producerEpoch === e.producerEpoch && e.currentTxnFirstOffset !== null);
    },
    isZombieCoordinator: ({ context, event }) =>
      (event as MarkerEv).coordinatorEpoch < entryOf(context, (event as MarkerEv).producerId).coordinatorEpoch,
    hasUnreplicated: ({ context }) => context.highWatermark < context.log.length,
    closesLastOpenTxn: ({ context, event }) => {
      const open = Object.keys(context.ongoingTxns).map(Number);
      return open.length === 0 || (open.length === 1 && open[0] === (event as MarkerEv).producerId);
    },
  },
  actions: {
    answerInvalidProducerEpoch: assign({ reply: () => failed('INVALID_PRODUCER_EPOCH') }),
    answerInvalidTxnState: assign({ reply: () => failed('INVALID_TXN_STATE') }),
    answerOutOfOrderSequence: assign({ reply: () => failed('OUT_OF_ORDER_SEQUENCE_NUMBER') }),
    answerCoordinatorFenced: assign({ reply: () => failed('TRANSACTION_COORDINATOR_FENCED') }),
    /** A duplicate appends nothing and answers NONE with the original offset (UnifiedLog ~line 1247). */
    answerWithOriginalOffset: assign({
      reply: ({ context, event }) => {
        const r = (event as ProduceEv).request;
        const b = entryOf(context, r.producerId).batches.find((x) => x.firstSeq === r.sequence)!;
        return ok(b.firstOffset, true);
      },
    }),
    appendRecord: assign(({ context, event }) => {
      const r = (event as ProduceEv).request;
      const offset = context.log.length;
      const prev = entryOf(context, r.producerId);
      // maybeUpdateProducerEpoch: a new epoch forgets the batches of the old one.
      const kept = prev.producerEpoch === r.producerEpoch ? prev.batches : [];
      const batch: BatchMetadata = { firstSeq: r.sequence, lastSeq: r.sequence, firstOffset: offset, lastOffset: offset };
      const batches = [...kept, batch].slice(-NUM_BATCHES_TO_RETAIN);
      const opens = r.transactional && prev.currentTxnFirstOffset === null;
      const entry: ProducerStateEntry = {
        ...prev, producerEpoch: r.producerEpoch, batches,
        currentTxnFirstOffset: opens ? offset : prev.currentTxnFirstOffset,
      };
      const record: LogEntry = {
        kind: 'record', offset, value: r.value, producerId: r.producerId, producerEpoch: r.producerEpoch,
        sequence: r.sequence, transactional: r.transactional,
      };
      return {
        log: [...context.log, record],
        producers: { ...context.producers, [r.producerId]: entry },
        ongoingTxns: opens ? { ...context.ongoingTxns, [r.producerId]: offset } : context.ongoingTxns,
        reply: ok(offset),
      };
    }),
    appendMarker: assign(({ context, event }) => {
      const m = event as MarkerEv;
      const offset = context.log.length;
      const prev = entryOf(context, m.producerId);
      const first = prev.currentTxnFirstOffset;
      const { [m.producerId]: _closed, ...ongoingTxns } = context.ongoingTxns;
      const epochChanged = m.producerEpoch !== prev.producerEpoch;
      const entry: ProducerStateEntry = {
        ...prev, producerEpoch: m.producerEpoch, coordinatorEpoch: m.coordinatorEpoch,
        batches: epochChanged ? [] : prev.batches, currentTxnFirstOffset: null,
      };
      const marker: LogEntry = {
        kind: 'marker', offset, producerId: m.producerId, producerEpoch: m.producerEpoch, commit: m.commit,
        coordinatorEpoch: m.coordinatorEpoch,
      };
      // Only a marker that closes an open transaction here yields a CompletedTxn (and an index entry on abort).
      const aborted = first !== null && !m.commit ? [{ producerId: m.producerId, firstOffset: first, lastOffset: offset }] : [];
      return {
        log: [...context.log, marker],
        producers: { ...context.producers, [m.producerId]: entry },
        ongoingTxns,
        // completeTxn: the transaction stays unstable until its marker is replicated.
        unreplicatedTxns: first === null ? context.unreplicatedTxns : [...context.unreplicatedTxns, { firstOffset: first, markerOffset: offset }],
        abortedIndex: aborted.length > 0 ? [...context.abortedIndex, ...aborted] : context.abortedIndex,
        reply: ok(offset),
      };
    }),
    /** onHighWatermarkUpdated: the HW reaches the log end; transactions whose marker it passed are stable. */
    advanceHighWatermark: assign(({ context }) => ({
      highWatermark: context.log.length,
      unreplicatedTxns: context.unreplicatedTxns.length === 0 ? context.unreplicatedTxns : [],
    })),
    bumpLeaderEpoch: assign({ leaderEpoch: ({ context }) => context.leaderEpoch + 1 }),
  },
}).createMachine({
  id: 'partition',
  context: ({ input }) => ({
    key: input.key, txnVersion: input.txnVersion, leaderEpoch: 0, log: [], highWatermark: 0, producers: {}, ongoingTxns: {},
    unreplicatedTxns: [], abortedIndex: [], reply: failed('NONE'),
  }),
  initial: 'stable',
  on: {
    // Producer state is rebuilt from the replicated log on the new leader, so only the epoch moves.
    'partition.leaderChange': { actions: 'bumpLeaderEpoch' },
    'partition.replicate': { guard: 'hasUnreplicated', actions: 'advanceHighWatermark' },
  },
  states: {
    stable: {
      on: {
        'partition.produce': [
          ...PRODUCE_CHECKS,
          { guard: 'startsTransaction', target: 'unstable', actions: 'appendRecord' },
          { actions: 'appendRecord' },
        ],
        'partition.writeTxnMarker': [...MARKER_CHECKS, { actions: 'appendMarker' }],
      },
    },
    unstable: {
      on: {
        'partition.produce': [
          ...PRODUCE_CHECKS,
          { guard: 'isNonTxnWriteInOpenTxn', actions: 'answerInvalidTxnState' },
          { actions: 'appendRecord' },
        ],
        'partition.writeTxnMarker': [
          ...MARKER_CHECKS,
          { guard: 'closesLastOpenTxn', target: 'stable', actions: 'appendMarker' },
          { actions: 'appendMarker' },
        ],
      },
    },
  },
});
