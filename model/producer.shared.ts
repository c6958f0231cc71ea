// What every modelled producer keeps (kafkajs' eosManager and Java's TransactionManager track the same
// things) and the context updates they share: adopting a producer id, sequence numbers per partition, the
// partitions and offsets of the transaction at hand, and the epoch an EndTxn v5 answer carries.
import { type KafkaError, type Key, type TxnVersion, incrementSequence } from './types.ts';

export interface InFlight { key: Key; value: number; sequence: number; attempts: number }

export interface ProducerContext {
  clientId: string;
  transactionalId: string | null;
  /** The transaction version the client speaks. */
  txnVersion: TxnVersion;
  producerId: number;
  producerEpoch: number;
  nextSequence: Readonly<Record<Key, number>>;
  /** Partitions (keys) already added to the open transaction, and whether offsets were added (isOngoing()). */
  txnKeys: readonly Key[];
  offsetsAdded: boolean;
  inFlight: InFlight | null;
  /** The offsets of the sendOffsets call in progress (TxnOffsetCommit's payload). */
  pendingOffsets: { groupId: string; offsets: Readonly<Record<Key, number>> } | null;
  attempts: number;
  /** The error of the last completed call, null if it succeeded. */
  lastError: KafkaError | null;
  lastOffset: number | null;
  /** Java: the next InitProducerId must bump the epoch (KIP-360), after an abort that followed a lost batch. */
  epochBumpRequired?: boolean;
}

export type ProducerEvent =
  | { type: 'producer.initProducerId' }
  | { type: 'producer.initProducerIdAnswer'; error: KafkaError; producerId: number; producerEpoch: number }
  | { type: 'producer.send'; key: Key; value: number }
  | { type: 'producer.addPartitionsAnswer'; error: KafkaError }
  | { type: 'producer.produceAnswer'; error: KafkaError; offset: number | null }
  | { type: 'producer.beginTxn' }
  | { type: 'producer.sendOffsets'; groupId: string; offsets: Readonly<Record<Key, number>> }
  | { type: 'producer.addOffsetsAnswer'; error: KafkaError }
  | { type: 'producer.txnOffsetCommitAnswer'; error: KafkaError }
  | { type: 'producer.commit' }
  | { type: 'producer.abort' }
  | { type: 'producer.endTxnAnswer'; error: KafkaError; producerId: number; producerEpoch: number }
  | { type: 'producer.crash' };

export type Ev<T extends ProducerEvent['type']> = Extract<ProducerEvent, { type: T }>;
export const errorOf = (e: ProducerEvent): KafkaError => (e as { error: KafkaError }).error;

export const initialContext = (input: { clientId: string; transactionalId: string | null; txnVersion: TxnVersion }): ProducerContext => ({
  clientId: input.clientId, transactionalId: input.transactionalId, txnVersion: input.txnVersion,
  producerId: -1, producerEpoch: -1, nextSequence: {}, txnKeys: [], offsetsAdded: false, inFlight: null, pendingOffsets: null,
  attempts: 0, lastError: null, lastOffset: null,
});

/** The producer id and epoch replace everything; sequences restart. */
export const adoptProducerId = ({ event }: { event: ProducerEvent }): Partial<ProducerContext> => {
  const e = event as Ev<'producer.initProducerIdAnswer'>;
  return { producerId: e.producerId, producerEpoch: e.producerEpoch, nextSequence: {}, txnKeys: [], offsetsAdded: false, epochBumpRequired: false };
};

export const prepareBatch = ({ context, event }: { context: ProducerContext; event: ProducerEvent }): Partial<ProducerContext> => {
  const e = event as Ev<'producer.send'>;
  return { inFlight: { key: e.key, value: e.value, sequence: context.nextSequence[e.key] ?? 0, attempts: 0 } };
};

/** An acknowledged batch advances its partition's sequence (a failed one leaves it: it is sent again). */
export const advanceSequence = ({ context, event }: { context: ProducerContext; event: ProducerEvent }): Partial<ProducerContext> => {
  const b = context.inFlight!;
  return {
    nextSequence: { ...context.nextSequence, [b.key]: incrementSequence(b.sequence, 1) },
    // TV2 adds partitions implicitly; the client still remembers them (isOngoing()).
    txnKeys: context.transactionalId === null || context.txnKeys.includes(b.key) ? context.txnKeys : [...context.txnKeys, b.key],
    lastOffset: (event as Ev<'producer.produceAnswer'>).offset, inFlight: null,
  };
};

export const holdOffsets = ({ event }: { event: ProducerEvent }): Partial<ProducerContext> => {
  const e = event as Ev<'producer.sendOffsets'>;
  return { pendingOffsets: { groupId: e.groupId, offsets: e.offsets } };
};

/** TV2: EndTxn answers with the bumped epoch (EndTxnHandler.handleResponse); a new epoch restarts every sequence at 0. */
export const adoptEndTxnEpoch = ({ context, event }: { context: ProducerContext; event: ProducerEvent }): Partial<ProducerContext> => {
  const e = event as Ev<'producer.endTxnAnswer'>;
  if (context.txnVersion === 1 || e.producerEpoch < 0) return {};
  return { producerId: e.producerId, producerEpoch: e.producerEpoch, nextSequence: {} };
};
