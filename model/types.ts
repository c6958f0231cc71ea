// Shared vocabulary of the model: identifiers, constants and the plain-data records the machines keep.
// Names follow Kafka's source (ProducerStateEntry, BatchMetadata, TransactionState, ...), so a reader can
// hold a line of this model against the Java/Scala it stands for (../shared/research/kafka-protocol.md).

/** Transaction protocol version (KIP-890): 1 = classic (client AddPartitionsToTxn), 2 = epoch bump per txn. */
export type TxnVersion = 1 | 2;
export type Key = number;
export type Value = number;
export type Offset = number;
export type ProducerId = number;
export type ProducerEpoch = number;
export type Sequence = number;

/** ProducerStateEntry.NUM_BATCHES_TO_RETAIN: the leader remembers the last 5 batches per producer. */
export const NUM_BATCHES_TO_RETAIN = 5;
/** RecordBatch.NO_PRODUCER_EPOCH: "no producer state on this partition". */
export const NO_PRODUCER_EPOCH = -1;
/** Sequences are int32 and wrap to 0 past Integer.MAX_VALUE (DefaultRecordBatch.incrementSequence). */
export const INT32_MAX = 2147483647;
/** TransactionMetadata.isEpochExhausted: epoch >= Short.MAX_VALUE - 1 rotates the producer id. */
export const EPOCH_EXHAUSTED = 32766;

/** Kafka error names as the wire protocol spells them ('NONE' is success). */
export type KafkaError =
  | 'NONE'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'INVALID_PRODUCER_EPOCH'
  | 'INVALID_TXN_STATE'
  | 'TRANSACTION_ABORTABLE'
  | 'CONCURRENT_TRANSACTIONS'
  | 'PRODUCER_FENCED'
  | 'INVALID_PRODUCER_ID_MAPPING'
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'NOT_COORDINATOR'
  | 'COORDINATOR_NOT_AVAILABLE'
  | 'TRANSACTION_COORDINATOR_FENCED'
  | 'NOT_ENOUGH_REPLICAS'
  | 'REQUEST_TIMED_OUT';

/** kafkajs' `retriable` flag (src/protocol/error.js) for the errors the model can produce. */
export const KAFKAJS_RETRIABLE: ReadonlySet<KafkaError> = new Set<KafkaError>([
  'CONCURRENT_TRANSACTIONS', // retriable: true in kafkajs although the protocol docs say false (kafkajs PR #223)
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_ENOUGH_REPLICAS',
  'REQUEST_TIMED_OUT',
]);

/** A transaction participant: a data partition `p<key>` or a group's `__consumer_offsets` partition `g:<groupId>`. */
export type TxnPartition = string;
export const dataPartition = (key: Key): TxnPartition => `p${key}`;
export const groupPartition = (groupId: string): TxnPartition => `g:${groupId}`;
export const keyOfPartition = (p: TxnPartition): Key | null => (p.startsWith('p') ? Number(p.slice(1)) : null);

/** BatchMetadata: what the leader keeps of a recent batch for duplicate detection. */
export interface BatchMetadata {
  firstSeq: Sequence;
  lastSeq: Sequence;
  firstOffset: Offset;
  lastOffset: Offset;
}

/** ProducerStateEntry: per (partition, producerId) state on the partition leader. */
export interface ProducerStateEntry {
  producerId: ProducerId;
  producerEpoch: ProducerEpoch;
  batches: BatchMetadata[];
  coordinatorEpoch: number;
  currentTxnFirstOffset: Offset | null;
}

/** One entry of a partition log: a record (one-record batch) or a control marker. Each takes one offset. */
export type LogEntry =
  | {
      kind: 'record';
      offset: Offset;
      value: Value;
      producerId: ProducerId;
      producerEpoch: ProducerEpoch;
      sequence: Sequence;
      transactional: boolean;
    }
  | {
      kind: 'marker';
      offset: Offset;
      producerId: ProducerId;
      producerEpoch: ProducerEpoch;
      commit: boolean;
      coordinatorEpoch: number;
    };

/** An AbortedTxn index entry (TransactionIndex / AbortedTxn.json). */
export interface AbortedTxn {
  producerId: ProducerId;
  firstOffset: Offset;
  lastOffset: Offset;
}

/** Kafka's TransactionState, all eight of them (TransactionState.java). */
export type TxnState =
  | 'Empty'
  | 'Ongoing'
  | 'PrepareCommit'
  | 'PrepareAbort'
  | 'CompleteCommit'
  | 'CompleteAbort'
  | 'PrepareEpochFence'
  | 'Dead';

export const TXN_STATES: readonly TxnState[] = [
  'Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'PrepareEpochFence', 'Dead',
];

/** A transactional batch produced to a partition: always one record, so firstSeq == lastSeq. */
export interface ProduceRequest {
  producerId: ProducerId;
  producerEpoch: ProducerEpoch;
  sequence: Sequence;
  value: Value;
  transactional: boolean;
}

export const incrementSequence = (seq: Sequence, delta: number): Sequence =>
  seq > INT32_MAX - delta ? delta - (INT32_MAX - seq) - 1 : seq + delta;

/** ProducerAppendInfo.inSequence: next follows last, wrapping past Integer.MAX_VALUE. */
export const inSequence = (lastSeq: Sequence, nextSeq: Sequence): boolean =>
  nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
