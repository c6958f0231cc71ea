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
import { type TxnVersion, KAFKAJS_RETRIABLE } from './types.ts';
import {
  type Ev, type ProducerContext, type ProducerEvent, adoptEndTxnEpoch, adoptProducerId, advanceSequence, errorOf, holdOffsets,
  initialContext, prepareBatch,
} from './producer.shared.ts';

/** kafkajs `retry.retries` default: 5 retries after the first attempt. (An idempotent kafkajs producer raises it to
 *  MAX_SAFE_INTEGER; the model keeps 5, standing for the operation timeout after which a runner gives up.) */
export const MAX_RETRIES = 5;

export type { InFlight, ProducerContext, ProducerEvent } from './producer.shared.ts';

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
    adoptProducerId: assign(adoptProducerId),
    prepareBatch: assign(prepareBatch),
    markPartitionAdded: assign({ txnKeys: ({ context }) => [...context.txnKeys, context.inFlight!.key] }),
    /** Success advances the sequence; on failure kafkajs rolls it back (updateSequence(-n)), so it stays. */
    advanceSequence: assign(advanceSequence),
    dropBatch: assign({ inFlight: null }),
    markOffsetsAdded: assign({ offsetsAdded: true }),
    holdOffsets: assign(holdOffsets),
    clearTxn: assign({ txnKeys: [], offsetsAdded: false }),
    /** TV2: EndTxn answers with the bumped epoch; a new epoch restarts every sequence at 0. */
    adoptEndTxnEpoch: assign(adoptEndTxnEpoch),
  },
}).createMachine({
  id: 'producer',
  context: ({ input }) => initialContext(input),
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
