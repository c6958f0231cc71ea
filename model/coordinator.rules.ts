// Types and the decision tables of the transaction coordinator that are too large for inline guards:
// EndTxn (TV1 `endTransactionWithTV1`, TV2 `endTransaction`, research §2.7) and the epoch fence (§2.4, §2.9).
import type { KafkaError, TxnPartition, TxnState, TxnVersion } from './types.ts';
import { EPOCH_EXHAUSTED } from './types.ts';

export interface CoordinatorReply {
  error: KafkaError;
  producerId: number;
  producerEpoch: number;
  /** True between a prepared transit and its `txn.logAppended`: the client has no answer yet. */
  awaitingLogAppend: boolean;
}

/** A prepared change of TransactionMetadata (TxnTransitMetadata), applied when the log append is durable. */
export interface Transit {
  state: TxnState;
  producerId: number;
  epoch: number;
  lastEpoch: number;
  partitions: TxnPartition[];
  txnStartTick: number;
  now: number;
  /** The transaction version the change is made under (clientTransactionVersion): the client's for its own
   *  requests, the server's for the coordinator's own aborts (fence, timeout). Markers carry it. */
  txnVersion?: TxnVersion;
}

export interface CoordinatorContext {
  transactionalId: string;
  /** The cluster's transaction.version feature: what the coordinator's own aborts (fence, timeout) use. */
  txnVersion: TxnVersion;
  /** The version of the transaction at hand (TransactionMetadata.clientTransactionVersion): its markers use it. */
  clientTxnVersion: TxnVersion;
  /** Mirrors the machine's state node, for the decision tables below. */
  state: TxnState;
  producerId: number;
  prevProducerId: number;
  epoch: number;
  lastEpoch: number;
  partitions: TxnPartition[];
  txnStartTick: number;
  lastUpdateTick: number;
  timeoutTicks: number;
  expirationTicks: number;
  coordinatorEpoch: number;
  pendingState: TxnState | null;
  transit: Transit | null;
  /** Partitions whose WriteTxnMarkers has not been acknowledged yet. */
  pendingMarkers: TxnPartition[];
  /** A marker was refused for good (INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED): no more are sent and
   *  the transaction stays in Prepare* until a coordinator loads it again (TransactionMarkerRequestCompletionHandler). */
  markersCancelled: boolean;
  reply: CoordinatorReply;
}

/** `txnVersion` on a request: the version the client speaks (EndTxn v5 / Produce v12 mean 2); default the cluster's. */
export type CoordinatorEvent =
  /** `expected`: KIP-360's expected producer id and epoch (a client bumping its epoch); kafkajs sends none. */
  | { type: 'txn.initProducerId'; newProducerId: number; now: number; expected?: { producerId: number; producerEpoch: number } }
  | { type: 'txn.addPartitions'; producerId: number; producerEpoch: number; partitions: TxnPartition[]; now: number; txnVersion?: TxnVersion }
  | { type: 'txn.endTxn'; producerId: number; producerEpoch: number; commit: boolean; now: number; txnVersion?: TxnVersion }
  /** handleVerifyPartitionsInTransaction (a TV1 partition leader asks before the first transactional write): read only. */
  | { type: 'txn.verify'; producerId: number; producerEpoch: number; partition: TxnPartition }
  | { type: 'txn.logAppended' }
  /** the __transaction_state append failed (NOT_ENOUGH_REPLICAS → COORDINATOR_NOT_AVAILABLE): the transit is dropped */
  | { type: 'txn.logAppendFailed' }
  /** A partition leader's answer to this transaction's WriteTxnMarkers, under the coordinator epoch it was sent with. */
  | { type: 'txn.markerAnswered'; partition: TxnPartition; error: KafkaError; coordinatorEpoch: number }
  | { type: 'txn.completeTxn'; now: number }
  | { type: 'txn.tick'; now: number }
  /** The cleanup task finds the transaction timed out now (abortTimedOutTransactions), whatever the clock says:
   *  Kafka checks every few seconds, so a replay of a real run picks the moment within that window. */
  | { type: 'txn.abortTimedOut'; now: number }
  | { type: 'txn.failover' };

export const isEndOf = (s: TxnState): boolean => s === 'PrepareCommit' || s === 'PrepareAbort';

/** prepareFenceProducerEpoch + the internal abort: TV1 forgets the last epoch (the client is fenced for good);
 *  TV2 keeps it so that the client's EndTxn(abort) at the old epoch reads as a retry (research §2.9). */
export const fenceTransit = (c: CoordinatorContext, now: number): Transit => ({
  state: 'PrepareAbort', producerId: c.producerId, epoch: c.epoch + 1,
  lastEpoch: c.txnVersion === 1 ? -1 : c.epoch, partitions: c.partitions, txnStartTick: c.txnStartTick, now,
  // "Since this is not from client, use server TV" (TransactionCoordinator.abortTimedOutTransactions, handleInitProducerId).
  txnVersion: c.txnVersion,
});

export type EndTxnVerdict = { kind: 'reply'; error: KafkaError } | { kind: 'prepare'; transit: Transit };

const answer = (error: KafkaError): EndTxnVerdict => ({ kind: 'reply', error });

const prepareEnd = (c: CoordinatorContext, commit: boolean, now: number, tv: TxnVersion): EndTxnVerdict => ({
  kind: 'prepare',
  transit: {
    state: commit ? 'PrepareCommit' : 'PrepareAbort', producerId: c.producerId,
    // TV2 bumps the epoch at every end (KIP-890); the markers carry the new epoch.
    epoch: tv === 2 ? c.epoch + 1 : c.epoch, lastEpoch: tv === 2 ? c.epoch : c.lastEpoch,
    partitions: c.partitions, txnStartTick: c.txnStartTick, now, txnVersion: tv,
  },
});

/** EndTxn decision for the coordinator's current metadata: `endTransactionWithTV1` for requests below v5,
 *  `endTransaction` for v5 (the request's version decides, not the cluster's). */
export function endTxnVerdict(
  c: CoordinatorContext, e: { producerId: number; producerEpoch: number; commit: boolean; now: number; txnVersion?: TxnVersion },
): EndTxnVerdict {
  if (c.state === 'Dead' || e.producerId !== c.producerId) return answer('INVALID_PRODUCER_ID_MAPPING');
  return (e.txnVersion ?? c.txnVersion) === 1 ? endTxnV1(c, e.producerEpoch, e.commit, e.now) : endTxnV2(c, e.producerEpoch, e.commit, e.now);
}

function endTxnV1(c: CoordinatorContext, epoch: number, commit: boolean, now: number): EndTxnVerdict {
  if (epoch !== c.epoch) return answer('PRODUCER_FENCED');
  if (c.pendingState !== null) return answer('CONCURRENT_TRANSACTIONS');
  switch (c.state) {
    case 'Ongoing': return prepareEnd(c, commit, now, 1);
    case 'CompleteCommit': return answer(commit ? 'NONE' : 'INVALID_TXN_STATE');
    case 'CompleteAbort': return answer(commit ? 'INVALID_TXN_STATE' : 'NONE');
    case 'PrepareCommit': return answer(commit ? 'CONCURRENT_TRANSACTIONS' : 'INVALID_TXN_STATE');
    case 'PrepareAbort': return answer(commit ? 'INVALID_TXN_STATE' : 'CONCURRENT_TRANSACTIONS');
    default: return answer('INVALID_TXN_STATE');
  }
}

function endTxnV2(c: CoordinatorContext, epoch: number, commit: boolean, now: number): EndTxnVerdict {
  const isRetry = c.epoch === epoch + 1;
  const isCurrent = epoch === c.epoch;
  const prepare = c.state === 'PrepareCommit' || c.state === 'PrepareAbort';
  const complete = c.state === 'CompleteCommit' || c.state === 'CompleteAbort';
  const validEpoch = prepare ? isRetry : complete ? isRetry || isCurrent : isCurrent;
  if (!validEpoch) return answer('PRODUCER_FENCED');
  if (c.pendingState !== null) return answer('CONCURRENT_TRANSACTIONS');
  switch (c.state) {
    case 'Ongoing': return prepareEnd(c, commit, now, 2);
    case 'PrepareCommit': return answer(commit ? 'CONCURRENT_TRANSACTIONS' : 'INVALID_TXN_STATE');
    case 'PrepareAbort': return answer(commit ? 'INVALID_TXN_STATE' : 'CONCURRENT_TRANSACTIONS');
    // The "empty abort": TV2 lets an abort with no partitions bump the epoch.
    case 'Empty': return commit ? answer('INVALID_TXN_STATE') : prepareEnd(c, false, now, 2);
    case 'CompleteAbort':
      if (commit) return answer('INVALID_TXN_STATE'); // KAFKA-20785: fixed later to PRODUCER_FENCED
      return isRetry ? answer('NONE') : prepareEnd(c, false, now, 2);
    case 'CompleteCommit':
      if (commit) return answer(isRetry ? 'NONE' : 'INVALID_TXN_STATE');
      return isRetry ? answer('INVALID_TXN_STATE') : prepareEnd(c, false, now, 2);
    default: return answer('INVALID_TXN_STATE');
  }
}

/** completeTransitionTo: apply the durable transit; after a Prepare* every partition of the transaction is
 *  owed a marker. */
export function completeTransit(c: CoordinatorContext): Partial<CoordinatorContext> {
  const t = c.transit!;
  return {
    state: t.state, producerId: t.producerId, epoch: t.epoch, lastEpoch: t.lastEpoch,
    prevProducerId: t.producerId !== c.producerId ? c.producerId : c.prevProducerId,
    partitions: t.partitions, txnStartTick: t.txnStartTick, lastUpdateTick: t.now, pendingState: null, transit: null,
    pendingMarkers: isEndOf(t.state) ? [...t.partitions] : [], markersCancelled: false,
    ...(t.txnVersion !== undefined ? { clientTxnVersion: t.txnVersion } : {}),
    reply: { ...c.reply, producerId: t.producerId, producerEpoch: t.epoch, awaitingLogAppend: false },
  };
}

export type InitVerdict = { kind: 'reply'; error: KafkaError } | { kind: 'current' } | { kind: 'prepare'; transit: Transit };

/** KIP-360's isValidProducerId: an expected producer id that is not this transactional id's is fenced. */
export const initFromOtherProducer = (c: CoordinatorContext, e: Extract<CoordinatorEvent, { type: 'txn.initProducerId' }>): boolean => {
  const x = e.expected;
  if (x === undefined || c.epoch === -1) return false;
  return !(x.producerId === c.producerId || (x.producerId === c.prevProducerId && x.producerEpoch >= EPOCH_EXHAUSTED));
};

/** InitProducerId from Empty, Complete* or Dead (prepareInitProducerIdTransit): a new producer id when there is
 *  none or the epoch is exhausted, else prepareIncrementProducerEpoch with or without KIP-360's expected epoch. */
export function initProducerIdVerdict(c: CoordinatorContext, e: Extract<CoordinatorEvent, { type: 'txn.initProducerId' }>): InitVerdict {
  if (initFromOtherProducer(c, e)) return { kind: 'reply', error: 'PRODUCER_FENCED' };
  const x = e.expected;
  const base = { state: 'Empty' as const, partitions: [], txnStartTick: -1, now: e.now };
  const rotate = c.producerId < 0 || c.state === 'Dead' || (c.epoch >= EPOCH_EXHAUSTED && (x === undefined || x.producerEpoch === c.epoch));
  if (rotate) return { kind: 'prepare', transit: { ...base, producerId: e.newProducerId, epoch: 0, lastEpoch: -1 } };
  if (x === undefined) return { kind: 'prepare', transit: { ...base, producerId: c.producerId, epoch: c.epoch + 1, lastEpoch: -1 } };
  if (x.producerEpoch === c.epoch) return { kind: 'prepare', transit: { ...base, producerId: c.producerId, epoch: c.epoch + 1, lastEpoch: c.epoch } };
  // The retry of a bump whose answer was lost gets the current epoch again.
  if (x.producerEpoch === c.lastEpoch) return { kind: 'current' };
  return { kind: 'reply', error: 'PRODUCER_FENCED' };
}

/** handleVerifyPartitionsInTransaction: read-only, and unlike the other handlers blind to a pending transit. */
export function verifyVerdict(c: CoordinatorContext, e: Extract<CoordinatorEvent, { type: 'txn.verify' }>): KafkaError {
  if (c.producerId < 0 || c.state === 'Dead' || e.producerId !== c.producerId) return 'INVALID_PRODUCER_ID_MAPPING';
  if (e.producerEpoch !== c.epoch) return 'PRODUCER_FENCED';
  if (isEndOf(c.state)) return 'CONCURRENT_TRANSACTIONS';
  return c.partitions.includes(e.partition) ? 'NONE' : 'TRANSACTION_ABORTABLE';
}

const RETRIABLE_MARKER_ERRORS: ReadonlySet<KafkaError> = new Set<KafkaError>([
  'NOT_LEADER_OR_FOLLOWER', 'NOT_ENOUGH_REPLICAS', 'REQUEST_TIMED_OUT', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE',
]);

/** TransactionMarkerRequestCompletionHandler: what one partition's answer does to the markers of the transaction.
 *  `done`: the partition is off the list; `retry`: sent again; `cancel`: no marker is sent any more, and the
 *  transaction is not completed; `stale`: an answer to a coordinator epoch that is gone. */
export function markerAnswerAction(c: CoordinatorContext, e: Extract<CoordinatorEvent, { type: 'txn.markerAnswered' }>): 'done' | 'retry' | 'cancel' | 'stale' {
  if (e.coordinatorEpoch !== c.coordinatorEpoch || !isEndOf(c.state) || c.markersCancelled || !c.pendingMarkers.includes(e.partition)) return 'stale';
  if (e.error === 'NONE') return 'done';
  if (RETRIABLE_MARKER_ERRORS.has(e.error)) return 'retry';
  return 'cancel'; // INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED
}
