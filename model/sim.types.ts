// The public shape of the simulated cluster (model/README.md documents every call).
import type { consumerMachine, ConsumerContext } from './consumer.machine.ts';
import type { coordinatorMachine, CoordinatorContext } from './coordinator.machine.ts';
import type { groupMachine, GroupContext } from './group.machine.ts';
import type { PartitionContext, partitionMachine } from './partition.machine.ts';
import type { producerMachine, ProducerContext } from './producer.machine.ts';
import type { javaProducerMachine } from './java-producer.machine.ts';
import type { BrokerRule } from './broker-rules.ts';
import type { InFlight } from './network.ts';
import type { Delivery } from './schedule.ts';
import type { Key, LogEntry, Offset, TxnState, TxnVersion, Value } from './types.ts';

/** Which client library a producer is: kafkajs 2.2.4 (TV1, old request versions), or the Java client (4.x),
 *  which speaks the cluster's transaction version. */
export type ClientModel = 'kafkajs' | 'java';

export interface SimConfig {
  /** The cluster's transaction.version feature (KIP-890): what its coordinators use for their own aborts. */
  txnVersion: TxnVersion;
  /** The client producers are by default (initProducer may say otherwise): the one that speaks `txnVersion`,
   *  kafkajs for 1 and the Java client for 2. */
  client?: ClientModel;
  /** When messages in flight land (schedule.ts): at once (default), when a driver delivers them, or seeded. */
  delivery?: Delivery;
  /** Number of keys; key k is one topic-partition, 0..keys-1. */
  keys: number;
  /** Brokers (default 3). Leaders and coordinators live on nodes; writes need min.insync.replicas = min(2, nodes) up. */
  nodes?: number;
  /** transaction.timeout.ms in ticks (default 600). Every client request takes one tick. */
  transactionTimeoutTicks?: number;
  /** transactional.id.expiration.ms in ticks (default: never). */
  transactionalIdExpirationTicks?: number;
  /** Live brokers a write needs (min.insync.replicas with RF = nodes; default min(2, nodes)). */
  minInSyncReplicas?: number;
}

/** ok: took effect; fail: definitely did not; info: the client cannot know (it timed out). */
export type Outcome<T = undefined> =
  | { type: 'ok'; value: T }
  | { type: 'fail'; error: string }
  | { type: 'info'; error: string };

export type FaultEvent =
  /** The next `count` (default 1) requests of this client never reach the broker (after `after` requests, default 0, pass). */
  | { type: 'requestLost'; clientId: string; count?: number; after?: number }
  /** The next `count` (default 1) requests of this client take effect but their responses are lost. */
  | { type: 'responseLost'; clientId: string; count?: number; after?: number }
  /** The next `count` (default 1) requests of this client stay on the wire: the client times out, the request lands later. */
  | { type: 'requestDelayed'; clientId: string; count?: number; after?: number }
  | { type: 'leaderChange'; key: Key }
  | { type: 'coordinatorFailover'; transactionalId: string }
  | { type: 'producerCrash'; clientId: string }
  | { type: 'consumerCrash'; consumerId: string }
  | { type: 'nodeDown'; node: number }
  | { type: 'nodeUp'; node: number }
  | { type: 'tick'; ticks: number }
  /** The coordinator's cleanup task aborts this transactional id's Ongoing transaction now, as timed out. */
  | { type: 'transactionTimeout'; transactionalId: string };

export interface TxnView {
  state: TxnState;
  producerId: number;
  producerEpoch: number;
  partitions: readonly string[];
  pendingMarkers: readonly string[];
  pendingState: TxnState | null;
}

export interface Sim {
  readonly config: Required<SimConfig>;
  initProducer(clientId: string, opts?: { transactionalId?: string; client?: ClientModel }): Outcome;
  send(clientId: string, key: Key, value: Value): Outcome<{ offset: Offset | null }>;
  beginTxn(clientId: string): Outcome;
  txnSend(clientId: string, key: Key, value: Value): Outcome<{ offset: Offset | null }>;
  sendOffsets(clientId: string, groupId: string, offsets: Readonly<Record<Key, Offset>>): Outcome;
  commitTxn(clientId: string): Outcome;
  abortTxn(clientId: string): Outcome;
  assign(consumerId: string, keys: readonly Key[], opts: { groupId?: string; readCommitted: boolean }): Outcome;
  poll(consumerId: string): Outcome<Record<Key, Array<[offset: Offset, value: Value]>>>;
  seek(consumerId: string, key: Key, offset: Offset): void;
  /** Rewind every assigned partition to the group's committed offset (after an abort). */
  rollback(consumerId: string): void;
  /** A plain (non-transactional) OffsetCommit, as `consumer.commitOffsets` does. */
  commitOffsets(groupId: string, offsets: Readonly<Record<Key, Offset>>): Outcome;
  committedOffsets(groupId: string): Record<Key, Offset>;
  fault(event: FaultEvent): void;
  log(key: Key): readonly LogEntry[];
  highWatermark(key: Key): Offset;
  lastStableOffset(key: Key): Offset;
  txn(transactionalId: string): TxnView | null;
  /** Messages in flight (markers, log appends, replication, delayed requests), oldest first. */
  inFlight(): readonly InFlight[];
  /** Delivers message `id` (the oldest of its connection). */
  deliver(id: number): void;
  /** Under manual delivery: hold (or release and deliver) the follow-ups of a transactional id. */
  hold(transactionalId: string, held: boolean): void;
  /** Machine-level views for properties and checkers (read-only snapshots' contexts and state names). */
  inspect(): SimInspection;
  /** One client's machine (cheaper than inspect()); undefined if the id was never used. */
  producer(clientId: string): { state: string; context: ProducerContext } | undefined;
  consumer(consumerId: string): { state: string; context: ConsumerContext } | undefined;
  /** An independent copy of the whole simulation (cluster, clients, armed faults): explore both outcomes of
   *  an indeterminate call, e.g. commit on one fork and request-lost on the other. O(number of machines). */
  fork(): Sim;
  /** Machine transitions taken so far (the unit of the benchmark). */
  readonly steps: number;
  /** Logical time in ticks. */
  readonly now: number;
}

export interface SimInspection {
  partitions: ReadonlyArray<{ state: string; context: PartitionContext }>;
  coordinators: ReadonlyMap<string, { state: string; context: CoordinatorContext }>;
  groups: ReadonlyMap<string, { state: string; context: GroupContext }>;
  producers: ReadonlyMap<string, { state: string; context: ProducerContext }>;
  consumers: ReadonlyMap<string, { state: string; context: ConsumerContext }>;
}

/** Called after every machine transition the simulation takes (for properties, tracing and coverage). */
export type StepObserver = (step: {
  machine: 'partition' | 'coordinator' | 'group' | 'producer' | 'javaProducer' | 'consumer';
  id: string;
  event: { type: string };
  before: { value: unknown; context: unknown };
  after: { value: unknown; context: unknown };
}) => void;

/** Machine substitutions: the broken variants used to prove that the properties can fail. */
export interface ModelVariant {
  name: string;
  partition?: typeof partitionMachine;
  coordinator?: typeof coordinatorMachine;
  group?: typeof groupMachine;
  producer?: typeof producerMachine;
  javaProducer?: typeof javaProducerMachine;
  consumer?: typeof consumerMachine;
  lastStableOffset?: (p: PartitionContext) => Offset;
  /** Not a substitution: an observer of every machine step. */
  onStep?: StepObserver;
  /** Not a substitution: an observer of the routing rules the brokers apply outside the machines (broker-rules.ts). */
  onRule?: (rule: BrokerRule) => void;
}
