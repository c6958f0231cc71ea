// Error classes: what the conformance replay compares when Kafka and the model both refuse a request.
// Exact error names differ for reasons that say nothing about exactly-once (kafkajs wraps retried errors,
// KafkaApis downgrades PRODUCER_FENCED for old request versions, a lost connection has no name at all), so
// the replay compares the class, the thing an application reacts to: fenced, busy, out of order, ...
// Histories spell errors `NAME: message`, prefixed by the stage that failed (`sendOffsets: `, `commit: `):
// kafkajs (harness/kafka-runner/errors.ts) and franz-go (drivers/franz-go/classify.go: kerr's own
// `INVALID_PRODUCER_EPOCH: ...`, or a Go network error) name Kafka's error codes; the Java client
// (drivers/java/src/kafkaeos/Errors.java) names its exception class (`InvalidProducerEpochException: ...`).
// The model answers bare Kafka error names or kafkajs' state message.

export type ErrorClass =
  /** A newer epoch exists: INVALID_PRODUCER_EPOCH, PRODUCER_FENCED (fencing, a transaction timeout). */
  | 'fenced'
  /** The coordinator is busy with this transactional id: CONCURRENT_TRANSACTIONS. */
  | 'concurrent'
  | 'out-of-order'
  /** The request does not fit the transaction's state: INVALID_TXN_STATE, INVALID_PRODUCER_ID_MAPPING, TRANSACTION_ABORTABLE. */
  | 'txn-state'
  /** The client library refused the call in its own state (kafkajs' "Transaction state exception"). */
  | 'client-state'
  /** No answer, or a broker that could not serve: connections, timeouts, leadership and coordinator moves. */
  | 'unavailable'
  /** The history's own abort ("aborted on purpose"): not an error. */
  | 'deliberate'
  | 'unknown';

const BY_NAME: Record<string, ErrorClass> = {
  INVALID_PRODUCER_EPOCH: 'fenced',
  PRODUCER_FENCED: 'fenced',
  CONCURRENT_TRANSACTIONS: 'concurrent',
  OUT_OF_ORDER_SEQUENCE_NUMBER: 'out-of-order',
  INVALID_TXN_STATE: 'txn-state',
  INVALID_PRODUCER_ID_MAPPING: 'txn-state',
  TRANSACTION_ABORTABLE: 'txn-state',
  TRANSACTION_COORDINATOR_FENCED: 'unavailable',
  NOT_LEADER_OR_FOLLOWER: 'unavailable',
  NOT_LEADER_FOR_PARTITION: 'unavailable',
  LEADER_NOT_AVAILABLE: 'unavailable',
  NOT_COORDINATOR: 'unavailable',
  NOT_COORDINATOR_FOR_GROUP: 'unavailable',
  COORDINATOR_NOT_AVAILABLE: 'unavailable',
  GROUP_COORDINATOR_NOT_AVAILABLE: 'unavailable',
  COORDINATOR_LOAD_IN_PROGRESS: 'unavailable',
  GROUP_LOAD_IN_PROGRESS: 'unavailable',
  NOT_ENOUGH_REPLICAS: 'unavailable',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 'unavailable',
  REQUEST_TIMED_OUT: 'unavailable',
  NETWORK_EXCEPTION: 'unavailable',
  UNKNOWN_TOPIC_OR_PARTITION: 'unavailable',
  KAFKA_STORAGE_ERROR: 'unavailable',
};

/** The Java client's exceptions (org.apache.kafka.common.errors), as drivers/java reports them. */
const BY_EXCEPTION: Record<string, ErrorClass> = {
  ProducerFencedException: 'fenced',
  InvalidProducerEpochException: 'fenced',
  ConcurrentTransactionsException: 'concurrent',
  OutOfOrderSequenceException: 'out-of-order',
  InvalidTxnStateException: 'txn-state',
  InvalidPidMappingException: 'txn-state',
  TransactionAbortableException: 'txn-state',
  TransactionCoordinatorFencedException: 'unavailable',
  TimeoutException: 'unavailable',
  NotLeaderOrFollowerException: 'unavailable',
  LeaderNotAvailableException: 'unavailable',
  NotCoordinatorException: 'unavailable',
  CoordinatorNotAvailableException: 'unavailable',
  CoordinatorLoadInProgressException: 'unavailable',
  NotEnoughReplicasException: 'unavailable',
  NotEnoughReplicasAfterAppendException: 'unavailable',
  NetworkException: 'unavailable',
  DisconnectException: 'unavailable',
  UnknownTopicOrPartitionException: 'unavailable',
  KafkaStorageException: 'unavailable',
  // The client refused the call in its own state: "Cannot execute transactional method because we are in an
  // error state", "Invalid transition attempted from state ...", a method called out of turn.
  IllegalStateException: 'client-state',
};

/** kafkajs' messages for the errors above, for wrappers that lost the name (KafkaJSNumberOfRetriesExceeded: ...). */
const BY_MESSAGE: Array<[RegExp, ErrorClass]> = [
  [/old epoch|newer producer|fences the current one/i, 'fenced'],
  [/another concurrent operation on the same transaction/i, 'concurrent'],
  [/out of order sequence/i, 'out-of-order'],
  [/Transaction state exception|Cannot call "|we are in an error state|Invalid transition attempted/, 'client-state'],
  // franz-go's own: a dial or a connection that broke, a context deadline (drivers/franz-go classify.go).
  [/unable to dial|broker closed the connection|connection reset|broken pipe|i\/o timeout|context deadline exceeded|EOF$/, 'unavailable'],
  [/^timeout: |Connection error|Closed connection|ECONNRE|ETIMEDOUT|connect timeout|fetch timeout|Request timed out|not the leader|no leader|coordinator is (loading|not available)|Broker not connected|KafkaJSConnection/i, 'unavailable'],
];

/** Stages: the runner's and the drivers' (Java `initTransactions`, `beginTransaction`; franz-go `InitProducerID`,
 *  `BeginTransaction`, `OffsetFetch`). */
const STAGE = /^(sendOffsets|commit|initProducer|abort|initTransactions|beginTransaction|InitProducerID|BeginTransaction|OffsetFetch): /;

/** The error without the stage it happened in. */
export const withoutStage = (error: string): string => error.replace(STAGE, '');

/** The stage a history error names (`sendOffsets`, `commit`, ...), if any. */
export const stageOf = (error: string): string | null => STAGE.exec(error)?.[1] ?? null;

/** The class of an error as a history records it, or as the model answers it. */
export function errorClass(error: string | undefined): ErrorClass {
  if (error === undefined || error === '') return 'unknown';
  const text = error.replace(STAGE, '');
  if (text === 'aborted on purpose') return 'deliberate';
  const name = /^([A-Z][A-Z_]+)(?::|$)/.exec(text)?.[1];
  if (name !== undefined && BY_NAME[name] !== undefined) return BY_NAME[name];
  const exception = /^([A-Z][A-Za-z]+(?:Exception|Error)):/.exec(text)?.[1];
  if (exception !== undefined && BY_EXCEPTION[exception] !== undefined) return BY_EXCEPTION[exception];
  for (const [pattern, cls] of BY_MESSAGE) if (pattern.test(text)) return cls;
  return 'unknown';
}

/**
 * Whether an error the history records can be held to the model for the client that answered it. The Java
 * client's commitTransaction throws the first fatal error any request of the transaction got
 * (TransactionManager.fatalError; the commit's result fails with it): an INVALID_TXN_STATE there may be a
 * produce's, from the leader's partition verification (KIP-890: ReplicaManager's "Partition was not added to
 * the transaction"), which the model does not give. Where it came from is not in the history.
 */
export function isJudgedError(error: string, cls: ErrorClass, client: 'kafkajs' | 'java' | undefined): boolean {
  if (!isJudgedClass(cls)) return false;
  return !(client === 'java' && cls === 'txn-state' && stageOf(error) === 'commit');
}

/** Classes the replay can hold the model to: the others (no answer, unknown names) explain themselves. */
export const isJudgedClass = (c: ErrorClass): boolean =>
  c === 'fenced' || c === 'concurrent' || c === 'out-of-order' || c === 'txn-state';
