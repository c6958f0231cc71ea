// The producer client as kafkajs 2.2.4 implements it (src/producer/eosManager): idempotent sequences per
// partition, the UNINITIALIZED → READY ⇄ TRANSACTING → COMMITTING|ABORTING machine, and its retry rules.
// Where kafkajs differs from the Java client the model follows kafkajs (see model/README.md):
// - no ABORTABLE_ERROR / FATAL_ERROR states: an EndTxn that fails (any error, including a timeout) leaves the
//   producer in COMMITTING/ABORTING, where every call fails until InitProducerId runs again (kafkajs #1275);
// - no epoch bump on OUT_OF_ORDER_SEQUENCE / INVALID_PRODUCER_EPOCH (no KIP-360): they are just non-retriable;
// - EndTxn, AddPartitionsToTxn and AddOffsetsToTxn run once; Produce, InitProducerId and TxnOffsetCommit retry
//   retriable errors (and timeouts), rolling the sequence back and resending the same sequence.
// With txnVersion 2 the client behaves like a KIP-890 client instead: no AddPartitionsToTxn/AddOffsetsToTxn,
// and EndTxn's answer carries the bumped epoch, which the client adopts while restarting its sequences.
import { assign, setup } from 'xstate';
import { type KafkaError, type Key, type TxnVersion, KAFKAJS_RETRIABLE, incrementSequence } from './types.ts';

/** kafkajs `retry.retries` default: 5 retries after the first attempt. (An idempotent kafkajs producer raises it to
 *  MAX_SAFE_INTEGER; the model keeps 5, standing for the operation timeout after which a runner gives up.) */
export const MAX_RETRIES = 5;

export interface InFlight { key: Key; value: number; sequence: number; attempts: number }

export interface ProducerContext {
  clientId: string;
  transactionalId: string | null;
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
}

/** A broker's answer as the client sees it; a lost request or response arrives as REQUEST_TIMED_OUT. */
export interface Answer { error: KafkaError }

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

type Ev<T extends ProducerEvent['type']> = Extract<ProducerEvent, { type: T }>;
const errorOf = (e: ProducerEvent): KafkaError => (e as { error: KafkaError }).error;

export const producerMachine = setup({
  types: {
    context: {} as ProducerContext,
    events: {} as ProducerEvent,
    input: {} as { clientId: string; transactionalId: string | null; txnVersion: TxnVersion },
  },
  guards: {
    isTransactional: ({ context }) => context.transactionalId !== null,
    isIdempotentOnly: ({ context }) => context.transactionalId === null,
    succeeded: ({ event }) => errorOf(event) === 'NONE',
    /** kafkajs retrier: a retriable error (or a timeout) with retries left. */
    canRetry: ({ context, event }) => KAFKAJS_RETRIABLE.has(errorOf(event)) && context.attempts < MAX_RETRIES,
    /** TV1: a partition must be added with AddPartitionsToTxn before the first send to it. */
    needsAddPartitions: ({ context, event }) =>
      context.txnVersion === 1 && !context.txnKeys.includes((event as Ev<'producer.send'>).key),
    needsAddOffsets: ({ context }) => context.txnVersion === 1,
    /** eosManager.isOngoing(): kafkajs sends no EndTxn when nothing was added (fixed in 2.1.0, PR #1388). */
    nothingToEnd: ({ context }) => context.txnKeys.length === 0 && !context.offsetsAdded,
  },
  actions: {
    startAttempts: assign({ attempts: 0, lastError: null, lastOffset: null }),
    countAttempt: assign({ attempts: ({ context }) => context.attempts + 1 }),
    recordError: assign({ lastError: ({ event }) => errorOf(event) }),
    /** The producer id and epoch replace everything; sequences restart (eosManager.initProducerId). */
    adoptProducerId: assign(({ event }) => {
      const e = event as Ev<'producer.initProducerIdAnswer'>;
      return { producerId: e.producerId, producerEpoch: e.producerEpoch, nextSequence: {}, txnKeys: [], offsetsAdded: false };
    }),
    prepareBatch: assign(({ context, event }) => {
      const e = event as Ev<'producer.send'>;
      return { inFlight: { key: e.key, value: e.value, sequence: context.nextSequence[e.key] ?? 0, attempts: 0 } };
    }),
    markPartitionAdded: assign({ txnKeys: ({ context }) => [...context.txnKeys, context.inFlight!.key] }),
    /** Success advances the sequence; on failure kafkajs rolls it back (updateSequence(-n)), so it stays. */
    advanceSequence: assign(({ context, event }) => {
      const b = context.inFlight!;
      return {
        nextSequence: { ...context.nextSequence, [b.key]: incrementSequence(b.sequence, 1) },
        // TV2 adds partitions implicitly; the client still remembers them (isOngoing()).
        txnKeys: context.transactionalId === null || context.txnKeys.includes(b.key) ? context.txnKeys : [...context.txnKeys, b.key],
        lastOffset: (event as Ev<'producer.produceAnswer'>).offset, inFlight: null,
      };
    }),
    dropBatch: assign({ inFlight: null }),
    markOffsetsAdded: assign({ offsetsAdded: true }),
    holdOffsets: assign({ pendingOffsets: ({ event }) => {
      const e = event as Ev<'producer.sendOffsets'>;
      return { groupId: e.groupId, offsets: e.offsets };
    } }),
    clearTxn: assign({ txnKeys: [], offsetsAdded: false }),
    /** TV2: EndTxn answers with the bumped epoch; a new epoch restarts every sequence at 0. */
    adoptEndTxnEpoch: assign(({ context, event }) => {
      const e = event as Ev<'producer.endTxnAnswer'>;
      if (context.txnVersion === 1) return {};
      return { producerId: e.producerId, producerEpoch: e.producerEpoch, nextSequence: {} };
    }),
  },
}).createMachine({
  id: 'producer',
  context: ({ input }) => ({
    clientId: input.clientId, transactionalId: input.transactionalId, txnVersion: input.txnVersion,
    producerId: -1, producerEpoch: -1, nextSequence: {}, txnKeys: [], offsetsAdded: false, inFlight: null, pendingOffsets: null,
    attempts: 0, lastError: null, lastOffset: null,
  }),
  initial: 'uninitialized',
  on: { 'producer.crash': '.crashed' },
  states: {
    uninitialized: { on: { 'producer.initProducerId': { target: 'initializing', actions: 'startAttempts' } } },
    initializing: {
      on: {
        'producer.initProducerIdAnswer': [
          { guard: 'succeeded', target: 'ready', actions: 'adoptProducerId' },
          { guard: 'canRetry', target: 'initializing', actions: 'countAttempt' },
          { target: 'uninitialized', actions: 'recordError' },
        ],
      },
    },
    ready: {
      on: {
        'producer.send': { guard: 'isIdempotentOnly', target: 'sending', actions: ['startAttempts', 'prepareBatch'] },
        'producer.beginTxn': { guard: 'isTransactional', target: 'transacting', actions: ['startAttempts', 'clearTxn'] },
        'producer.initProducerId': { target: 'initializing', actions: 'startAttempts' },
      },
    },
    sending: {
      on: {
        'producer.produceAnswer': [
          { guard: 'succeeded', target: 'ready', actions: 'advanceSequence' },
          { guard: 'canRetry', target: 'sending', actions: 'countAttempt' },
          { target: 'ready', actions: ['recordError', 'dropBatch'] },
        ],
      },
    },
    transacting: {
      initial: 'idle',
      states: {
        idle: {
          on: {
            'producer.send': [
              { guard: 'needsAddPartitions', target: 'addingPartitions', actions: ['startAttempts', 'prepareBatch'] },
              { target: 'producing', actions: ['startAttempts', 'prepareBatch'] },
            ],
            'producer.sendOffsets': [
              { guard: 'needsAddOffsets', target: 'addingOffsets', actions: ['startAttempts', 'holdOffsets'] },
              { target: 'committingOffsets', actions: ['startAttempts', 'holdOffsets'] },
            ],
            'producer.commit': [
              { guard: 'nothingToEnd', target: '#producer.ready', actions: 'startAttempts' },
              { target: '#producer.committing', actions: 'startAttempts' },
            ],
            'producer.abort': [
              { guard: 'nothingToEnd', target: '#producer.ready', actions: 'startAttempts' },
              { target: '#producer.aborting', actions: 'startAttempts' },
            ],
          },
        },
        addingPartitions: {
          on: {
            'producer.addPartitionsAnswer': [
              { guard: 'succeeded', target: 'producing', actions: 'markPartitionAdded' },
              // sendMessages calls addPartitionsToTransaction inside its retrier (kafkajs #1315).
              { guard: 'canRetry', target: 'addingPartitions', actions: 'countAttempt' },
              { target: 'idle', actions: ['recordError', 'dropBatch'] },
            ],
          },
        },
        producing: {
          on: {
            'producer.produceAnswer': [
              { guard: 'succeeded', target: 'idle', actions: 'advanceSequence' },
              { guard: 'canRetry', target: 'producing', actions: 'countAttempt' },
              { target: 'idle', actions: ['recordError', 'dropBatch'] },
            ],
          },
        },
        addingOffsets: {
          on: {
            'producer.addOffsetsAnswer': [
              { guard: 'succeeded', target: 'committingOffsets', actions: 'markOffsetsAdded' },
              { target: 'idle', actions: 'recordError' },
            ],
          },
        },
        committingOffsets: {
          on: {
            'producer.txnOffsetCommitAnswer': [
              { guard: 'succeeded', target: 'idle', actions: 'markOffsetsAdded' },
              { guard: 'canRetry', target: 'committingOffsets', actions: 'countAttempt' },
              { target: 'idle', actions: 'recordError' },
            ],
          },
        },
      },
    },
    // kafkajs leaves these states only on success: a failed EndTxn strands the producer here (#1275, #1282)
    // until the application calls InitProducerId again (producer.connect()).
    committing: endingState(),
    aborting: endingState(),
    crashed: { type: 'final' },
  },
});

function endingState() {
  return {
    on: {
      'producer.endTxnAnswer': [
        { guard: 'succeeded', target: 'ready', actions: ['adoptEndTxnEpoch', 'clearTxn'] },
        { actions: 'recordError' },
      ],
      'producer.initProducerId': { target: 'initializing', actions: 'startAttempts' },
    },
  } as const;
}
