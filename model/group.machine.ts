// The group coordinator's offsets of one consumer group (OffsetMetadataManager): committed offsets, and
// transactional offsets held per producer until that producer's marker arrives on __consumer_offsets.
// COMMIT materialises them (only where newer by log position than what is committed), ABORT drops them.
// kafkajs sends TxnOffsetCommit v1 without group metadata, so no generation fencing applies (pre-KIP-447).
import { assign, setup } from 'xstate';
import type { KafkaError, Key, Offset } from './types.ts';

/** A committed offset and the __consumer_offsets position of the record that carried it. */
export interface OffsetAndPosition { offset: Offset; position: number }

export interface PendingTxnOffsets { producerEpoch: number; offsets: Readonly<Record<Key, OffsetAndPosition>> }

export interface GroupContext {
  groupId: string;
  committed: Readonly<Record<Key, OffsetAndPosition>>;
  pendingTxnOffsets: Readonly<Record<number, PendingTxnOffsets>>;
  /** Highest producer epoch seen per producer id: the epoch check of a COORDINATOR-origin append. */
  producerEpochs: Readonly<Record<number, number>>;
  /** Next position in the group's __consumer_offsets partition. */
  logEnd: number;
  reply: { error: KafkaError };
}

export type GroupEvent =
  | { type: 'group.offsetCommit'; offsets: Readonly<Record<Key, Offset>> }
  | { type: 'group.txnOffsetCommit'; producerId: number; producerEpoch: number; offsets: Readonly<Record<Key, Offset>>;
      /** the transaction coordinator vouched for (TV1 verify) or added (TV2) this group's partition */ verified: boolean;
      /** the coordinator's verification answered PRODUCER_FENCED: a newer epoch exists, whether or not this group saw it */
      fenced?: boolean }
  | { type: 'group.writeTxnMarker'; producerId: number; producerEpoch: number; commit: boolean };

type Ev<T extends GroupEvent['type']> = Extract<GroupEvent, { type: T }>;

const stamp = (offsets: Readonly<Record<Key, Offset>>, position: number): Record<Key, OffsetAndPosition> =>
  Object.fromEntries(Object.entries(offsets).map(([k, offset]) => [k, { offset, position }]));

export const groupMachine = setup({
  types: { context: {} as GroupContext, events: {} as GroupEvent, input: {} as { groupId: string } },
  guards: {
    /** An epoch older than the group has seen (the log's epoch check), or one the transaction coordinator's
     *  verification found fenced: that fails the append before the group writes anything, answered as
     *  AddPartitionsToTxnManager maps PRODUCER_FENCED (INVALID_PRODUCER_EPOCH). The group may not know the
     *  newer epoch yet: the fence's abort marker reaches it only if the transaction had offsets here. */
    isStaleProducerEpoch: ({ context, event }) => {
      const e = event as Ev<'group.txnOffsetCommit'> | Ev<'group.writeTxnMarker'>;
      return ('fenced' in e && e.fenced === true) || e.producerEpoch < (context.producerEpochs[e.producerId] ?? -1);
    },
    /** The transactional-write guard of a COORDINATOR-origin append: not part of an ongoing transaction. */
    isTxnWriteOutsideTxn: ({ context, event }) => {
      const e = event as Ev<'group.txnOffsetCommit'>;
      return !e.verified && context.pendingTxnOffsets[e.producerId]?.producerEpoch !== e.producerEpoch;
    },
    hasOtherPendingTxns: ({ context, event }) =>
      Object.keys(context.pendingTxnOffsets).some((pid) => Number(pid) !== (event as Ev<'group.writeTxnMarker'>).producerId),
  },
  actions: {
    answerInvalidProducerEpoch: assign({ reply: { error: 'INVALID_PRODUCER_EPOCH' as KafkaError } }),
    answerInvalidTxnState: assign({ reply: { error: 'INVALID_TXN_STATE' as KafkaError } }),
    commitOffsets: assign(({ context, event }) => ({
      committed: { ...context.committed, ...stamp((event as Ev<'group.offsetCommit'>).offsets, context.logEnd) },
      logEnd: context.logEnd + 1, reply: { error: 'NONE' as KafkaError },
    })),
    holdTxnOffsets: assign(({ context, event }) => {
      const e = event as Ev<'group.txnOffsetCommit'>;
      const prev = context.pendingTxnOffsets[e.producerId]?.offsets ?? {};
      return {
        pendingTxnOffsets: {
          ...context.pendingTxnOffsets,
          [e.producerId]: { producerEpoch: e.producerEpoch, offsets: { ...prev, ...stamp(e.offsets, context.logEnd) } },
        },
        producerEpochs: { ...context.producerEpochs, [e.producerId]: e.producerEpoch },
        logEnd: context.logEnd + 1, reply: { error: 'NONE' as KafkaError },
      };
    }),
    /** replayEndTransactionMarker: on COMMIT copy the pending offsets that are newer by log position. */
    materialiseTxnOffsets: assign(({ context, event }) => {
      const e = event as Ev<'group.writeTxnMarker'>;
      if (!e.commit) return {};
      const committed = { ...context.committed };
      for (const [k, o] of Object.entries(context.pendingTxnOffsets[e.producerId]?.offsets ?? {})) {
        const cur = committed[Number(k)];
        if (cur === undefined || cur.position < o.position) committed[Number(k)] = o;
      }
      return { committed };
    }),
    dropTxnOffsets: assign(({ context, event }) => {
      const e = event as Ev<'group.writeTxnMarker'>;
      const { [e.producerId]: _done, ...rest } = context.pendingTxnOffsets;
      return {
        pendingTxnOffsets: rest, logEnd: context.logEnd + 1, reply: { error: 'NONE' as KafkaError },
        producerEpochs: { ...context.producerEpochs, [e.producerId]: e.producerEpoch },
      };
    }),
  },
}).createMachine({
  id: 'group',
  context: ({ input }) => ({
    groupId: input.groupId, committed: {}, pendingTxnOffsets: {}, producerEpochs: {}, logEnd: 0,
    reply: { error: 'NONE' },
  }),
  initial: 'stable',
  on: { 'group.offsetCommit': { actions: 'commitOffsets' } },
  states: {
    stable: {
      on: {
        'group.txnOffsetCommit': [
          { guard: 'isStaleProducerEpoch', actions: 'answerInvalidProducerEpoch' },
          { guard: 'isTxnWriteOutsideTxn', actions: 'answerInvalidTxnState' },
          { target: 'pendingTxnOffsets', actions: 'holdTxnOffsets' },
        ],
        'group.writeTxnMarker': [
          { guard: 'isStaleProducerEpoch', actions: 'answerInvalidProducerEpoch' },
          { actions: 'dropTxnOffsets' },
        ],
      },
    },
    pendingTxnOffsets: {
      on: {
        'group.txnOffsetCommit': [
          { guard: 'isStaleProducerEpoch', actions: 'answerInvalidProducerEpoch' },
          { guard: 'isTxnWriteOutsideTxn', actions: 'answerInvalidTxnState' },
          { actions: 'holdTxnOffsets' },
        ],
        'group.writeTxnMarker': [
          { guard: 'isStaleProducerEpoch', actions: 'answerInvalidProducerEpoch' },
          { guard: 'hasOtherPendingTxns', actions: ['materialiseTxnOffsets', 'dropTxnOffsets'] },
          { target: 'stable', actions: ['materialiseTxnOffsets', 'dropTxnOffsets'] },
        ],
      },
    },
  },
});
