// Driving a producer machine: which request its state calls for, and which event its answer is. The
// machines decide what to do (retry, give up, adopt an epoch); this turns their states into requests as
// data (network.ts), so the simulated cluster can run them now or leave them on the wire, and the explorer
// can do the same with the same machines.
import type { SnapshotFrom } from 'xstate';
import type { ClientRequest } from './network.ts';
import type { ProducerContext, ProducerEvent, producerMachine } from './producer.machine.ts';
import { type KafkaError, type ProduceRequest, dataPartition, groupPartition } from './types.ts';

type ProducerSnap = SnapshotFrom<typeof producerMachine>;

/** A broker's answer as the client sees it; a lost request or response is REQUEST_TIMED_OUT. */
export interface ClientAnswer { error: KafkaError; producerId?: number; producerEpoch?: number; offset?: number | null }

const batchOf = (c: ProducerContext, transactional: boolean): ProduceRequest => {
  const b = c.inFlight!;
  return { producerId: c.producerId, producerEpoch: c.producerEpoch, sequence: b.sequence, value: b.value, transactional };
};

/** Whether the machine is in `value` (the kafkajs and Java machines share most state names, not all). */
const is = (s: ProducerSnap, value: unknown): boolean => (s.matches as (v: unknown) => boolean)(value);

/** The request the producer's state calls for, or null when it waits for nothing. */
export function requestOf(s: ProducerSnap): ClientRequest | null {
  const c = s.context;
  const txnId = c.transactionalId;
  if (s.matches('initializing')) return { type: 'initProducerId', transactionalId: txnId };
  // Java, KIP-360: the epoch bump after an abort that followed a lost batch.
  if (is(s, 'bumpingEpoch')) return { type: 'initProducerId', transactionalId: txnId, expected: { producerId: c.producerId, producerEpoch: c.producerEpoch } };
  if (s.matches('sending')) return { type: 'produce', key: c.inFlight!.key, request: batchOf(c, false), transactionalId: null };
  if (txnId === null) return null;
  const base = { transactionalId: txnId, producerId: c.producerId, producerEpoch: c.producerEpoch };
  if (s.matches({ transacting: 'addingPartitions' })) return { type: 'addPartitions', ...base, partitions: [dataPartition(c.inFlight!.key)] };
  if (s.matches({ transacting: 'producing' })) return { type: 'produce', key: c.inFlight!.key, request: batchOf(c, true), transactionalId: txnId };
  if (s.matches({ transacting: 'addingOffsets' })) return { type: 'addPartitions', ...base, partitions: [groupPartition(c.pendingOffsets!.groupId)] };
  if (s.matches({ transacting: 'committingOffsets' })) {
    return { type: 'txnOffsetCommit', ...base, groupId: c.pendingOffsets!.groupId, offsets: c.pendingOffsets!.offsets };
  }
  // kafkajs sends EndTxn once (it is not wrapped in a retrier): an error stays in the machine's lastError.
  if ((s.matches('committing') || s.matches('aborting')) && c.lastError === null) return { type: 'endTxn', ...base, commit: s.matches('committing') };
  return null;
}

/** The machine event that carries `answer` to `req`. */
export function answerEvent(s: ProducerSnap, req: ClientRequest, a: ClientAnswer): ProducerEvent {
  switch (req.type) {
    case 'initProducerId': return { type: 'producer.initProducerIdAnswer', error: a.error, producerId: a.producerId ?? -1, producerEpoch: a.producerEpoch ?? -1 };
    case 'addPartitions': return s.matches({ transacting: 'addingOffsets' }) ? { type: 'producer.addOffsetsAnswer', error: a.error } : { type: 'producer.addPartitionsAnswer', error: a.error };
    case 'produce': return { type: 'producer.produceAnswer', error: a.error, offset: a.offset ?? null };
    case 'txnOffsetCommit': return { type: 'producer.txnOffsetCommitAnswer', error: a.error };
    case 'endTxn': return { type: 'producer.endTxnAnswer', error: a.error, producerId: a.producerId ?? -1, producerEpoch: a.producerEpoch ?? -1 };
  }
}
