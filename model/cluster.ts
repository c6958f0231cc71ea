// The broker side of the simulated cluster: partition leaders, transaction coordinators and group
// coordinators as machine snapshots, stepped with xstate's pure `transition`. This file only routes requests
// to machines and drives the coordinator's own follow-ups (its log append, WriteTxnMarkers, completion), as
// TransactionStateManager and TransactionMarkerChannelManager do; the rules live in the machines.
import type { EventFromLogic, SnapshotFrom } from 'xstate';
import { coordinatorMachine, type CoordinatorContext, type CoordinatorReply } from './coordinator.machine.ts';
import { groupMachine } from './group.machine.ts';
import { type PartitionReply, lastStableOffset, partitionMachine } from './partition.machine.ts';
import type { ModelVariant, SimConfig } from './sim.types.ts';
import { type Stepper, stepperFor } from './step.ts';
import {
  type KafkaError, type Key, type Offset, type ProduceRequest, type TxnPartition, dataPartition, groupPartition,
  keyOfPartition,
} from './types.ts';

type PartitionSnap = SnapshotFrom<typeof partitionMachine>;
type CoordinatorSnap = SnapshotFrom<typeof coordinatorMachine>;
type GroupSnap = SnapshotFrom<typeof groupMachine>;

const unavailable = (error: KafkaError): CoordinatorReply => ({ error, producerId: -1, producerEpoch: -1, awaitingLogAppend: false });
/** Marker answers after which the coordinator stops sending that partition's marker (TransactionMarkerRequestCompletionHandler). */
const MARKER_DONE: ReadonlySet<KafkaError> = new Set<KafkaError>(['NONE', 'INVALID_PRODUCER_EPOCH', 'TRANSACTION_COORDINATOR_FENCED']);

export class Cluster {
  steps = 0;
  now = 0;
  readonly partitions: PartitionSnap[];
  readonly coordinators = new Map<string, CoordinatorSnap>();
  readonly groups = new Map<string, GroupSnap>();
  private readonly up: boolean[];
  private readonly leaders: number[];
  private readonly coordinatorNode = new Map<string, number>();
  private nextProducerId = 1000;
  private readonly pm: Stepper<typeof partitionMachine>;
  private readonly cm: Stepper<typeof coordinatorMachine>;
  private readonly gm: Stepper<typeof groupMachine>;
  readonly lso: NonNullable<ModelVariant['lastStableOffset']>;
  readonly onStep: ModelVariant['onStep'];

  constructor(readonly config: Required<SimConfig>, private readonly variant: ModelVariant | undefined) {
    this.pm = stepperFor(variant?.partition ?? partitionMachine, { key: 0, txnVersion: config.txnVersion });
    this.cm = stepperFor(variant?.coordinator ?? coordinatorMachine, this.coordinatorInput(''));
    this.gm = stepperFor(variant?.group ?? groupMachine, { groupId: '' });
    this.lso = variant?.lastStableOffset ?? lastStableOffset;
    this.onStep = variant?.onStep;
    this.up = Array.from({ length: config.nodes }, () => true);
    this.leaders = Array.from({ length: config.keys }, (_, k) => k % config.nodes);
    this.partitions = Array.from({ length: config.keys }, (_, key) =>
      this.pm.initial({ key, txnVersion: config.txnVersion }));
  }

  /** An independent copy: snapshots are immutable, so copying the containers is enough. */
  fork(): Cluster {
    const c = new Cluster(this.config, this.variant);
    c.steps = this.steps;
    c.now = this.now;
    c.nextProducerId = this.nextProducerId;
    this.partitions.forEach((p, k) => { c.partitions[k] = p; });
    this.up.forEach((u, n) => { c.up[n] = u; });
    this.leaders.forEach((l, k) => { c.leaders[k] = l; });
    for (const [id, s] of this.coordinators) c.coordinators.set(id, s);
    for (const [id, s] of this.groups) c.groups.set(id, s);
    for (const [id, n] of this.coordinatorNode) c.coordinatorNode.set(id, n);
    return c;
  }

  /** Writes need min.insync.replicas live brokers (RF = nodes, acks=all). */
  available(): boolean {
    return this.up.filter(Boolean).length >= this.config.minInSyncReplicas;
  }

  // ---- machine stepping -------------------------------------------------------------------------

  private stepPartition(key: Key, event: EventFromLogic<typeof partitionMachine>): PartitionReply {
    this.steps++;
    const before = this.partitions[key]!;
    const next = this.pm.step(before, event);
    this.partitions[key] = next;
    this.onStep?.({ machine: 'partition', id: String(key), event, before, after: next });
    return next.context.reply;
  }

  private stepCoordinator(id: string, event: EventFromLogic<typeof coordinatorMachine>): CoordinatorContext {
    this.steps++;
    const before = this.coordinators.get(id)!;
    const next = this.cm.step(before, event);
    this.coordinators.set(id, next);
    this.onStep?.({ machine: 'coordinator', id, event, before, after: next });
    return next.context;
  }

  private stepGroup(groupId: string, event: EventFromLogic<typeof groupMachine>): KafkaError {
    this.steps++;
    const snap = this.groups.get(groupId) ?? this.gm.initial({ groupId });
    const next = this.gm.step(snap, event);
    this.groups.set(groupId, next);
    this.onStep?.({ machine: 'group', id: groupId, event, before: snap, after: next });
    return next.context.reply.error;
  }

  private coordinatorInput(transactionalId: string) {
    return {
      transactionalId, txnVersion: this.config.txnVersion, timeoutTicks: this.config.transactionTimeoutTicks,
      expirationTicks: this.config.transactionalIdExpirationTicks,
    };
  }

  private coordinatorOf(id: string): CoordinatorSnap {
    let snap = this.coordinators.get(id);
    if (snap === undefined) {
      snap = this.cm.initial(this.coordinatorInput(id));
      this.coordinators.set(id, snap);
      let h = 0;
      for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 65521;
      this.coordinatorNode.set(id, h % this.config.nodes);
    }
    return snap;
  }

  // ---- requests ---------------------------------------------------------------------------------

  /** InitProducerId without a transactional id: any broker hands out a fresh producer id at epoch 0. */
  idempotentProducerId(): CoordinatorReply {
    return { error: 'NONE', producerId: this.nextProducerId++, producerEpoch: 0, awaitingLogAppend: false };
  }

  initProducerId(transactionalId: string): CoordinatorReply {
    if (!this.available()) return unavailable('COORDINATOR_NOT_AVAILABLE');
    this.coordinatorOf(transactionalId);
    const newProducerId = this.nextProducerId;
    const reply = this.request(transactionalId, { type: 'txn.initProducerId', newProducerId, now: this.now });
    if (this.coordinators.get(transactionalId)!.context.producerId === newProducerId) this.nextProducerId++;
    return reply;
  }

  addPartitions(transactionalId: string, producerId: number, producerEpoch: number, partitions: TxnPartition[]): KafkaError {
    if (!this.available()) return 'COORDINATOR_NOT_AVAILABLE';
    if (!this.coordinators.has(transactionalId)) return 'INVALID_PRODUCER_ID_MAPPING';
    return this.request(transactionalId, { type: 'txn.addPartitions', producerId, producerEpoch, partitions, now: this.now }).error;
  }

  endTxn(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean): CoordinatorReply {
    if (!this.available()) return unavailable('COORDINATOR_NOT_AVAILABLE');
    if (!this.coordinators.has(transactionalId)) return unavailable('INVALID_PRODUCER_ID_MAPPING');
    return this.request(transactionalId, { type: 'txn.endTxn', producerId, producerEpoch, commit, now: this.now });
  }

  /** An idempotent, non-transactional Produce. */
  produce(key: Key, request: ProduceRequest): PartitionReply {
    if (!this.available()) return { error: 'NOT_ENOUGH_REPLICAS', offset: null, duplicate: false };
    return this.stepPartition(key, { type: 'partition.produce', request, verified: false });
  }

  /**
   * A transactional Produce (ReplicaManager.handleProduceAppend): unless the partition already holds an open
   * transaction of this (pid, epoch) or the epoch is stale (maybeStartTransactionVerification), the leader first
   * asks the coordinator (TV1 verify-only, TV2 implicit add) and translates its errors for the produce answer.
   */
  txnProduce(transactionalId: string, key: Key, request: ProduceRequest): PartitionReply {
    if (!this.available()) return { error: 'NOT_ENOUGH_REPLICAS', offset: null, duplicate: false };
    const entry = this.partitions[key]!.context.producers[request.producerId];
    const stale = entry !== undefined && entry.producerEpoch > request.producerEpoch;
    const ongoing = entry !== undefined && entry.producerEpoch === request.producerEpoch && entry.currentTxnFirstOffset !== null;
    let verified = ongoing; // stale: the log's epoch check answers; ongoing: the SENTINEL guard, no verification
    if (!stale && !ongoing) {
      const verdict = this.verifyOrAdd(transactionalId, request.producerId, request.producerEpoch, dataPartition(key));
      const refused = this.produceErrorFor(verdict);
      if (refused !== null) return { error: refused, offset: null, duplicate: false };
      verified = verdict === 'NONE';
    }
    return this.stepPartition(key, { type: 'partition.produce', request, verified });
  }

  /** ReplicaManager's translation of a verification error into a produce error (null: let the log decide). */
  private produceErrorFor(verdict: KafkaError): KafkaError | null {
    switch (verdict) {
      // CONCURRENT_TRANSACTIONS becomes NOT_ENOUGH_REPLICAS (retriable) for pre-TV2 clients
      case 'CONCURRENT_TRANSACTIONS': return this.config.txnVersion === 1 ? 'NOT_ENOUGH_REPLICAS' : verdict;
      // AddPartitionsToTxnManager maps PRODUCER_FENCED to INVALID_PRODUCER_EPOCH
      case 'PRODUCER_FENCED': return 'INVALID_PRODUCER_EPOCH';
      case 'COORDINATOR_NOT_AVAILABLE': case 'NOT_COORDINATOR': return 'NOT_ENOUGH_REPLICAS';
      default: return null; // NONE, or TRANSACTION_ABORTABLE/INVALID_PRODUCER_ID_MAPPING: the write guard refuses it
    }
  }

  txnOffsetCommit(
    transactionalId: string, groupId: string, producerId: number, producerEpoch: number,
    offsets: Readonly<Record<Key, Offset>>,
  ): KafkaError {
    if (!this.available()) return 'COORDINATOR_NOT_AVAILABLE';
    const verdict = this.verifyOrAdd(transactionalId, producerId, producerEpoch, groupPartition(groupId));
    if (verdict === 'CONCURRENT_TRANSACTIONS') return verdict;
    return this.stepGroup(groupId, { type: 'group.txnOffsetCommit', producerId, producerEpoch, offsets, verified: verdict === 'NONE' });
  }

  offsetCommit(groupId: string, offsets: Readonly<Record<Key, Offset>>): KafkaError {
    if (!this.available()) return 'COORDINATOR_NOT_AVAILABLE';
    return this.stepGroup(groupId, { type: 'group.offsetCommit', offsets });
  }

  /** handleVerifyPartitionsInTransaction (TV1, read-only) or the TV2 implicit AddPartitionsToTxn. */
  private verifyOrAdd(transactionalId: string, producerId: number, producerEpoch: number, partition: TxnPartition): KafkaError {
    const snap = this.coordinators.get(transactionalId);
    if (snap === undefined) return 'INVALID_PRODUCER_ID_MAPPING';
    if (this.config.txnVersion === 2) return this.addPartitions(transactionalId, producerId, producerEpoch, [partition]);
    const c = snap.context;
    if (c.producerId !== producerId) return 'INVALID_PRODUCER_ID_MAPPING';
    if (c.epoch !== producerEpoch) return 'PRODUCER_FENCED';
    if (c.state === 'PrepareCommit' || c.state === 'PrepareAbort') return 'CONCURRENT_TRANSACTIONS';
    return c.partitions.includes(partition) ? 'NONE' : 'TRANSACTION_ABORTABLE';
  }

  /** A client request to a coordinator: its answer is known once its own log append is durable (or failed);
   *  the follow-ups (markers, completion) happen after the answer, as in Kafka. */
  private request(id: string, event: EventFromLogic<typeof coordinatorMachine>): CoordinatorReply {
    let ctx = this.stepCoordinator(id, event);
    if (ctx.reply.awaitingLogAppend) ctx = this.stepCoordinator(id, { type: this.available() ? 'txn.logAppended' : 'txn.logAppendFailed' });
    // A transit that the log append did not complete leaves the client without an answer.
    const reply = ctx.reply.awaitingLogAppend ? unavailable('REQUEST_TIMED_OUT') : ctx.reply;
    this.settle(id);
    return { ...reply, error: this.toClient(reply.error) };
  }

  /** KafkaApis answers PRODUCER_FENCED as INVALID_PRODUCER_EPOCH to old request versions (KIP-588): kafkajs
   *  speaks InitProducerId/AddPartitionsToTxn/AddOffsetsToTxn/EndTxn v1, the TV1 client of this model. */
  private toClient(error: KafkaError): KafkaError {
    return error === 'PRODUCER_FENCED' && this.config.txnVersion === 1 ? 'INVALID_PRODUCER_EPOCH' : error;
  }

  // ---- the coordinator's own follow-ups -----------------------------------------------------------

  /** Drive a coordinator as far as it can go now: log appends, markers, completion. */
  settle(id: string): CoordinatorContext {
    for (let guard = 0; guard < 16; guard++) {
      const snap = this.coordinators.get(id)!;
      const c = snap.context;
      if (c.pendingState !== null) {
        this.stepCoordinator(id, { type: this.available() ? 'txn.logAppended' : 'txn.logAppendFailed' });
        continue;
      }
      if (c.state !== 'PrepareCommit' && c.state !== 'PrepareAbort') break;
      if (!this.available()) break;
      for (const p of c.pendingMarkers) {
        if (MARKER_DONE.has(this.writeMarker(c, p))) this.stepCoordinator(id, { type: 'txn.markerWritten', partition: p });
      }
      this.stepCoordinator(id, { type: 'txn.completeTxn', now: this.now });
      if (this.coordinators.get(id)!.context.pendingState === null) break;
    }
    return this.coordinators.get(id)!.context;
  }

  private writeMarker(c: CoordinatorContext, p: TxnPartition): KafkaError {
    const commit = c.state === 'PrepareCommit';
    const key = keyOfPartition(p);
    if (key !== null) {
      return this.stepPartition(key, {
        type: 'partition.writeTxnMarker', producerId: c.producerId, producerEpoch: c.epoch, commit,
        coordinatorEpoch: c.coordinatorEpoch,
      }).error;
    }
    return this.stepGroup(p.slice(2), { type: 'group.writeTxnMarker', producerId: c.producerId, producerEpoch: c.epoch, commit });
  }

  settleAll(): void {
    for (const id of this.coordinators.keys()) this.settle(id);
  }

  /** Logical time passes: transaction timeouts and transactional.id expiry fire. */
  advance(ticks: number): void {
    this.now += ticks;
    for (const id of this.coordinators.keys()) {
      this.stepCoordinator(id, { type: 'txn.tick', now: this.now });
      this.settle(id);
    }
  }

  /** abortTimedOutTransactions for one transactional id, at a moment the caller chooses. */
  abortTimedOut(id: string): void {
    if (!this.coordinators.has(id)) return;
    this.stepCoordinator(id, { type: 'txn.abortTimedOut', now: this.now });
    this.settle(id);
  }

  // ---- cluster faults ---------------------------------------------------------------------------

  leaderChange(key: Key): void {
    this.leaders[key] = this.nextUpNode(this.leaders[key]!);
    this.stepPartition(key, { type: 'partition.leaderChange' });
  }

  coordinatorFailover(id: string): void {
    if (!this.coordinators.has(id)) return;
    this.coordinatorNode.set(id, this.nextUpNode(this.coordinatorNode.get(id)!));
    this.stepCoordinator(id, { type: 'txn.failover' });
    this.settle(id);
  }

  nodeDown(node: number): void {
    if (!this.up[node]) return;
    this.up[node] = false;
    this.leaders.forEach((leader, key) => { if (leader === node) this.leaderChange(key); });
    for (const [id, n] of this.coordinatorNode) if (n === node) this.coordinatorFailover(id);
  }

  nodeUp(node: number): void {
    this.up[node] = true;
    this.settleAll();
  }

  private nextUpNode(from: number): number {
    for (let i = 1; i <= this.config.nodes; i++) {
      const n = (from + i) % this.config.nodes;
      if (this.up[n]) return n;
    }
    return (from + 1) % this.config.nodes;
  }
}
