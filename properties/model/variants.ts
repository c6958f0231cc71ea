// Deliberately broken models. Each substitutes one guard or action of a machine (via `.provide`) the way a
// plausible implementation bug would, and model.mutants.test.ts asserts that a property catches it.
import { assign } from 'xstate';
import { completeTransit, coordinatorMachine, endTxnVerdict, fenceTransit, groupMachine, highWatermark, partitionMachine } from '../../model/index.ts';
import type { CoordinatorContext, GroupContext, ModelVariant, Transit } from '../../model/index.ts';

/** The leader keeps no batch metadata (as if producer state were always lost): a retried batch is
 *  neither recognised as a duplicate nor rejected as out of order, so it is appended again. */
export const noDedupCache: ModelVariant = {
  name: 'no-dedup-cache',
  partition: partitionMachine.provide({ guards: { isDuplicateBatch: () => false, isOutOfOrderSequence: () => false } }),
};

/** The coordinator sends the marker to the first partition only, then completes. */
export const markerToOnePartition: ModelVariant = {
  name: 'marker-to-one-partition',
  coordinator: coordinatorMachine.provide({
    actions: {
      completeTransition: assign(({ context }) => {
        const next = completeTransit(context);
        return { ...next, pendingMarkers: next.pendingMarkers?.slice(0, 1) ?? [] };
      }),
    },
  }),
};

/** InitProducerId does not bump the epoch (neither the plain re-init nor the fence of an ongoing
 *  transaction), so the old instance shares the new one's epoch and is never fenced. */
export const noEpochBumpOnInitProducerId: ModelVariant = {
  name: 'no-epoch-bump-on-init-producer-id',
  coordinator: coordinatorMachine.provide({
    actions: {
      prepareInitProducerId: assign(({ context, event }) => {
        const producerId = context.producerId < 0 ? (event as { newProducerId: number }).newProducerId : context.producerId;
        const epoch = Math.max(context.epoch, 0);
        return prepared({ state: 'Empty', producerId, epoch, lastEpoch: -1, partitions: [], txnStartTick: -1, now: 0 }, context.reply);
      }),
      prepareEpochFence: assign(({ context }) => ({
        ...prepared({ ...fenceTransit(context, 0), epoch: context.epoch }, context.reply),
        reply: { ...context.reply, error: 'CONCURRENT_TRANSACTIONS' as const, awaitingLogAppend: false },
      })),
    },
  }),
};

const prepared = (transit: Transit, reply: CoordinatorContext['reply']) => ({
  pendingState: transit.state, transit,
  reply: { ...reply, error: 'NONE' as const, producerId: transit.producerId, producerEpoch: transit.epoch, awaitingLogAppend: true },
});

/** The LSO ignores open transactions: read_committed reads up to the high watermark. */
export const lsoEqualsHighWatermark: ModelVariant = { name: 'lso-equals-hw', lastStableOffset: highWatermark };

/** The group coordinator materialises pending offsets on ABORT as well as on COMMIT. */
export const offsetsCommittedOnAbort: ModelVariant = {
  name: 'offsets-committed-on-abort',
  group: groupMachine.provide({
    actions: {
      materialiseTxnOffsets: assign(({ context, event }: { context: GroupContext; event: unknown }) => {
        const pid = (event as { producerId: number }).producerId;
        return { committed: { ...context.committed, ...(context.pendingTxnOffsets[pid]?.offsets ?? {}) } };
      }),
    },
  }),
};

/** The leader does not check the producer epoch: a fenced zombie's writes are appended. */
export const noProducerEpochCheck: ModelVariant = {
  name: 'no-producer-epoch-check',
  partition: partitionMachine.provide({ guards: { isStaleProducerEpoch: () => false, isTxnWriteOutsideTxn: () => false } }),
};

// Concurrency mutants: bugs only a model with messages in flight can show (found by the explorer).

/** The partition leader takes any marker: no producer-epoch check, no coordinator-epoch (zombie coordinator)
 *  check. A marker of an older epoch, or a fenced coordinator's, can then decide a newer transaction. */
export const markerEpochUnchecked: ModelVariant = {
  name: 'marker-epoch-unchecked',
  partition: partitionMachine.provide({ guards: { isStaleMarkerEpoch: () => false, isZombieCoordinator: () => false } }),
};

/** The coordinator completes a transaction without waiting for its markers: the next transaction starts while
 *  the previous one's markers are still on their way to the partitions. */
export const completeBeforeMarkers: ModelVariant = {
  name: 'complete-before-markers',
  coordinator: coordinatorMachine.provide({ guards: { allMarkersWritten: ({ context }) => context.pendingState === null } }),
};

/** EndTxn takes any epoch of the right producer id: a late EndTxn of an earlier transaction decides the current
 *  one even under TV2, whose epoch bump is meant to stop exactly that (KIP-890). */
export const endTxnEpochUnchecked: ModelVariant = {
  name: 'endtxn-epoch-unchecked',
  coordinator: coordinatorMachine.provide({
    guards: { endTxnRejected: ({ context, event }) => endTxnVerdict(context, { ...(event as Parameters<typeof endTxnVerdict>[1]), producerEpoch: context.epoch }).kind === 'reply' },
    actions: {
      prepareAbortOrCommit: assign(({ context, event }) => {
        const v = endTxnVerdict(context, { ...(event as Parameters<typeof endTxnVerdict>[1]), producerEpoch: context.epoch });
        return v.kind === 'prepare' ? { pendingState: v.transit.state, transit: v.transit, reply: { ...context.reply, error: 'NONE' as const, producerId: v.transit.producerId, producerEpoch: v.transit.epoch, awaitingLogAppend: true } } : {};
      }),
    },
  }),
};

/** The coordinator answers requests while a transit is still being appended: no CONCURRENT_TRANSACTIONS, so a
 *  second change overwrites the first before it is durable. */
export const noPendingCheck: ModelVariant = {
  name: 'no-pending-check',
  coordinator: coordinatorMachine.provide({ guards: { hasPendingTransit: () => false } }),
};
