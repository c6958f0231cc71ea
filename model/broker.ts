// What the brokers do with a client request and with each message in flight, written once over a small
// port (Broker) that the simulated cluster (cluster.ts) and the explorer (harness/explore) both implement.
// The rules are the machines'; this is routing, as KafkaApis and ReplicaManager route: a request reaches
// the coordinator or a partition leader, the coordinator's transit goes to its log, markers go out after a
// Prepare*, each answer comes back, and the transaction completes when every marker is in.
import type { EventFromLogic } from 'xstate';
import type { coordinatorMachine, CoordinatorContext, CoordinatorReply } from './coordinator.machine.ts';
import type { BrokerRule } from './broker-rules.ts';
import { isEndOf } from './coordinator.rules.ts';
import type { groupMachine } from './group.machine.ts';
import type { Message, ClientRequest, Protocol } from './network.ts';
import type { PartitionContext, PartitionReply, partitionMachine } from './partition.machine.ts';
import { type KafkaError, type Key, type TxnPartition, type TxnVersion, dataPartition, groupPartition, keyOfPartition } from './types.ts';

export interface Broker {
  readonly txnVersion: TxnVersion;
  readonly now: number;
  /** Enough live brokers for writes (min.insync.replicas). */
  available(): boolean;
  coordinator(id: string): CoordinatorContext | undefined;
  /** The coordinator of `id`, created (Empty) if it is new. */
  ensureCoordinator(id: string): CoordinatorContext;
  stepCoordinator(id: string, event: EventFromLogic<typeof coordinatorMachine>): CoordinatorContext;
  partition(key: Key): PartitionContext;
  stepPartition(key: Key, event: EventFromLogic<typeof partitionMachine>): PartitionReply;
  stepGroup(groupId: string, event: EventFromLogic<typeof groupMachine>): KafkaError;
  /** The next producer id the id manager would hand out, and taking it. */
  peekProducerId(): number;
  takeProducerId(): number;
  send(connection: string, message: Message): number;
  inFlight(pred: (m: Message) => boolean): boolean;
  /** Sees each routing rule (broker-rules.ts) as it is applied (coverage). */
  rule?(name: BrokerRule): void;
}

/** A request's answer, or the message it waits for (its coordinator's log append, or replication). */
export type Handled<A> = { kind: 'answer'; answer: A } | { kind: 'waiting'; message: number; answer: A };

export type CoordinatorAnswer = CoordinatorReply;
export type ProduceAnswer = PartitionReply;

const unavailable = (error: KafkaError): CoordinatorReply => ({ error, producerId: -1, producerEpoch: -1, awaitingLogAppend: false });
const refused = (error: KafkaError): PartitionReply => ({ error, offset: null, duplicate: false });
const logConnection = (id: string) => `txnlog:${id}`;
/** A coordinator's connection to a partition leader: a new coordinator (after a failover) opens its own, so the
 *  old one's markers still on the wire may land after the new one's. */
const markerConnection = (id: string, p: TxnPartition, coordinatorEpoch: number) => `marker:${id}:${p}:${coordinatorEpoch}`;

/** KafkaApis answers PRODUCER_FENCED as INVALID_PRODUCER_EPOCH to old request versions (KIP-588). */
export const toClient = (error: KafkaError, p: Protocol, b?: Broker): KafkaError => {
  if (error !== 'PRODUCER_FENCED' || !p.oldRequestVersions) return error;
  b?.rule?.('answer.kip588');
  return 'INVALID_PRODUCER_EPOCH';
};
const unavailableCoordinator = (b: Broker): Handled<CoordinatorAnswer> => {
  b.rule?.('request.unavailable');
  return { kind: 'answer', answer: unavailable('COORDINATOR_NOT_AVAILABLE') };
};
const unknownId = (b: Broker): Handled<CoordinatorAnswer> => {
  b.rule?.('request.unknownId');
  return { kind: 'answer', answer: unavailable('INVALID_PRODUCER_ID_MAPPING') };
};

/** A client request to a coordinator: answered at once, or once its transit is in the transaction log. */
function coordinatorRequest(b: Broker, id: string, event: EventFromLogic<typeof coordinatorMachine>, p: Protocol, requestId: number): Handled<CoordinatorAnswer> {
  const ctx = b.stepCoordinator(id, event);
  if (!ctx.reply.awaitingLogAppend) {
    kick(b, id);
    return { kind: 'answer', answer: { ...ctx.reply, error: toClient(ctx.reply.error, p, b) } };
  }
  const message = b.send(logConnection(id), { kind: 'logAppend', transactionalId: id, coordinatorEpoch: ctx.coordinatorEpoch, requestId });
  return { kind: 'waiting', message, answer: unavailable('REQUEST_TIMED_OUT') };
}

export function handleRequest(b: Broker, req: ClientRequest, p: Protocol, requestId: number): Handled<CoordinatorAnswer> | Handled<ProduceAnswer> {
  switch (req.type) {
    case 'initProducerId': {
      if (req.transactionalId === null) {
        b.rule?.('init.idempotent');
        return { kind: 'answer', answer: { error: 'NONE', producerId: b.takeProducerId(), producerEpoch: 0, awaitingLogAppend: false } };
      }
      if (!b.available()) return unavailableCoordinator(b);
      b.ensureCoordinator(req.transactionalId);
      const newProducerId = b.peekProducerId();
      const r = coordinatorRequest(b, req.transactionalId, {
        type: 'txn.initProducerId', newProducerId, now: b.now, ...(req.expected ? { expected: req.expected } : {}),
      }, p, requestId);
      const c = b.coordinator(req.transactionalId)!;
      if (c.producerId === newProducerId || c.transit?.producerId === newProducerId) b.takeProducerId();
      return r;
    }
    case 'addPartitions':
      if (!b.available()) return unavailableCoordinator(b);
      if (b.coordinator(req.transactionalId) === undefined) return unknownId(b);
      return coordinatorRequest(b, req.transactionalId, {
        type: 'txn.addPartitions', producerId: req.producerId, producerEpoch: req.producerEpoch, partitions: req.partitions, now: b.now, txnVersion: p.txnVersion,
      }, p, requestId);
    case 'endTxn':
      if (!b.available()) return unavailableCoordinator(b);
      if (b.coordinator(req.transactionalId) === undefined) return unknownId(b);
      return coordinatorRequest(b, req.transactionalId, {
        type: 'txn.endTxn', producerId: req.producerId, producerEpoch: req.producerEpoch, commit: req.commit, now: b.now, txnVersion: p.txnVersion,
      }, p, requestId);
    case 'produce': return produce(b, req, p, requestId);
    case 'txnOffsetCommit': {
      if (!b.available()) { b.rule?.('offsets.unavailable'); return { kind: 'answer', answer: unavailable('COORDINATOR_NOT_AVAILABLE') }; }
      const verdict = verifyOrAdd(b, req.transactionalId, req.producerId, req.producerEpoch, groupPartition(req.groupId), p);
      if (verdict === 'CONCURRENT_TRANSACTIONS') { b.rule?.('offsets.verifyConcurrent'); return { kind: 'answer', answer: unavailable(verdict) }; }
      if (verdict === 'PRODUCER_FENCED') b.rule?.('offsets.verifyFenced');
      const error = b.stepGroup(req.groupId, {
        type: 'group.txnOffsetCommit', producerId: req.producerId, producerEpoch: req.producerEpoch, offsets: req.offsets, verified: verdict === 'NONE',
        fenced: verdict === 'PRODUCER_FENCED',
      });
      return { kind: 'answer', answer: unavailable(error) };
    }
  }
}

/**
 * Produce (ReplicaManager.handleProduceAppend): a transactional write the partition does not already hold
 * an open transaction of this (pid, epoch) for is first verified (TV1) or added (TV2) by the coordinator,
 * whose errors are translated for the produce answer. An appended record is acknowledged (acks=all) once
 * the followers have it.
 */
function produce(b: Broker, req: Extract<ClientRequest, { type: 'produce' }>, p: Protocol, requestId: number): Handled<ProduceAnswer> {
  if (!b.available()) { b.rule?.('produce.unavailable'); return { kind: 'answer', answer: refused('NOT_ENOUGH_REPLICAS') }; }
  const { key, request } = req;
  let verified = false;
  if (req.transactionalId !== null) {
    const entry = b.partition(key).producers[request.producerId];
    const stale = entry !== undefined && entry.producerEpoch > request.producerEpoch;
    const ongoing = entry !== undefined && entry.producerEpoch === request.producerEpoch && entry.currentTxnFirstOffset !== null;
    verified = ongoing; // stale: the log's epoch check answers; ongoing: the SENTINEL guard, no verification
    if (stale) b.rule?.('produce.staleSkipsVerification');
    else if (ongoing) b.rule?.('produce.ongoingSkipsVerification');
    else {
      const verdict = verifyOrAdd(b, req.transactionalId, request.producerId, request.producerEpoch, dataPartition(key), p);
      const error = produceErrorFor(verdict, p, b);
      if (error !== null) return { kind: 'answer', answer: refused(error) };
      verified = verdict === 'NONE';
    }
  }
  const reply = b.stepPartition(key, { type: 'partition.produce', request, verified });
  if (reply.error !== 'NONE' || reply.offset === null || reply.offset < b.partition(key).highWatermark) return { kind: 'answer', answer: reply };
  b.rule?.('produce.waitsForReplication');
  const message = b.send(`replicate:${key}`, { kind: 'replicate', key });
  return { kind: 'waiting', message, answer: reply };
}

/** ReplicaManager's translation of a verification error into a produce error (null: let the log decide). */
function produceErrorFor(verdict: KafkaError, p: Protocol, b: Broker): KafkaError | null {
  switch (verdict) {
    case 'NONE': return null;
    // CONCURRENT_TRANSACTIONS becomes NOT_ENOUGH_REPLICAS (retriable) for pre-TV2 clients
    case 'CONCURRENT_TRANSACTIONS': return p.txnVersion === 1 ? ruled(b, 'produce.verifyConcurrentTv1', 'NOT_ENOUGH_REPLICAS') : ruled(b, 'produce.verifyConcurrentTv2', verdict);
    // AddPartitionsToTxnManager maps PRODUCER_FENCED to INVALID_PRODUCER_EPOCH
    case 'PRODUCER_FENCED': return ruled(b, 'produce.verifyFenced', 'INVALID_PRODUCER_EPOCH');
    case 'COORDINATOR_NOT_AVAILABLE': case 'NOT_COORDINATOR': return ruled(b, 'produce.verifyUnavailable', 'NOT_ENOUGH_REPLICAS');
    default: return ruled(b, 'produce.verifyRefused', null); // TRANSACTION_ABORTABLE/INVALID_PRODUCER_ID_MAPPING: the write guard refuses it
  }
}

function ruled(b: Broker, rule: BrokerRule, error: KafkaError | null): KafkaError | null {
  b.rule?.(rule);
  return error;
}

/** handleVerifyPartitionsInTransaction (TV1, read-only) or the TV2 implicit AddPartitionsToTxn, whose own log
 *  append the leader waits for before it appends (a nested request: delivered at once). */
function verifyOrAdd(b: Broker, id: string, producerId: number, producerEpoch: number, partition: TxnPartition, p: Protocol): KafkaError {
  if (b.coordinator(id) === undefined) { b.rule?.('verify.unknownId'); return 'INVALID_PRODUCER_ID_MAPPING'; }
  if (p.txnVersion === 1) return b.stepCoordinator(id, { type: 'txn.verify', producerId, producerEpoch, partition }).reply.error;
  const ctx = b.stepCoordinator(id, { type: 'txn.addPartitions', producerId, producerEpoch, partitions: [partition], now: b.now, txnVersion: 2 });
  if (!ctx.reply.awaitingLogAppend) { kick(b, id); return ctx.reply.error; }
  b.rule?.('verify.tv2ImplicitAdd');
  return b.stepCoordinator(id, { type: appendOutcome(b) }).reply.error;
}

/**
 * The coordinator's own follow-ups, sent as messages (TransactionStateManager, TransactionMarkerChannelManager):
 * the append of a transit nobody waits for (a fence, a timeout abort, a completion), the markers of a
 * Prepare*, and the completion once every marker is in.
 */
export function kick(b: Broker, id: string): void {
  const c = b.coordinator(id);
  if (c === undefined) return;
  if (c.pendingState !== null) {
    if (!b.inFlight((m) => m.kind === 'logAppend' && m.transactionalId === id)) {
      b.send(logConnection(id), { kind: 'logAppend', transactionalId: id, coordinatorEpoch: c.coordinatorEpoch, requestId: null });
    }
    return;
  }
  if (!isEndOf(c.state)) return;
  if (c.markersCancelled || !b.available()) { b.rule?.('kick.waitsForQuorum'); return; }
  // Whether every marker is in is the coordinator machine's rule (allMarkersWritten), not the router's.
  const next = b.stepCoordinator(id, { type: 'txn.completeTxn', now: b.now });
  if (next.pendingState !== null) { kick(b, id); return; }
  for (const partition of next.pendingMarkers) {
    // One marker per partition at a time: sent, or answered and the answer still on its way back.
    if (b.inFlight((m) => (m.kind === 'marker' || m.kind === 'markerAnswer') && m.transactionalId === id && m.partition === partition
      && m.coordinatorEpoch === next.coordinatorEpoch)) { b.rule?.('kick.oneMarkerPerPartition'); continue; }
    b.send(markerConnection(id, partition, next.coordinatorEpoch), {
      kind: 'marker', transactionalId: id, partition, producerId: next.producerId, producerEpoch: next.epoch, commit: next.state === 'PrepareCommit',
      coordinatorEpoch: next.coordinatorEpoch, txnVersion: next.clientTxnVersion,
    });
  }
}

const appendOutcome = (b: Broker): 'txn.logAppended' | 'txn.logAppendFailed' => {
  if (b.available()) return 'txn.logAppended';
  b.rule?.('logAppend.failed');
  return 'txn.logAppendFailed';
};

/** Delivers one message. Returns the answer of the client request it completes, if any. */
export function deliverMessage(b: Broker, m: Message): { requestId: number; reply: CoordinatorReply } | null {
  switch (m.kind) {
    case 'logAppend': {
      const c = b.coordinator(m.transactionalId);
      // The coordinator that prepared it moved away: the append never became durable.
      if (c === undefined || c.coordinatorEpoch !== m.coordinatorEpoch || c.pendingState === null) { b.rule?.('logAppend.coordinatorMoved'); return null; }
      const next = b.stepCoordinator(m.transactionalId, { type: appendOutcome(b) });
      const reply = next.reply;
      kick(b, m.transactionalId);
      return m.requestId === null ? null : { requestId: m.requestId, reply };
    }
    case 'marker': {
      const key = keyOfPartition(m.partition);
      if (!b.available()) b.rule?.('marker.unavailable');
      else if (key === null) b.rule?.('marker.toGroup');
      const error: KafkaError = !b.available() ? 'NOT_ENOUGH_REPLICAS' : key !== null
        ? b.stepPartition(key, {
          type: 'partition.writeTxnMarker', producerId: m.producerId, producerEpoch: m.producerEpoch, commit: m.commit,
          coordinatorEpoch: m.coordinatorEpoch, txnVersion: m.txnVersion,
        }).error
        : b.stepGroup(m.partition.slice(2), { type: 'group.writeTxnMarker', producerId: m.producerId, producerEpoch: m.producerEpoch, commit: m.commit });
      if (key !== null && error === 'NONE') b.stepPartition(key, { type: 'partition.replicate' });
      b.send(`${markerConnection(m.transactionalId, m.partition, m.coordinatorEpoch)}:answer`, {
        kind: 'markerAnswer', transactionalId: m.transactionalId, partition: m.partition, error, coordinatorEpoch: m.coordinatorEpoch,
      });
      return null;
    }
    case 'markerAnswer': {
      if (b.coordinator(m.transactionalId) === undefined) { b.rule?.('markerAnswer.unknownId'); return null; }
      b.stepCoordinator(m.transactionalId, { type: 'txn.markerAnswered', partition: m.partition, error: m.error, coordinatorEpoch: m.coordinatorEpoch });
      kick(b, m.transactionalId);
      return null;
    }
    case 'replicate':
      b.stepPartition(m.key, { type: 'partition.replicate' });
      return null;
    case 'request':
      handleRequest(b, m.request, m.protocol, -1);
      return null;
  }
}
