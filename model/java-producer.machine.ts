// The producer client as the Java client 4.x implements it (clients/.../producer/internals/TransactionManager,
// Sender; research §1.3, §2.12): the transaction manager's states, its retries and its error classes.
// Against kafkajs (producer.machine.ts) it differs where exactly-once bugs live:
// - EndTxn is retried on timeouts and retriable errors (CONCURRENT_TRANSACTIONS included), so a commit whose
//   answer was lost is sent again: the copy that was lost may still land (KAFKA-17754 under TV1);
// - under TV2 the EndTxn v5 answer carries the bumped epoch, which the client adopts, restarting sequences;
// - errors are abortable (ABORTABLE_ERROR: the application must abort; INVALID_PRODUCER_EPOCH on produce,
//   OUT_OF_ORDER_SEQUENCE_NUMBER, TRANSACTION_ABORTABLE, a batch that ran out of retries) or fatal
//   (FATAL_ERROR: PRODUCER_FENCED, fenced EndTxn/AddPartitions, INVALID_TXN_STATE on EndTxn);
// - KIP-360: after an abort that followed a lost or out-of-order batch, a TV1 producer bumps its epoch with
//   InitProducerId(expected pid, epoch); an idempotent producer bumps its epoch itself when a batch is lost.
// A batch whose answer is lost or delayed stays outstanding and is retried with its sequence (up to five
// batches per partition may be in flight: the broker's duplicate window); the synchronous simulation has at
// most one, the explorer interleaves them.
import { assign, setup } from 'xstate';
import { MAX_RETRIES } from './producer.machine.ts';
import {
  type Ev, type ProducerContext, type ProducerEvent, adoptEndTxnEpoch, adoptProducerId, advanceSequence, errorOf, holdOffsets,
  initialContext, prepareBatch,
} from './producer.shared.ts';
import { type KafkaError, type TxnVersion, KAFKAJS_RETRIABLE } from './types.ts';

/** Fatal on the Java client (maybeTransitionToErrorState, EndTxnHandler): the producer can only be closed. */
const FATAL: ReadonlySet<KafkaError> = new Set<KafkaError>(['PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING', 'TRANSACTION_COORDINATOR_FENCED']);
/** Coordinator requests answered INVALID_PRODUCER_EPOCH are fenced too (only produce answers it as abortable). */
const FATAL_ON_COORDINATOR: ReadonlySet<KafkaError> = new Set<KafkaError>([...FATAL, 'INVALID_PRODUCER_EPOCH', 'INVALID_TXN_STATE']);

export const javaProducerMachine = setup({
  types: {
    context: {} as ProducerContext,
    events: {} as ProducerEvent,
    input: {} as { clientId: string; transactionalId: string | null; txnVersion: TxnVersion },
  },
  guards: {
    isTransactional: ({ context }) => context.transactionalId !== null,
    isIdempotentOnly: ({ context }) => context.transactionalId === null,
    succeeded: ({ event }) => errorOf(event) === 'NONE',
    canRetry: ({ context, event }) => KAFKAJS_RETRIABLE.has(errorOf(event)) && context.attempts < MAX_RETRIES,
    isFatal: ({ event }) => FATAL.has(errorOf(event)),
    isFatalOnCoordinator: ({ event }) => FATAL_ON_COORDINATOR.has(errorOf(event)),
    needsAddPartitions: ({ context, event }) => context.txnVersion === 1 && !context.txnKeys.includes((event as Ev<'producer.send'>).key),
    needsAddOffsets: ({ context }) => context.txnVersion === 1,
    /** transactionStarted == false: nothing was sent, so commit and abort complete locally (no EndTxn). */
    nothingToEnd: ({ context }) => context.txnKeys.length === 0 && !context.offsetsAdded,
    /** TV1 bumps the epoch with InitProducerId after such an abort; TV2's EndTxn already did. */
    succeededNeedingBump: ({ context, event }) => errorOf(event) === 'NONE' && context.txnVersion === 1 && context.epochBumpRequired === true,
    isRetriable: ({ event }) => KAFKAJS_RETRIABLE.has(errorOf(event)),
  },
  actions: {
    startAttempts: assign({ attempts: 0, lastError: null, lastOffset: null }),
    countAttempt: assign({ attempts: ({ context }) => context.attempts + 1 }),
    recordError: assign({ lastError: ({ event }) => errorOf(event) }),
    adoptProducerId: assign(adoptProducerId),
    prepareBatch: assign(prepareBatch),
    /** maybeAddPartition: the partition is in the transaction from the moment the client asks (transactionStarted). */
    markPartitionAdded: assign({ txnKeys: ({ context }) => (context.txnKeys.includes(context.inFlight!.key) ? context.txnKeys : [...context.txnKeys, context.inFlight!.key]) }),
    advanceSequence: assign(advanceSequence),
    dropBatch: assign({ inFlight: null }),
    markOffsetsAdded: assign({ offsetsAdded: true }),
    holdOffsets: assign(holdOffsets),
    clearTxn: assign({ txnKeys: [], offsetsAdded: false }),
    adoptEndTxnEpoch: assign(adoptEndTxnEpoch),
    /** A batch lost or out of order: sequences can no longer be trusted, the epoch must move (KIP-360). */
    requireEpochBump: assign({ epochBumpRequired: true, inFlight: null }),
    /** bumpIdempotentProducerEpoch: an idempotent producer moves to epoch+1 itself and restarts its sequences. */
    bumpEpochLocally: assign(({ context }) => ({ producerEpoch: context.producerEpoch + 1, nextSequence: {}, inFlight: null })),
  },
}).createMachine({
  id: 'javaProducer',
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
          { guard: 'isFatalOnCoordinator', target: 'fatal', actions: 'recordError' },
          // initTransactions timed out: the application may call it again.
          { target: 'uninitialized', actions: 'recordError' },
        ],
      },
    },
    ready: {
      on: {
        'producer.send': { guard: 'isIdempotentOnly', target: 'sending', actions: ['startAttempts', 'prepareBatch'] },
        'producer.beginTxn': { guard: 'isTransactional', target: 'transacting', actions: ['startAttempts', 'clearTxn'] },
      },
    },
    sending: {
      on: {
        'producer.produceAnswer': [
          { guard: 'succeeded', target: 'ready', actions: 'advanceSequence' },
          { guard: 'canRetry', target: 'sending', actions: 'countAttempt' },
          // Out of retries or out of order: the batch fails, and the idempotent producer bumps its epoch.
          { target: 'ready', actions: ['recordError', 'bumpEpochLocally'] },
        ],
      },
    },
    transacting: {
      initial: 'idle',
      states: {
        idle: {
          on: {
            'producer.send': [
              { guard: 'needsAddPartitions', target: 'addingPartitions', actions: ['startAttempts', 'prepareBatch', 'markPartitionAdded'] },
              { target: 'producing', actions: ['startAttempts', 'prepareBatch'] },
            ],
            'producer.sendOffsets': [
              { guard: 'needsAddOffsets', target: 'addingOffsets', actions: ['startAttempts', 'holdOffsets'] },
              { target: 'committingOffsets', actions: ['startAttempts', 'holdOffsets'] },
            ],
            'producer.commit': [
              { guard: 'nothingToEnd', target: '#javaProducer.ready', actions: 'startAttempts' },
              { target: '#javaProducer.committing', actions: 'startAttempts' },
            ],
            'producer.abort': [
              { guard: 'nothingToEnd', target: '#javaProducer.ready', actions: 'startAttempts' },
              { target: '#javaProducer.aborting', actions: 'startAttempts' },
            ],
          },
        },
        addingPartitions: {
          on: {
            'producer.addPartitionsAnswer': [
              { guard: 'succeeded', target: 'producing', actions: 'markPartitionAdded' },
              { guard: 'canRetry', target: 'addingPartitions', actions: 'countAttempt' },
              { guard: 'isFatalOnCoordinator', target: '#javaProducer.fatal', actions: ['recordError', 'dropBatch'] },
              { target: '#javaProducer.abortableError', actions: ['recordError', 'dropBatch'] },
            ],
          },
        },
        producing: {
          on: {
            'producer.produceAnswer': [
              { guard: 'succeeded', target: 'idle', actions: 'advanceSequence' },
              { guard: 'canRetry', target: 'producing', actions: 'countAttempt' },
              { guard: 'isFatal', target: '#javaProducer.fatal', actions: ['recordError', 'dropBatch'] },
              // INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE_NUMBER, TRANSACTION_ABORTABLE, or a lost batch.
              { target: '#javaProducer.abortableError', actions: ['recordError', 'requireEpochBump'] },
            ],
          },
        },
        addingOffsets: {
          on: {
            'producer.addOffsetsAnswer': [
              { guard: 'succeeded', target: 'committingOffsets', actions: 'markOffsetsAdded' },
              { guard: 'canRetry', target: 'addingOffsets', actions: 'countAttempt' },
              { guard: 'isFatalOnCoordinator', target: '#javaProducer.fatal', actions: 'recordError' },
              { target: '#javaProducer.abortableError', actions: 'recordError' },
            ],
          },
        },
        committingOffsets: {
          on: {
            'producer.txnOffsetCommitAnswer': [
              { guard: 'succeeded', target: 'idle', actions: 'markOffsetsAdded' },
              { guard: 'canRetry', target: 'committingOffsets', actions: 'countAttempt' },
              // TxnOffsetCommitHandler: INVALID_PRODUCER_EPOCH is taken as PRODUCER_FENCED (an old coordinator's
              // word for it; under TV2 the partition leader's verification answers it), and any error it does not
              // name (INVALID_TXN_STATE) is fatal too; only group errors (TRANSACTION_ABORTABLE) are abortable.
              { guard: 'isFatalOnCoordinator', target: '#javaProducer.fatal', actions: 'recordError' },
              { target: '#javaProducer.abortableError', actions: 'recordError' },
            ],
          },
        },
      },
    },
    /** ABORTABLE_ERROR: sends and commit fail; only an abort gets out (then, under TV1, an epoch bump if due). */
    abortableError: {
      on: { 'producer.abort': { target: 'aborting', actions: 'startAttempts' } },
    },
    committing: endingState('commit'),
    aborting: endingState('abort'),
    /** KIP-360: InitProducerId with the current producer id and epoch as expected, answered with epoch+1. */
    bumpingEpoch: {
      on: {
        'producer.initProducerIdAnswer': [
          { guard: 'succeeded', target: 'ready', actions: 'adoptProducerId' },
          { guard: 'canRetry', target: 'bumpingEpoch', actions: 'countAttempt' },
          { target: 'fatal', actions: 'recordError' },
        ],
      },
    },
    /** FATAL_ERROR: every call fails; the producer can only be closed. */
    fatal: {},
    crashed: { type: 'final' },
  },
});

/** EndTxn, retried until it is answered (TransactionManager re-enqueues it on retriable errors and timeouts). */
function endingState(end: 'commit' | 'abort') {
  return {
    on: {
      'producer.endTxnAnswer': [
        // An abort that followed a lost batch: TV1 bumps the epoch next (KIP-360). A commit never gets here with one due.
        { guard: 'succeededNeedingBump', target: 'bumpingEpoch', actions: ['adoptEndTxnEpoch', 'clearTxn', 'startAttempts'] },
        { guard: 'succeeded', target: 'ready', actions: ['adoptEndTxnEpoch', 'clearTxn'] },
        { guard: 'canRetry', actions: 'countAttempt' },
        // Out of time (max.block.ms): the call fails, the transaction stays where it was; commit or abort may be called again.
        { guard: 'isRetriable', actions: 'recordError' },
        { guard: 'isFatalOnCoordinator', target: 'fatal', actions: 'recordError' },
        // TRANSACTION_ABORTABLE on a commit; on an abort it is fatal, to avoid looping.
        { target: end === 'commit' ? 'abortableError' : 'fatal', actions: 'recordError' },
      ],
    },
  } as const;
}
