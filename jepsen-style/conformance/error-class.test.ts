// Error classes: the replay compares what an application reacts to (fenced, busy, out of order, ...), not
// the exact spelling, so every spelling a client or the model gives of one Kafka error must land in one class,
// and nothing else may. The spellings below are Kafka's error codes (the protocol's names, as the model,
// kafkajs and franz-go give them), the Java client's exception classes, and messages recorded in
// test/fixtures/runs/*/kafka/history.jsonl.
import { describe, expect, it } from 'vitest';
import { type ErrorClass, errorClass, isJudgedClass, isJudgedError, stageOf, withoutStage } from './error-class.ts';

/** Kafka's error codes (org.apache.kafka.common.protocol.Errors) and what a producer does about each. */
const KAFKA_ERRORS: Array<[string, ErrorClass]> = [
  // A newer epoch of the producer exists: fenced (KIP-588 makes a timed-out transaction bump it too).
  ['INVALID_PRODUCER_EPOCH', 'fenced'], ['PRODUCER_FENCED', 'fenced'],
  ['CONCURRENT_TRANSACTIONS', 'concurrent'],
  ['OUT_OF_ORDER_SEQUENCE_NUMBER', 'out-of-order'],
  ['INVALID_TXN_STATE', 'txn-state'], ['INVALID_PRODUCER_ID_MAPPING', 'txn-state'], ['TRANSACTION_ABORTABLE', 'txn-state'],
  // A coordinator or leader that moved or cannot serve yet: retriable, says nothing of the transaction.
  ['TRANSACTION_COORDINATOR_FENCED', 'unavailable'], ['NOT_LEADER_OR_FOLLOWER', 'unavailable'],
  ['NOT_LEADER_FOR_PARTITION', 'unavailable'], ['LEADER_NOT_AVAILABLE', 'unavailable'], ['NOT_COORDINATOR', 'unavailable'],
  ['NOT_COORDINATOR_FOR_GROUP', 'unavailable'], ['COORDINATOR_NOT_AVAILABLE', 'unavailable'],
  ['GROUP_COORDINATOR_NOT_AVAILABLE', 'unavailable'], ['COORDINATOR_LOAD_IN_PROGRESS', 'unavailable'],
  ['GROUP_LOAD_IN_PROGRESS', 'unavailable'], ['NOT_ENOUGH_REPLICAS', 'unavailable'],
  ['NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'unavailable'], ['REQUEST_TIMED_OUT', 'unavailable'],
  ['NETWORK_EXCEPTION', 'unavailable'], ['UNKNOWN_TOPIC_OR_PARTITION', 'unavailable'], ['KAFKA_STORAGE_ERROR', 'unavailable'],
];

/** The Java client's exceptions for the same errors (org.apache.kafka.common.errors), as drivers/java names them. */
const JAVA_EXCEPTIONS: Array<[string, ErrorClass]> = [
  ['ProducerFencedException', 'fenced'], ['InvalidProducerEpochException', 'fenced'],
  ['ConcurrentTransactionsException', 'concurrent'], ['OutOfOrderSequenceException', 'out-of-order'],
  ['InvalidTxnStateException', 'txn-state'], ['InvalidPidMappingException', 'txn-state'], ['TransactionAbortableException', 'txn-state'],
  ['TransactionCoordinatorFencedException', 'unavailable'], ['TimeoutException', 'unavailable'],
  ['NotLeaderOrFollowerException', 'unavailable'], ['LeaderNotAvailableException', 'unavailable'],
  ['NotCoordinatorException', 'unavailable'], ['CoordinatorNotAvailableException', 'unavailable'],
  ['CoordinatorLoadInProgressException', 'unavailable'], ['NotEnoughReplicasException', 'unavailable'],
  ['NotEnoughReplicasAfterAppendException', 'unavailable'], ['NetworkException', 'unavailable'],
  ['DisconnectException', 'unavailable'], ['UnknownTopicOrPartitionException', 'unavailable'],
  ['KafkaStorageException', 'unavailable'],
  // The client refused the call in its own state.
  ['IllegalStateException', 'client-state'],
];

/** The stages the runner and the drivers prefix to a failed step's error. */
const STAGES = ['sendOffsets', 'commit', 'initProducer', 'abort', 'initTransactions', 'beginTransaction', 'InitProducerID', 'BeginTransaction', 'OffsetFetch'];

describe('error classes', () => {
  it.each(KAFKA_ERRORS)('Kafka\'s %s is %s, bare (the model), with a message (kafkajs, franz-go) and after any stage', (name, cls) => {
    expect(errorClass(name)).toBe(cls);
    expect(errorClass(`${name}: The broker said so.`)).toBe(cls);
    for (const stage of STAGES) expect(errorClass(`${stage}: ${name}: The broker said so.`)).toBe(cls);
  });

  it.each(JAVA_EXCEPTIONS)('the Java client\'s %s is %s, after any stage', (exception, cls) => {
    expect(errorClass(`${exception}: The broker said so.`)).toBe(cls);
    for (const stage of STAGES) expect(errorClass(`${stage}: ${exception}: The broker said so.`)).toBe(cls);
  });

  it('takes a name only where it starts the error and ends at a colon or the end', () => {
    // kafkajs' wrapper loses the name; the message is what is left to class it by.
    expect(errorClass('KafkaJSNumberOfRetriesExceeded: Producer attempted an operation with an old epoch')).toBe('fenced');
    // A name quoted inside another error's text is not the error's name.
    expect(errorClass('crash while handling INVALID_TXN_STATE: gone')).toBe('unknown');
    // A name that merely starts like a listed one, or runs on without a colon, is not that one.
    expect(errorClass('PRODUCER_FENCED_TWICE: x')).toBe('unknown');
    expect(errorClass('NOT_COORDINATORS')).toBe('unknown');
    expect(errorClass('INVALID_PRODUCER_EPOCH and more')).toBe('unknown');
    // Kafka names have no lower-case letters; a sentence that starts with capitals is not one.
    expect(errorClass('CONCURRENT_TRANSACTIONs: x')).toBe('unknown');
    expect(errorClass('X: y')).toBe('unknown');
  });

  it('takes an exception class only where it starts the error and is followed by its message', () => {
    expect(errorClass('ProducerFencedException')).toBe('unknown');
    expect(errorClass('wrapped ProducerFencedException: x')).toBe('unknown');
    expect(errorClass('org.apache.kafka.common.errors.ProducerFencedException: x')).toBe('unknown');
    expect(errorClass('MyProducerFencedException: x')).toBe('unknown');
    // A Java error class (not an exception) of the list is looked up the same way; an unlisted one is unknown.
    expect(errorClass('OutOfMemoryError: Java heap space')).toBe('unknown');
    expect(errorClass('ProducerFencedExceptions: x')).toBe('unknown');
  });

  it.each([
    // kafkajs wraps retried errors and keeps only the message (KafkaJSNumberOfRetriesExceeded, KafkaJSNonRetriableError).
    ['KafkaJSNumberOfRetriesExceeded: Producer attempted an operation with an old epoch.', 'fenced'],
    ['KafkaJSNonRetriableError: There is a newer producer with the same transactionalId which fences the current one.', 'fenced'],
    ['KafkaJSNonRetriableError: the producer FENCES THE CURRENT ONE', 'fenced'],
    ['KafkaJSNumberOfRetriesExceeded: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing', 'concurrent'],
    ['KafkaJSNonRetriableError: The broker received an out of order sequence number', 'out-of-order'],
    ['KafkaJSNonRetriableError: OUT OF ORDER SEQUENCE', 'out-of-order'],
    // The model's and kafkajs' own refusals.
    ['Transaction state exception: Cannot call "send" in state "READY"', 'client-state'],
    ['KafkaJSError: Cannot call "commit" in state "ABORTING"', 'client-state'],
    ['KafkaException: Cannot execute transactional method because we are in an error state', 'client-state'],
    ['KafkaException: TransactionalId T: Invalid transition attempted from state READY to state COMMITTING_TRANSACTION', 'client-state'],
    // franz-go's network errors (drivers/franz-go/classify.go), as recorded.
    ['InitProducerID: unable to initialize a producer ID due to request failures: unable to dial: dial tcp 127.0.0.1:43117: connect: connection refused', 'unavailable'],
    ['broker closed the connection immediately during api versions negotiation, which often happens when the broker requires TLS', 'unavailable'],
    ['read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer', 'unavailable'],
    ['write tcp 127.0.0.1:1->127.0.0.1:2: write: broken pipe', 'unavailable'],
    ['read tcp 127.0.0.1:1->127.0.0.1:2: i/o timeout', 'unavailable'],
    ['commit: timeout: context deadline exceeded', 'unavailable'],
    ['OffsetFetch: unexpected EOF', 'unavailable'],
    // The runner's own timeouts and kafkajs' connection errors, as recorded.
    ['timeout: send took longer than 10000 ms', 'unavailable'],
    ['KafkaJSConnectionError: Connection error: read ECONNRESET', 'unavailable'],
    ['KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:44729', 'unavailable'],
    ['KafkaJSConnectionClosedError: Closed connection', 'unavailable'],
    ['KafkaJSNonRetriableError: closed connection', 'unavailable'],
    ['KafkaJSRequestTimeoutError: connection error: ETIMEDOUT', 'unavailable'],
    ['Error: connect timeout: no answer within 1100 ms', 'unavailable'],
    ['Error: fetch timeout: no answer within 1100 ms', 'unavailable'],
    ['KafkaJSRequestTimeoutError: Request timed out', 'unavailable'],
    ['KafkaJSProtocolError: This server is not the leader for that topic-partition', 'unavailable'],
    ['KafkaJSProtocolError: There is no leader for this topic-partition as we are in the middle of a leadership election', 'unavailable'],
    ['KafkaJSProtocolError: The coordinator is loading and hence can\'t process requests', 'unavailable'],
    ['KafkaJSProtocolError: The coordinator is not available', 'unavailable'],
    ['KafkaJSBrokerNotFound: Broker not connected', 'unavailable'],
    ['KafkaJSConnection refused', 'unavailable'],
  ] as const)('the message %s is %s', (error, cls) => expect(errorClass(error)).toBe(cls));

  it('takes franz-go\'s and the runner\'s network words only where they name the failure', () => {
    // "EOF" ends franz-go's error; an EOF inside a message does not make it a lost connection.
    expect(errorClass('EOF reached in the middle')).toBe('unknown');
    // The runner's timeouts start the error ("timeout: <op> took longer than ..."); a word in passing does not count.
    expect(errorClass('the request had a timeout: of sorts')).toBe('unknown');
    // Spelled in the client's own capitals: a lower-case "unable to dial" is franz-go's, an upper-case one is not.
    expect(errorClass('UNABLE TO DIAL: x')).toBe('unknown');
  });

  it('an error without a name or message the replay knows is unknown, and the history\'s own abort is deliberate', () => {
    expect(errorClass(undefined)).toBe('unknown');
    expect(errorClass('')).toBe('unknown');
    expect(errorClass('crash')).toBe('unknown');
    expect(errorClass('aborted on purpose')).toBe('deliberate');
    expect(errorClass('commit: aborted on purpose')).toBe('deliberate');
    expect(errorClass('aborted on purpose, twice')).toBe('unknown');
  });

  it('strips the stage a history error names, and only a known stage at the start', () => {
    for (const stage of STAGES) {
      expect(stageOf(`${stage}: x`)).toBe(stage);
      expect(withoutStage(`${stage}: CONCURRENT_TRANSACTIONS: busy`)).toBe('CONCURRENT_TRANSACTIONS: busy');
    }
    expect(stageOf('CONCURRENT_TRANSACTIONS: busy')).toBeNull();
    expect(stageOf('x commit: y')).toBeNull();
    expect(stageOf('commit:y')).toBeNull();
    expect(stageOf('recommit: y')).toBeNull();
    expect(withoutStage('x commit: y')).toBe('x commit: y');
    expect(errorClass('x sendOffsets: CONCURRENT_TRANSACTIONS: busy')).toBe('unknown');
    expect(errorClass('sendOffsetsToTransaction: CONCURRENT_TRANSACTIONS: busy')).toBe('unknown');
  });

  it('holds the model to fenced, busy, out-of-order and transaction-state answers only', () => {
    const judged: ErrorClass[] = ['fenced', 'concurrent', 'out-of-order', 'txn-state'];
    const unjudged: ErrorClass[] = ['client-state', 'unavailable', 'deliberate', 'unknown'];
    for (const c of judged) expect(isJudgedClass(c)).toBe(true);
    for (const c of unjudged) expect(isJudgedClass(c)).toBe(false);
    for (const c of unjudged) expect(isJudgedError('commit: x', c, 'kafkajs')).toBe(false);
  });

  it('does not hold a Java commit\'s transaction-state error to the model: it may be any request\'s (KIP-890 verification)', () => {
    expect(isJudgedError('commit: InvalidTxnStateException: x', 'txn-state', 'java')).toBe(false);
    // The same class at another stage, or from another client, or another class at the commit, is judged.
    expect(isJudgedError('sendOffsets: InvalidTxnStateException: x', 'txn-state', 'java')).toBe(true);
    expect(isJudgedError('commit: INVALID_TXN_STATE: x', 'txn-state', 'kafkajs')).toBe(true);
    expect(isJudgedError('commit: INVALID_TXN_STATE: x', 'txn-state', undefined)).toBe(true);
    expect(isJudgedError('commit: ProducerFencedException: x', 'fenced', 'java')).toBe(true);
    expect(isJudgedError('commit: OutOfOrderSequenceException: x', 'out-of-order', 'java')).toBe(true);
  });
});
