// The broker side of the simulated cluster: partition leaders, transaction coordinators and group
// coordinators as machine snapshots, stepped with xstate's pure `transition`, and the messages in flight
// between them (network.ts) delivered as the schedule says (schedule.ts). What a request or a message does
// is broker.ts's routing; the rules are the machines'. This file keeps state, time and faults.
import type { EventFromLogic, SnapshotFrom } from 'xstate';
import { type Broker, type CoordinatorAnswer, type Handled, type ProduceAnswer, deliverMessage, handleRequest, kick, toClient } from './broker.ts';
import { coordinatorMachine, type CoordinatorContext, type CoordinatorReply } from './coordinator.machine.ts';
import { groupMachine } from './group.machine.ts';
import { type ClientRequest, type InFlight, type Message, Network, type Protocol } from './network.ts';
import { type PartitionReply, lastStableOffset, partitionMachine } from './partition.machine.ts';
import { Schedule } from './schedule.ts';
import type { ModelVariant, SimConfig } from './sim.types.ts';
import { type Stepper, stepperFor } from './step.ts';
import type { KafkaError, Key } from './types.ts';

type PartitionSnap = SnapshotFrom<typeof partitionMachine>;
type CoordinatorSnap = SnapshotFrom<typeof coordinatorMachine>;
type GroupSnap = SnapshotFrom<typeof groupMachine>;

/** The steppers of one set of machines: built once, shared by every fork. */
interface Machines {
  pm: Stepper<typeof partitionMachine>;
  cm: Stepper<typeof coordinatorMachine>;
  gm: Stepper<typeof groupMachine>;
}

export type Answered<A> = { kind: 'answer'; answer: A } | { kind: 'timeout' };

export class Cluster implements Broker {
  steps = 0;
  now = 0;
  readonly partitions: PartitionSnap[];
  readonly coordinators = new Map<string, CoordinatorSnap>();
  readonly groups = new Map<string, GroupSnap>();
  readonly network: Network;
  readonly schedule: Schedule;
  private readonly up: boolean[];
  private readonly leaders: number[];
  private readonly coordinatorNode = new Map<string, number>();
  private nextProducerId = 1000;
  private nextRequestId = 1;
  /** Messages a client request waits for → the request and its protocol. */
  private readonly waiting = new Map<number, { requestId: number; answer: CoordinatorAnswer | ProduceAnswer; protocol: Protocol }>();
  private readonly answers = new Map<number, CoordinatorAnswer | ProduceAnswer>();
  private readonly m: Machines;
  readonly lso: NonNullable<ModelVariant['lastStableOffset']>;
  readonly onStep: ModelVariant['onStep'];
  readonly rule: ModelVariant['onRule'];

  constructor(readonly config: Required<SimConfig>, private readonly variant: ModelVariant | undefined, from?: Cluster) {
    this.m = from?.m ?? {
      pm: stepperFor(variant?.partition ?? partitionMachine, { key: 0, txnVersion: config.txnVersion }),
      cm: stepperFor(variant?.coordinator ?? coordinatorMachine, this.coordinatorInput('')),
      gm: stepperFor(variant?.group ?? groupMachine, { groupId: '' }),
    };
    this.lso = variant?.lastStableOffset ?? lastStableOffset;
    this.onStep = variant?.onStep;
    this.rule = variant?.onRule;
    this.network = from?.network.fork() ?? new Network();
    this.schedule = from?.schedule.fork() ?? new Schedule(config.delivery);
    this.up = from ? [...from.up] : Array.from({ length: config.nodes }, () => true);
    this.leaders = from ? [...from.leaders] : Array.from({ length: config.keys }, (_, k) => k % config.nodes);
    this.partitions = from ? [...from.partitions] : Array.from({ length: config.keys }, (_, key) => this.m.pm.initial({ key, txnVersion: config.txnVersion }));
    if (from) {
      this.steps = from.steps;
      this.now = from.now;
      this.nextProducerId = from.nextProducerId;
      this.nextRequestId = from.nextRequestId;
      for (const [id, s] of from.coordinators) this.coordinators.set(id, s);
      for (const [id, s] of from.groups) this.groups.set(id, s);
      for (const [id, n] of from.coordinatorNode) this.coordinatorNode.set(id, n);
      for (const [id, w] of from.waiting) this.waiting.set(id, w);
      for (const id of from.holding) this.holding.add(id);
    }
  }

  /** An independent copy: snapshots are immutable, so copying the containers is enough. */
  fork(): Cluster { return new Cluster(this.config, this.variant, this); }

  get txnVersion() { return this.config.txnVersion; }

  /** Writes need min.insync.replicas live brokers (RF = nodes, acks=all). */
  available(): boolean { return this.up.filter(Boolean).length >= this.config.minInSyncReplicas; }

  // ---- the Broker port (broker.ts) --------------------------------------------------------------

  coordinator(id: string): CoordinatorContext | undefined { return this.coordinators.get(id)?.context; }

  ensureCoordinator(id: string): CoordinatorContext {
    let snap = this.coordinators.get(id);
    if (snap === undefined) {
      snap = this.m.cm.initial(this.coordinatorInput(id));
      this.coordinators.set(id, snap);
      let h = 0;
      for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 65521;
      this.coordinatorNode.set(id, h % this.config.nodes);
    }
    return snap.context;
  }

  stepCoordinator(id: string, event: EventFromLogic<typeof coordinatorMachine>): CoordinatorContext {
    this.steps++;
    const before = this.coordinators.get(id)!;
    const next = this.m.cm.step(before, event);
    this.coordinators.set(id, next);
    this.onStep?.({ machine: 'coordinator', id, event, before, after: next });
    return next.context;
  }

  partition(key: Key) { return this.partitions[key]!.context; }

  stepPartition(key: Key, event: EventFromLogic<typeof partitionMachine>): PartitionReply {
    this.steps++;
    const before = this.partitions[key]!;
    const next = this.m.pm.step(before, event);
    this.partitions[key] = next;
    this.onStep?.({ machine: 'partition', id: String(key), event, before, after: next });
    return next.context.reply;
  }

  stepGroup(groupId: string, event: EventFromLogic<typeof groupMachine>): KafkaError {
    this.steps++;
    const snap = this.groups.get(groupId) ?? this.m.gm.initial({ groupId });
    const next = this.m.gm.step(snap, event);
    this.groups.set(groupId, next);
    this.onStep?.({ machine: 'group', id: groupId, event, before: snap, after: next });
    return next.context.reply.error;
  }

  peekProducerId(): number { return this.nextProducerId; }
  takeProducerId(): number { return this.nextProducerId++; }

  send(connection: string, message: Message): number {
    return this.network.send(connection, message, this.schedule.dueAt(this.now));
  }

  inFlight(pred: (m: Message) => boolean): boolean { return this.network.has(pred); }

  private coordinatorInput(transactionalId: string) {
    return {
      transactionalId, txnVersion: this.config.txnVersion, timeoutTicks: this.config.transactionTimeoutTicks,
      expirationTicks: this.config.transactionalIdExpirationTicks,
    };
  }

  // ---- requests and deliveries ------------------------------------------------------------------

  /** InitProducerId without a transactional id: any broker hands out a fresh producer id at epoch 0. */
  idempotentProducerId(): CoordinatorReply {
    return { error: 'NONE', producerId: this.nextProducerId++, producerEpoch: 0, awaitingLogAppend: false };
  }

  /** A client request, answered now or once what it waits for is delivered within the client's patience. */
  request<A extends CoordinatorAnswer | ProduceAnswer>(req: ClientRequest, protocol: Protocol): Answered<A> {
    const requestId = this.nextRequestId++;
    const h = handleRequest(this, req, protocol, requestId) as Handled<A>;
    if (h.kind === 'answer') { this.pump(); return { kind: 'answer', answer: h.answer }; }
    this.waiting.set(h.message, { requestId, answer: h.answer, protocol });
    this.pump(h.message);
    const answer = this.answers.get(requestId) as A | undefined;
    this.answers.delete(requestId);
    return answer === undefined ? { kind: 'timeout' } : { kind: 'answer', answer };
  }

  /** Leaves a request on the wire (its client gave up on it): it lands when the schedule or a driver says. */
  delay(clientId: string, req: ClientRequest, protocol: Protocol): void {
    this.send(`client:${clientId}:${this.nextRequestId++}`, { kind: 'request', clientId, request: req, protocol });
  }

  /**
   * Delivers what is due: everything (immediate); what falls due within the waiting client's patience, up to
   * the message it waits for (seeded); only the awaited message (manual).
   */
  pump(awaited?: number): void {
    const kind = this.config.delivery.kind;
    const limit = kind === 'seeded' ? this.now + this.schedule.patience() : Infinity;
    for (;;) {
      if (kind === 'seeded' && awaited !== undefined && !this.network.all().some((x) => x.id === awaited)) return;
      const next = this.network.heads().filter((x) => x.due <= limit && (kind !== 'manual' || !this.held(x.message)))
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (next === undefined) return;
      this.deliver(next.id);
    }
  }

  /** Delivers message `id` (it must be the head of its connection). */
  deliver(id: number): void {
    const { message } = this.network.take(id);
    const done = deliverMessage(this, message);
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    const answer = done !== null ? { ...done.reply, error: toClient(done.reply.error, w.protocol, this) } : w.answer;
    this.answers.set(w.requestId, answer);
  }

  inFlightMessages(): readonly InFlight[] { return this.network.all(); }

  /** Transactional ids whose follow-ups (their own log appends, markers, answers) a manual driver holds. */
  readonly holding = new Set<string>();

  /** Under manual delivery: a held follow-up, or a client request left on the wire, waits for `deliver`. */
  private held(m: Message): boolean {
    if (m.kind === 'request') return true;
    if (m.kind === 'replicate' || (m.kind === 'logAppend' && m.requestId !== null)) return false;
    return this.holding.has(m.transactionalId);
  }

  /** Logical time passes: transaction timeouts and transactional.id expiry fire, due messages land. */
  advance(ticks: number): void {
    this.now += ticks;
    for (const id of this.coordinators.keys()) {
      this.stepCoordinator(id, { type: 'txn.tick', now: this.now });
      kick(this, id);
    }
    if (this.config.delivery.kind === 'seeded') this.deliverDue();
    else this.pump();
  }

  private deliverDue(): void {
    for (;;) {
      const next = this.network.heads().filter((x) => x.due <= this.now).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (next === undefined) return;
      this.deliver(next.id);
    }
  }

  /** abortTimedOutTransactions for one transactional id, at a moment the caller chooses. */
  abortTimedOut(id: string): void {
    if (!this.coordinators.has(id)) return;
    this.stepCoordinator(id, { type: 'txn.abortTimedOut', now: this.now });
    kick(this, id);
    this.pump();
  }

  // ---- cluster faults ---------------------------------------------------------------------------

  leaderChange(key: Key): void {
    this.leaders[key] = this.nextUpNode(this.leaders[key]!);
    this.stepPartition(key, { type: 'partition.leaderChange' });
  }

  /** A new coordinator loads the transaction log: what the old one had not appended is lost, its markers
   *  already on the wire may still land (a zombie coordinator's), and Prepare* markers are sent again. */
  coordinatorFailover(id: string): void {
    if (!this.coordinators.has(id)) return;
    this.coordinatorNode.set(id, this.nextUpNode(this.coordinatorNode.get(id)!));
    this.network.drop((m) => m.kind === 'logAppend' && m.transactionalId === id);
    for (const msg of [...this.waiting.keys()]) if (!this.network.all().some((x) => x.id === msg)) this.waiting.delete(msg);
    this.stepCoordinator(id, { type: 'txn.failover' });
    kick(this, id);
    this.pump();
  }

  nodeDown(node: number): void {
    if (!this.up[node]) return;
    this.up[node] = false;
    this.leaders.forEach((leader, key) => { if (leader === node) this.leaderChange(key); });
    for (const [id, n] of this.coordinatorNode) if (n === node) this.coordinatorFailover(id);
  }

  nodeUp(node: number): void {
    this.up[node] = true;
    for (const id of this.coordinators.keys()) kick(this, id);
    this.pump();
  }

  private nextUpNode(from: number): number {
    for (let i = 1; i <= this.config.nodes; i++) {
      const n = (from + i) % this.config.nodes;
      if (this.up[n]) return n;
    }
    return (from + 1) % this.config.nodes;
  }
}
