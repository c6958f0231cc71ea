package kafkaeos;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Classifies the Java client's exceptions as Jepsen's Kafka client does (jepsen-io/redpanda
 * queue.clj with-errors): `fail` only when the request definitely did not take effect, `info` whenever
 * it might have. By class name, walking the cause chain, so that one source compiles against every
 * kafka-clients version (some classes exist only in some versions).
 */
final class Errors {
  /** The request was refused, or never sent: nothing of it can take effect. */
  private static final Set<String> DEFINITE = Set.of(
      "ProducerFencedException", "InvalidProducerEpochException", "TransactionCoordinatorFencedException",
      "OutOfOrderSequenceException", "InvalidPidMappingException", "UnknownProducerIdException",
      "InvalidTopicException", "UnknownTopicOrPartitionException", "NotControllerException",
      "InvalidTxnStateException", "ConcurrentTransactionsException", "TransactionAbortedException",
      "TopicAuthorizationException", "GroupAuthorizationException", "TransactionalIdAuthorizationException",
      "ClusterAuthorizationException", "AuthorizationException", "RecordTooLargeException",
      "RecordBatchTooLargeException", "InvalidRecordException", "SerializationException",
      "IllegalStateException", "IllegalGenerationException", "UnknownMemberIdException",
      "RebalanceInProgressException", "CommitFailedException", "FencedInstanceIdException",
      "InvalidTxnTimeoutException", "UnsupportedVersionException");
  /** After these the producer (or the whole process) cannot go on: Jepsen's :end-process?. */
  private static final Set<String> END_PROCESS = Set.of(
      "ProducerFencedException", "InvalidProducerEpochException", "TransactionCoordinatorFencedException",
      "OutOfOrderSequenceException", "InvalidPidMappingException", "UnknownProducerIdException",
      "TopicAuthorizationException", "GroupAuthorizationException", "TransactionalIdAuthorizationException",
      "ClusterAuthorizationException", "AuthorizationException", "IllegalStateException",
      "UnsupportedVersionException", "InvalidTxnStateException");
  private static final Set<String> FENCED = Set.of(
      "ProducerFencedException", "InvalidProducerEpochException", "TransactionCoordinatorFencedException");

  final String type;
  final String error;
  final boolean endProcess;
  final boolean fenced;

  private Errors(String type, String error, boolean endProcess, boolean fenced) {
    this.type = type;
    this.error = error;
    this.endProcess = endProcess;
    this.fenced = fenced;
  }

  static Errors classify(Throwable thrown) {
    Throwable e = unwrap(thrown);
    String name = e.getClass().getSimpleName();
    String message = String.valueOf(e.getMessage()).split("\n")[0];
    if (message.length() > 300) message = message.substring(0, 300);
    boolean definite = false, end = false, fenced = false;
    for (Throwable c = e; c != null; c = c.getCause()) {
      String n = c.getClass().getSimpleName();
      definite |= DEFINITE.contains(n);
      end |= END_PROCESS.contains(n);
      fenced |= FENCED.contains(n);
    }
    // "Cannot execute transactional method because we are in an error state": the method sent nothing.
    if (name.equals("KafkaException") && message.contains("error state")) {
      definite = true;
      end = true;
    }
    // A retriable error that outlived the client's retries may hide an earlier attempt that was
    // appended (a timeout, NOT_LEADER_OR_FOLLOWER: KAFKA-13574): never definite.
    if (isRetriable(e)) definite = false;
    String type = definite ? "fail" : "info";
    return new Errors(type, name + ": " + message, end || !definite, fenced);
  }

  static Errors of(String type, String error, boolean endProcess) {
    return new Errors(type, error, endProcess, false);
  }

  static Errors timeout(String what, long ms) {
    return new Errors("info", "timeout: " + what + " took longer than " + ms + " ms", true, false);
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) e = e.getCause();
    return e;
  }

  private static boolean isRetriable(Throwable e) {
    for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getSimpleName().equals("RetriableException")) return true;
    }
    return false;
  }

  Errors withPrefix(String prefix) {
    return new Errors(type, prefix + error, endProcess, fenced);
  }

  Errors asType(String newType, boolean end) {
    return new Errors(newType, error, endProcess || end, fenced);
  }
}
