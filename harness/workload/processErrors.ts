// Which errors end a client process, shared by both runners so that the model and Kafka retire
// processes on the same answers (workload README, "Rules for runners").

/** The producer was fenced by a newer instance of its transactional id. */
export const FENCED_ERROR = /PRODUCER_FENCED|INVALID_PRODUCER_EPOCH|TRANSACTION_COORDINATOR_FENCED/;

/**
 * Errors after which Jepsen tears the producer down (research/jepsen.md 1.4); kafkajs has no abortable
 * or fatal states to recover from, and says "already an ongoing transaction" when it is stuck.
 */
export const END_PROCESS_ERROR =
  /PRODUCER_FENCED|INVALID_PRODUCER_EPOCH|OUT_OF_ORDER_SEQUENCE_NUMBER|INVALID_PRODUCER_ID_MAPPING|Transaction state exception|already an ongoing transaction/;
