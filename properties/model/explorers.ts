// Event menus and state abstractions for enumerating each machine with xstate/graph. A menu offers, in every
// state, the events the real system could send there (right and wrong epochs, sequences and answers); the
// abstraction keeps what the guards look at and forgets unbounded history (log contents, offsets).
import {
  consumerMachine, coordinatorMachine, groupMachine, javaProducerMachine, partitionMachine, producerMachine,
} from '../../model/index.ts';
import type {
  ConsumerContext, CoordinatorContext, GroupContext, KafkaError, PartitionContext, ProducerContext, TxnVersion,
} from '../../model/index.ts';
import type { Explorer } from './coverage.ts';

const TVS: TxnVersion[] = [1, 2];
const cap = (n: number, max: number) => Math.min(n, max);

export const partitionExplorer: Explorer = {
  name: 'partition',
  machine: partitionMachine,
  inputs: TVS.map((txnVersion) => ({ key: 0, txnVersion })),
  events: (s) => {
    const c = s.context as PartitionContext;
    const out: Array<{ type: string } & Record<string, unknown>> = [{ type: 'partition.leaderChange' }, { type: 'partition.replicate' }];
    const entry = c.producers[1];
    const last = entry?.batches.at(-1)?.lastSeq ?? -1;
    for (const producerEpoch of [0, 1]) {
      for (const sequence of new Set([last + 1, 0, entry?.batches[0]?.firstSeq ?? 0])) {
        for (const [transactional, verified] of [[false, false], [true, true], [true, false]] as const) {
          out.push({ type: 'partition.produce', request: { producerId: 1, producerEpoch, sequence, value: 1, transactional }, verified });
        }
      }
      for (const commit of [true, false]) {
        for (const coordinatorEpoch of [0, 1]) {
          for (const txnVersion of TVS) out.push({ type: 'partition.writeTxnMarker', producerId: 1, producerEpoch, commit, coordinatorEpoch, txnVersion });
        }
      }
    }
    // A second producer only opens and closes transactions, so that one marker can leave another txn open.
    const next2 = (c.producers[2]?.batches.at(-1)?.lastSeq ?? -1) + 1;
    out.push({ type: 'partition.produce', request: { producerId: 2, producerEpoch: 0, sequence: next2, value: 2, transactional: true }, verified: true });
    out.push({ type: 'partition.writeTxnMarker', producerId: 2, producerEpoch: 0, commit: true, coordinatorEpoch: 0 });
    return out;
  },
  serialize: (s) => {
    const c = s.context as PartitionContext;
    const producers = Object.values(c.producers).map((e) =>
      `${e.producerId}:${e.producerEpoch}:${cap(e.batches.length, 1)}:${e.currentTxnFirstOffset !== null}:${e.coordinatorEpoch}`);
    return `${JSON.stringify(s.value)}|${c.txnVersion}|${producers.join(',')}|${cap(c.abortedIndex.length, 1)}|${c.highWatermark < c.log.length}`;
  },
};

export const coordinatorExplorer: Explorer = {
  name: 'coordinator',
  machine: coordinatorMachine,
  inputs: TVS.map((txnVersion) => ({ transactionalId: 't', txnVersion, timeoutTicks: 10, expirationTicks: 100 })),
  events: (s) => {
    const c = s.context as CoordinatorContext;
    const now = Math.max(c.txnStartTick + c.timeoutTicks + 1, c.lastUpdateTick + c.expirationTicks + 1);
    const out: Array<{ type: string } & Record<string, unknown>> = [
      { type: 'txn.initProducerId', newProducerId: 100, now: 1 },
      { type: 'txn.logAppended' }, { type: 'txn.logAppendFailed' }, { type: 'txn.failover' },
      { type: 'txn.completeTxn', now: 1 }, { type: 'txn.tick', now }, { type: 'txn.abortTimedOut', now: 1 },
      { type: 'txn.initProducerId', newProducerId: 100, now: 1, expected: { producerId: c.producerId, producerEpoch: c.epoch } },
      { type: 'txn.initProducerId', newProducerId: 100, now: 1, expected: { producerId: c.producerId, producerEpoch: c.lastEpoch } },
      { type: 'txn.initProducerId', newProducerId: 100, now: 1, expected: { producerId: c.producerId + 7, producerEpoch: 0 } },
      ...c.pendingMarkers.flatMap((partition) => (['NONE', 'NOT_LEADER_OR_FOLLOWER', 'INVALID_PRODUCER_EPOCH'] as const).flatMap((error) =>
        [c.coordinatorEpoch, c.coordinatorEpoch - 1].map((coordinatorEpoch) => ({ type: 'txn.markerAnswered', partition, error, coordinatorEpoch })))),
      ...['p0', 'p1'].flatMap((partition) => [c.epoch, c.epoch - 1].map((producerEpoch) => ({ type: 'txn.verify', producerId: c.producerId, producerEpoch, partition }))),
    ];
    for (const [producerId, producerEpoch] of [[c.producerId, c.epoch], [c.producerId, c.epoch - 1], [c.producerId + 1, c.epoch]]) {
      for (const partitions of [['p0'], ['p1']]) out.push({ type: 'txn.addPartitions', producerId, producerEpoch, partitions, now: 1 });
      // Requests of either version, whatever the cluster's: kafkajs speaks TV1 to a TV2 cluster.
      for (const commit of [true, false]) for (const txnVersion of TVS) out.push({ type: 'txn.endTxn', producerId, producerEpoch, commit, now: 1, txnVersion });
    }
    return out;
  },
  serialize: (s) => {
    const c = s.context as CoordinatorContext;
    return [JSON.stringify(s.value), c.txnVersion, c.pendingState, c.partitions.length, c.pendingMarkers.length, c.markersCancelled,
      c.lastEpoch === -1, c.epoch < 0, c.txnStartTick < 0, c.coordinatorEpoch > 0, c.reply.error].join('|');
  },
};

const ANSWERS: KafkaError[] = ['NONE', 'CONCURRENT_TRANSACTIONS', 'INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTION_ABORTABLE'];

const producerEvents = () => [
    { type: 'producer.initProducerId' }, { type: 'producer.beginTxn' }, { type: 'producer.sendOffsets', groupId: 'g', offsets: { 0: 1 } },
    { type: 'producer.commit' }, { type: 'producer.abort' }, { type: 'producer.crash' },
    { type: 'producer.send', key: 0, value: 1 }, { type: 'producer.send', key: 1, value: 2 },
    ...ANSWERS.flatMap((error) => [
      { type: 'producer.initProducerIdAnswer', error, producerId: 1, producerEpoch: 0 },
      { type: 'producer.addPartitionsAnswer', error }, { type: 'producer.produceAnswer', error, offset: 0 },
      { type: 'producer.addOffsetsAnswer', error }, { type: 'producer.txnOffsetCommitAnswer', error },
      { type: 'producer.endTxnAnswer', error, producerId: 1, producerEpoch: 1 },
    ]),
];
const producerState = (s: { value: unknown; context: unknown }) => {
  const c = s.context as ProducerContext;
  return [JSON.stringify(s.value), c.txnVersion, c.transactionalId, c.attempts, c.txnKeys.length > 0, c.offsetsAdded, c.epochBumpRequired === true].join('|');
};
const producerInputs = TVS.flatMap((txnVersion) => [null, 't'].map((transactionalId) => ({ clientId: 'p', transactionalId, txnVersion })));

export const producerExplorer: Explorer = { name: 'producer', machine: producerMachine, inputs: producerInputs, events: producerEvents, serialize: producerState };

export const javaProducerExplorer: Explorer = {
  name: 'javaProducer', machine: javaProducerMachine, inputs: producerInputs, events: producerEvents, serialize: producerState,
};

export const groupExplorer: Explorer = {
  name: 'group',
  machine: groupMachine,
  inputs: [{ groupId: 'g' }],
  events: () => [
    { type: 'group.offsetCommit', offsets: { 0: 1 } },
    ...[1, 2].flatMap((producerId) => [0, 1].flatMap((producerEpoch) => [
      ...[true, false].map((verified) => ({ type: 'group.txnOffsetCommit', producerId, producerEpoch, offsets: { 0: 2 }, verified })),
      ...[true, false].map((commit) => ({ type: 'group.writeTxnMarker', producerId, producerEpoch, commit })),
    ])),
  ],
  serialize: (s) => {
    const c = s.context as GroupContext;
    const pending = Object.entries(c.pendingTxnOffsets).map(([pid, p]) => `${pid}@${p.producerEpoch}`).sort();
    return `${JSON.stringify(s.value)}|${pending.join(',')}|${JSON.stringify(c.producerEpochs)}`;
  },
};

export const consumerExplorer: Explorer = {
  name: 'consumer',
  machine: consumerMachine,
  inputs: [{ consumerId: 'c' }],
  events: () => [
    { type: 'consumer.assign', keys: [0], groupId: 'g', readCommitted: true, committed: { 0: 3 } },
    { type: 'consumer.fetched', key: 0, nextOffset: 5 }, { type: 'consumer.fetched', key: 1, nextOffset: 5 },
    { type: 'consumer.seek', key: 0, offset: 1 }, { type: 'consumer.rollback', committed: { 0: 3 } },
    { type: 'consumer.crash' },
  ],
  serialize: (s) => `${JSON.stringify(s.value)}|${(s.context as ConsumerContext).assignment.join(',')}`,
};

export const EXPLORERS: Explorer[] = [partitionExplorer, coordinatorExplorer, producerExplorer, javaProducerExplorer, groupExplorer, consumerExplorer];
