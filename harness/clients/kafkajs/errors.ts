// Classifying kafkajs errors as Jepsen does (research/jepsen.md 1.4): `fail` only when the request
// definitely did not take effect, `info` whenever it might have. When unsure, `info`: a wrong `fail`
// makes the checker cry wolf (a write it was told never happened shows up), a wrong `info` only costs
// precision.
import { END_PROCESS_ERROR, FENCED_ERROR } from '../../workload/processErrors.ts';

export interface Classified {
  type: 'fail' | 'info';
  /** Readable, with the Kafka error name when there is one: `NOT_LEADER_OR_FOLLOWER: ...`. */
  error: string;
  /** The producer must be torn down (Jepsen's :end-process?), even when the op is a definite `fail`. */
  endProcess: boolean;
  /** Fenced by a newer instance of its transactional id. */
  fenced: boolean;
}

/** Kafka errors after which the request is known not to have been applied. */
const DEFINITE = new Set([
  'INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_TOPIC_EXCEPTION', 'UNKNOWN_TOPIC_OR_PARTITION',
  'NOT_CONTROLLER', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'INVALID_TXN_STATE', 'CONCURRENT_TRANSACTIONS', 'INVALID_PRODUCER_ID_MAPPING', 'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED', 'INVALID_RECORD', 'RECORD_LIST_TOO_LARGE', 'MESSAGE_TOO_LARGE',
]);

interface KafkaJsErrorLike {
  name?: string;
  message?: string;
  type?: string;
  retriable?: boolean;
  originalError?: unknown;
  cause?: unknown;
}

/** The innermost Kafka protocol error type, e.g. `NOT_LEADER_OR_FOLLOWER`, if any. */
export function kafkaErrorType(error: unknown): string | undefined {
  let e = error as KafkaJsErrorLike | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.type === 'string') return e.type;
    e = (e.originalError ?? e.cause) as KafkaJsErrorLike | undefined;
  }
  return undefined;
}

export function describeError(error: unknown): string {
  const e = error as KafkaJsErrorLike;
  const type = kafkaErrorType(error);
  const message = (e?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
  return type && !message.includes(type) ? `${type}: ${message}` : `${e?.name ?? 'Error'}: ${message}`;
}

/**
 * `retriesExhausted` errors are ambiguous even when the last attempt's error was definite: an earlier
 * attempt may have timed out after the broker appended. Only a first-and-only definite answer is `fail`.
 */
export function classify(error: unknown): Classified {
  const text = describeError(error);
  const type = kafkaErrorType(error);
  const e = error as KafkaJsErrorLike;
  const retried = e?.name === 'KafkaJSNumberOfRetriesExceeded';
  const definite = (!retried && type !== undefined && DEFINITE.has(type)) || /Transaction state exception/.test(text);
  return { type: definite ? 'fail' : 'info', error: text, endProcess: !definite || END_PROCESS_ERROR.test(text), fenced: FENCED_ERROR.test(text) };
}

/** The error for an op that ran out of time: always ambiguous. */
export function timeoutError(ms: number, what: string): Classified {
  return { type: 'info', error: `timeout: ${what} took longer than ${ms} ms`, endProcess: true, fenced: false };
}
