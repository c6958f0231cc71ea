// Types and the decision tables of the transaction coordinator that are too large for inline guards:
// EndTxn (TV1 `endTransactionWithTV1`, TV2 `endTransaction`, research §2.7) and the epoch fence (§2.4, §2.9).
import type { KafkaError, TxnPartition, TxnState, TxnVersion } from './types.ts';

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
}

export interface CoordinatorContext {
  transactionalId: string;
  txnVersion: TxnVersion;
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
  reply: CoordinatorReply;
}

export type CoordinatorEvent =
  | { type: 'txn.initProducerId'; newProducerId: number; now: number }
  | { type: 'txn.addPartitions'; producerId: number; producerEpoch: number; partitions: TxnPartition[]; now: number }
  | { type: 'txn.endTxn'; producerId: number; producerEpoch: number; commit: boolean; now: number }
  | { type: 'txn.logAppended' }
  /** the __transaction_state append failed (NOT_ENOUGH_REPLICAS → COORDINATOR_NOT_AVAILABLE): the transit is dropped */
  | { type: 'txn.logAppendFailed' }
  | { type: 'txn.markerWritten'; partition: TxnPartition }
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
});

export type EndTxnVerdict = { kind: 'reply'; error: KafkaError } | { kind: 'prepare'; transit: Transit };

const answer = (error: KafkaError): EndTxnVerdict => ({ kind: 'reply', error });

const prepareEnd = (c: CoordinatorContext, commit: boolean, now: number): EndTxnVerdict => ({
  kind: 'prepare',
  transit: {
    state: commit ? 'PrepareCommit' : 'PrepareAbort', producerId: c.producerId,
    // TV2 bumps the epoch at every end (KIP-890); the markers carry the new epoch.
    epoch: c.txnVersion === 2 ? c.epoch + 1 : c.epoch, lastEpoch: c.txnVersion === 2 ? c.epoch : c.lastEpoch,
    partitions: c.partitions, txnStartTick: c.txnStartTick, now,
  },
});

/** EndTxn decision for the coordinator's current metadata. */
export function endTxnVerdict(
  c: CoordinatorContext, e: { producerId: number; producerEpoch: number; commit: boolean; now: number },
): EndTxnVerdict {
  if (c.state === 'Dead' || e.producerId !== c.producerId) return answer('INVALID_PRODUCER_ID_MAPPING');
  return c.txnVersion === 1 ? endTxnV1(c, e.producerEpoch, e.commit, e.now) : endTxnV2(c, e.producerEpoch, e.commit, e.now);
}

function endTxnV1(c: CoordinatorContext, epoch: number, commit: boolean, now: number): EndTxnVerdict {
  if (epoch !== c.epoch) return answer('PRODUCER_FENCED');
  if (c.pendingState !== null) return answer('CONCURRENT_TRANSACTIONS');
  switch (c.state) {
    case 'Ongoing': return prepareEnd(c, commit, now);
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
    case 'Ongoing': return prepareEnd(c, commit, now);
    case 'PrepareCommit': return answer(commit ? 'CONCURRENT_TRANSACTIONS' : 'INVALID_TXN_STATE');
    case 'PrepareAbort': return answer(commit ? 'INVALID_TXN_STATE' : 'CONCURRENT_TRANSACTIONS');
    // The "empty abort": TV2 lets an abort with no partitions bump the epoch.
    case 'Empty': return commit ? answer('INVALID_TXN_STATE') : prepareEnd(c, false, now);
    case 'CompleteAbort':
      if (commit) return answer('INVALID_TXN_STATE'); // KAFKA-20785: fixed later to PRODUCER_FENCED
      return isRetry ? answer('NONE') : prepareEnd(c, false, now);
    case 'CompleteCommit':
      if (commit) return answer(isRetry ? 'NONE' : 'INVALID_TXN_STATE');
      return isRetry ? answer('INVALID_TXN_STATE') : prepareEnd(c, false, now);
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
    pendingMarkers: isEndOf(t.state) ? [...t.partitions] : [],
    reply: { ...c.reply, producerId: t.producerId, producerEpoch: t.epoch, awaitingLogAppend: false },
  };
}
