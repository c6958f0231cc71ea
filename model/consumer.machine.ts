// A consumer with manual assignment (kafkajs `assign` semantics as the harness uses them): its isolation
// level, its assignment and its fetch position per partition. Positions start from the group's committed
// offset (or the log start, auto.offset.reset=earliest); `rollback` rewinds to the committed offsets, which
// is what a consume-transform-produce loop does after an aborted transaction.
import { assign, setup } from 'xstate';
import type { Key, Offset } from './types.ts';

export interface ConsumerContext {
  consumerId: string;
  groupId: string | null;
  readCommitted: boolean;
  assignment: readonly Key[];
  position: Readonly<Record<Key, Offset>>;
}

export type ConsumerEvent =
  | { type: 'consumer.assign'; keys: readonly Key[]; groupId: string | null; readCommitted: boolean;
      committed: Readonly<Record<Key, Offset>> }
  | { type: 'consumer.fetched'; key: Key; nextOffset: Offset }
  | { type: 'consumer.seek'; key: Key; offset: Offset }
  | { type: 'consumer.rollback'; committed: Readonly<Record<Key, Offset>> }
  | { type: 'consumer.crash' };

type Ev<T extends ConsumerEvent['type']> = Extract<ConsumerEvent, { type: T }>;

export const consumerMachine = setup({
  types: { context: {} as ConsumerContext, events: {} as ConsumerEvent, input: {} as { consumerId: string } },
  guards: {
    isAssigned: ({ context, event }) => context.assignment.includes((event as Ev<'consumer.fetched'>).key),
  },
  actions: {
    /** Partitions kept across the new assignment keep their position; new ones start from the committed offset. */
    takeAssignment: assign(({ context, event }) => {
      const e = event as Ev<'consumer.assign'>;
      const position: Record<Key, Offset> = {};
      for (const k of e.keys) position[k] = context.assignment.includes(k) ? context.position[k]! : e.committed[k] ?? 0;
      return { assignment: [...e.keys], groupId: e.groupId, readCommitted: e.readCommitted, position };
    }),
    advancePosition: assign({
      position: ({ context, event }) => {
        const e = event as Ev<'consumer.fetched'>;
        return { ...context.position, [e.key]: e.nextOffset };
      },
    }),
    seekPosition: assign({
      position: ({ context, event }) => {
        const e = event as Ev<'consumer.seek'>;
        return { ...context.position, [e.key]: e.offset };
      },
    }),
    rewindToCommitted: assign({
      position: ({ context, event }) => {
        const committed = (event as Ev<'consumer.rollback'>).committed;
        return Object.fromEntries(context.assignment.map((k) => [k, committed[k] ?? 0]));
      },
    }),
    forgetEverything: assign({ assignment: [], position: {}, groupId: null }),
  },
}).createMachine({
  id: 'consumer',
  context: ({ input }) => ({ consumerId: input.consumerId, groupId: null, readCommitted: true, assignment: [], position: {} }),
  initial: 'unassigned',
  states: {
    unassigned: { on: { 'consumer.assign': { target: 'assigned', actions: 'takeAssignment' } } },
    assigned: {
      on: {
        'consumer.assign': { target: 'assigned', actions: 'takeAssignment' },
        'consumer.fetched': { guard: 'isAssigned', actions: 'advancePosition' },
        'consumer.seek': { guard: 'isAssigned', actions: 'seekPosition' },
        'consumer.rollback': { actions: 'rewindToCommitted' },
        'consumer.crash': { target: 'crashed', actions: 'forgetEverything' },
      },
    },
    // A crashed consumer's in-memory positions are gone; a later assign starts again from committed offsets.
    crashed: { on: { 'consumer.assign': { target: 'assigned', actions: 'takeAssignment' } } },
  },
});
