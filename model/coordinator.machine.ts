// The transaction coordinator's view of one transactional.id (TransactionMetadata + the handlers of
// TransactionCoordinator). Every state change is two-phase, as in Kafka: a request prepares a transit
// (`pendingState`), and only `txn.logAppended` (the __transaction_state append became durable) applies it.
// While a transit is pending, requests answer CONCURRENT_TRANSACTIONS. PrepareEpochFence is a state node
// here although Kafka never writes it to the log: it is the fence prepared in memory, lost on failover.
import { assign, setup } from 'xstate';
import type { KafkaError, TxnState, TxnVersion } from './types.ts';
import {
  type CoordinatorContext, type CoordinatorEvent, type Transit, completeTransit, endTxnVerdict, fenceTransit, initFromOtherProducer,
  initProducerIdVerdict, markerAnswerAction, verifyVerdict,
} from './coordinator.rules.ts';

export type { CoordinatorContext, CoordinatorEvent, CoordinatorReply } from './coordinator.rules.ts';

type Ev<T extends CoordinatorEvent['type']> = Extract<CoordinatorEvent, { type: T }>;
const reply = (context: CoordinatorContext, error: KafkaError) =>
  ({ error, producerId: context.producerId, producerEpoch: context.epoch, awaitingLogAppend: false });
const prepared = (transit: Transit) => ({
  pendingState: transit.state, transit,
  reply: { error: 'NONE' as KafkaError, producerId: transit.producerId, producerEpoch: transit.epoch, awaitingLogAppend: true },
});
const goesTo = (s: TxnState) => ({ context }: { context: CoordinatorContext }) => context.pendingState === s;

const PENDING = { guard: 'hasPendingTransit', actions: 'answerConcurrentTransactions' } as const;
/** handleAddPartitionsToTransaction guards, in the [4.0]+ order. */
const ADD_CHECKS = [
  PENDING,
  { guard: 'isUnknownProducerId', actions: 'answerInvalidProducerIdMapping' },
  { guard: 'isFencedEpoch', actions: 'answerProducerFenced' },
] as const;
/** InitProducerId from Empty / Complete* / Dead: a pending transit, a rejection (KIP-360), a retry, or a bump. */
const INIT = [
  PENDING,
  { guard: 'initRejected', actions: 'answerInitVerdict' },
  { guard: 'initIsRetry', actions: 'answerNone' },
  { actions: 'prepareInitProducerId' },
] as const;
/** From Empty / Complete*: InitProducerId, the first AddPartitions, the TV2 empty abort, expiry. */
const FROM_IDLE = [
  { guard: 'isPendingEmpty', target: 'Empty', actions: 'completeTransition' },
  { guard: 'isPendingOngoing', target: 'Ongoing', actions: 'completeTransition' },
  { guard: 'isPendingPrepareAbort', target: 'PrepareAbort', actions: 'completeTransition' },
  { guard: 'isPendingDead', target: 'Dead', actions: 'completeTransition' },
] as const;

export const coordinatorMachine = setup({
  types: {
    context: {} as CoordinatorContext,
    events: {} as CoordinatorEvent,
    input: {} as { transactionalId: string; txnVersion: TxnVersion; timeoutTicks: number; expirationTicks: number },
  },
  guards: {
    hasPendingTransit: ({ context }) => context.pendingState !== null,
    hasNoPendingTransit: ({ context }) => context.pendingState === null,
    isUnknownProducerId: ({ context, event }) => (event as Ev<'txn.addPartitions'>).producerId !== context.producerId,
    initRejected: ({ context, event }) => initProducerIdVerdict(context, event as Ev<'txn.initProducerId'>).kind === 'reply',
    initIsRetry: ({ context, event }) => initProducerIdVerdict(context, event as Ev<'txn.initProducerId'>).kind === 'current',
    initFromOtherProducer: ({ context, event }) => initFromOtherProducer(context, event as Ev<'txn.initProducerId'>),
    markerDone: ({ context, event }) => markerAnswerAction(context, event as Ev<'txn.markerAnswered'>) === 'done',
    markerRefused: ({ context, event }) => markerAnswerAction(context, event as Ev<'txn.markerAnswered'>) === 'cancel',
    isFencedEpoch: ({ context, event }) => (event as Ev<'txn.addPartitions'>).producerEpoch !== context.epoch,
    partitionsAlreadyInTxn: ({ context, event }) =>
      (event as Ev<'txn.addPartitions'>).partitions.every((p) => context.partitions.includes(p)),
    /** timedOutTransactions(): Ongoing, no pending transit, started longer ago than the timeout. */
    isTimedOut: ({ context, event }) =>
      context.pendingState === null && context.txnStartTick + context.timeoutTicks < (event as Ev<'txn.tick'>).now,
    /** shouldExpire(): idle longer than transactional.id.expiration.ms. */
    isExpired: ({ context, event }) =>
      context.pendingState === null && context.lastUpdateTick + context.expirationTicks < (event as Ev<'txn.tick'>).now,
    allMarkersWritten: ({ context }) => context.pendingState === null && context.pendingMarkers.length === 0 && !context.markersCancelled,
    isPendingEmpty: goesTo('Empty'),
    isPendingOngoing: goesTo('Ongoing'),
    isPendingPrepareCommit: goesTo('PrepareCommit'),
    isPendingPrepareAbort: goesTo('PrepareAbort'),
    isPendingCompleteCommit: goesTo('CompleteCommit'),
    isPendingCompleteAbort: goesTo('CompleteAbort'),
    isPendingDead: goesTo('Dead'),
    endTxnRejected: ({ context, event }) => endTxnVerdict(context, event as Ev<'txn.endTxn'>).kind === 'reply',
  },
  actions: {
    answerConcurrentTransactions: assign({ reply: ({ context }) => reply(context, 'CONCURRENT_TRANSACTIONS') }),
    answerInvalidProducerIdMapping: assign({ reply: ({ context }) => reply(context, 'INVALID_PRODUCER_ID_MAPPING') }),
    answerProducerFenced: assign({ reply: ({ context }) => reply(context, 'PRODUCER_FENCED') }),
    answerNone: assign({ reply: ({ context }) => reply(context, 'NONE') }),
    answerInitVerdict: assign({
      reply: ({ context, event }) => {
        const v = initProducerIdVerdict(context, event as Ev<'txn.initProducerId'>);
        return reply(context, v.kind === 'reply' ? v.error : 'NONE');
      },
    }),
    answerVerify: assign({ reply: ({ context, event }) => reply(context, verifyVerdict(context, event as Ev<'txn.verify'>)) }),
    answerEndTxnVerdict: assign({
      reply: ({ context, event }) => {
        const v = endTxnVerdict(context, event as Ev<'txn.endTxn'>);
        return v.kind === 'reply' ? reply(context, v.error) : reply(context, 'NONE');
      },
    }),
    /** prepareIncrementProducerEpoch / prepareProducerIdRotation, with KIP-360's expected epoch when the client sends one. */
    prepareInitProducerId: assign(({ context, event }) => {
      const v = initProducerIdVerdict(context, event as Ev<'txn.initProducerId'>);
      return v.kind === 'prepare' ? prepared(v.transit) : {};
    }),
    /** InitProducerId while Ongoing: prepareFenceProducerEpoch, then an internal abort. The client is told to retry. */
    prepareEpochFence: assign(({ context, event }) => ({
      ...prepared(fenceTransit(context, (event as Ev<'txn.initProducerId'>).now)),
      reply: reply(context, 'CONCURRENT_TRANSACTIONS'),
    })),
    prepareTimeoutFence: assign(({ context, event }) => prepared(fenceTransit(context, (event as Ev<'txn.tick' | 'txn.abortTimedOut'>).now))),
    prepareAddPartitions: assign(({ context, event }) => {
      const e = event as Ev<'txn.addPartitions'>;
      const starts = context.partitions.length === 0 && context.txnStartTick < 0;
      return prepared({
        state: 'Ongoing', producerId: context.producerId, epoch: context.epoch, lastEpoch: context.lastEpoch,
        partitions: [...context.partitions, ...e.partitions.filter((p) => !context.partitions.includes(p))],
        txnStartTick: starts ? e.now : context.txnStartTick, now: e.now, txnVersion: e.txnVersion ?? context.txnVersion,
      });
    }),
    prepareAbortOrCommit: assign(({ context, event }) => {
      const v = endTxnVerdict(context, event as Ev<'txn.endTxn'>);
      return v.kind === 'prepare' ? prepared(v.transit) : {};
    }),
    prepareComplete: assign(({ context, event }) => prepared({
      state: context.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort', producerId: context.producerId,
      epoch: context.epoch, lastEpoch: context.lastEpoch, partitions: [], txnStartTick: -1,
      now: (event as Ev<'txn.completeTxn'>).now,
    })),
    prepareDead: assign(({ context, event }) => prepared({
      state: 'Dead', producerId: context.producerId, epoch: context.epoch, lastEpoch: context.lastEpoch,
      partitions: [], txnStartTick: -1, now: (event as Ev<'txn.tick'>).now,
    })),
    /** completeTransitionTo: the transit is durable; markers go out to every partition after a Prepare*. */
    completeTransition: assign(({ context }) => completeTransit(context)),
    markerWritten: assign({
      pendingMarkers: ({ context, event }) =>
        context.pendingMarkers.filter((p) => p !== (event as Ev<'txn.markerAnswered'>).partition),
    }),
    cancelMarkers: assign({ markersCancelled: true }),
    abandonTransit: assign(({ context }) => ({
      pendingState: null, transit: null, reply: reply(context, 'COORDINATOR_NOT_AVAILABLE'),
    })),
    /** A new coordinator loads the log: in-memory transits are lost, Prepare* markers are sent again. */
    loadTransactions: assign(({ context }) => ({
      coordinatorEpoch: context.coordinatorEpoch + 1, pendingState: null, transit: null, markersCancelled: false,
      pendingMarkers: context.state === 'PrepareCommit' || context.state === 'PrepareAbort' ? [...context.partitions] : [],
    })),
  },
}).createMachine({
  id: 'coordinator',
  context: ({ input }) => ({
    transactionalId: input.transactionalId, txnVersion: input.txnVersion, clientTxnVersion: input.txnVersion, state: 'Empty',
    producerId: -1, prevProducerId: -1, epoch: -1, lastEpoch: -1, partitions: [], txnStartTick: -1,
    lastUpdateTick: 0, timeoutTicks: input.timeoutTicks, expirationTicks: input.expirationTicks,
    coordinatorEpoch: 0, pendingState: null, transit: null, pendingMarkers: [], markersCancelled: false,
    reply: { error: 'NONE', producerId: -1, producerEpoch: -1, awaitingLogAppend: false },
  }),
  initial: 'Empty',
  on: {
    // No state handles these itself, so they bubble up here.
    'txn.endTxn': [
      { guard: 'endTxnRejected', actions: 'answerEndTxnVerdict' },
      { actions: 'prepareAbortOrCommit' },
    ],
    'txn.failover': { actions: 'loadTransactions' },
    'txn.logAppendFailed': { actions: 'abandonTransit' },
    'txn.verify': { actions: 'answerVerify' },
  },
  states: {
    Empty: {
      on: {
        'txn.initProducerId': INIT,
        'txn.addPartitions': [...ADD_CHECKS, { actions: 'prepareAddPartitions' }],
        'txn.tick': { guard: 'isExpired', actions: 'prepareDead' },
        'txn.logAppended': FROM_IDLE,
      },
    },
    Ongoing: {
      on: {
        'txn.initProducerId': [
          PENDING,
          { guard: 'initFromOtherProducer', actions: 'answerProducerFenced' },
          { target: 'PrepareEpochFence', actions: 'prepareEpochFence' },
        ],
        'txn.addPartitions': [
          ...ADD_CHECKS,
          { guard: 'partitionsAlreadyInTxn', actions: 'answerNone' },
          { actions: 'prepareAddPartitions' },
        ],
        'txn.tick': { guard: 'isTimedOut', target: 'PrepareEpochFence', actions: 'prepareTimeoutFence' },
        'txn.abortTimedOut': { guard: 'hasNoPendingTransit', target: 'PrepareEpochFence', actions: 'prepareTimeoutFence' },
        'txn.logAppended': [
          { guard: 'isPendingOngoing', target: 'Ongoing', actions: 'completeTransition' },
          { guard: 'isPendingPrepareCommit', target: 'PrepareCommit', actions: 'completeTransition' },
          { guard: 'isPendingPrepareAbort', target: 'PrepareAbort', actions: 'completeTransition' },
        ],
      },
    },
    PrepareEpochFence: {
      on: {
        'txn.initProducerId': { actions: 'answerConcurrentTransactions' },
        'txn.addPartitions': { actions: 'answerConcurrentTransactions' },
        'txn.logAppended': { guard: 'isPendingPrepareAbort', target: 'PrepareAbort', actions: 'completeTransition' },
        // The fence lived only in memory: the new coordinator loads the transaction as Ongoing.
        'txn.failover': { target: 'Ongoing', actions: 'loadTransactions' },
        'txn.logAppendFailed': { target: 'Ongoing', actions: 'abandonTransit' },
      },
    },
    PrepareCommit: { on: preparedHandlers('isPendingCompleteCommit', 'CompleteCommit') },
    PrepareAbort: { on: preparedHandlers('isPendingCompleteAbort', 'CompleteAbort') },
    CompleteCommit: { on: completedHandlers() },
    CompleteAbort: { on: completedHandlers() },
    Dead: {
      on: {
        // The metadata was removed: a new InitProducerId starts over with a fresh producer id.
        'txn.initProducerId': INIT,
        'txn.addPartitions': { actions: 'answerInvalidProducerIdMapping' },
        'txn.logAppended': { guard: 'isPendingEmpty', target: 'Empty', actions: 'completeTransition' },
      },
    },
  },
});

function preparedHandlers(guard: 'isPendingCompleteCommit' | 'isPendingCompleteAbort', target: TxnState) {
  return {
    'txn.initProducerId': [
      { guard: 'initFromOtherProducer', actions: 'answerProducerFenced' },
      { actions: 'answerConcurrentTransactions' },
    ],
    'txn.addPartitions': { actions: 'answerConcurrentTransactions' },
    'txn.markerAnswered': [
      { guard: 'markerDone', actions: 'markerWritten' },
      { guard: 'markerRefused', actions: 'cancelMarkers' },
    ],
    'txn.completeTxn': { guard: 'allMarkersWritten', actions: 'prepareComplete' },
    'txn.logAppended': { guard, target, actions: 'completeTransition' },
  } as const;
}

function completedHandlers() {
  return {
    'txn.initProducerId': INIT,
    'txn.addPartitions': [...ADD_CHECKS, { actions: 'prepareAddPartitions' }],
    'txn.tick': { guard: 'isExpired', actions: 'prepareDead' },
    'txn.logAppended': FROM_IDLE,
  } as const;
}
