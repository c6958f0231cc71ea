// createSim: a deterministic simulated Kafka cluster at the level of client calls. Each call runs one client
// API call to completion: the client machine decides what to send and whether to retry (producer-driver.ts),
// the cluster handles each request and delivers the messages it waits for (cluster.ts, schedule.ts), and
// armed faults decide whether a request or its response is lost, or the request stays on the wire.
import type { EventFromLogic, SnapshotFrom } from 'xstate';
import { Cluster } from './cluster.ts';
import type { CoordinatorReply } from './coordinator.machine.ts';
import type { ConsumerContext } from './consumer.machine.ts';
import type { ClientRequest, InFlight, Protocol } from './network.ts';
import { type ClientAnswer, answerEvent, requestOf } from './producer-driver.ts';
import { javaProducerMachine } from './java-producer.machine.ts';
import { type ProducerContext, producerMachine } from './producer.machine.ts';
import type { PartitionReply } from './partition.machine.ts';
import { IMMEDIATE } from './schedule.ts';
import { Consumers } from './sim-consumers.ts';
import { type Stepper, stepperFor } from './step.ts';
import type { ClientModel, FaultEvent, ModelVariant, Outcome, Sim, SimConfig, SimInspection, TxnView } from './sim.types.ts';
import type { Key, LogEntry, Offset, Value } from './types.ts';

type ProducerSnap = SnapshotFrom<typeof producerMachine>;
type ProducerEv = EventFromLogic<typeof producerMachine>;
type Armed = 'requestLost' | 'responseLost' | 'requestDelayed' | 'pass';

const TIMED_OUT: ClientAnswer = { error: 'REQUEST_TIMED_OUT', producerId: -1, producerEpoch: -1, offset: null };
const ok = <T>(value: T): Outcome<T> => ({ type: 'ok', value });

/** kafkajs' name for the producer state, for its "Cannot call" message. */
const kafkajsState = (s: ProducerSnap): string => {
  const v = typeof s.value === 'string' ? s.value : Object.keys(s.value)[0]!;
  return ({ uninitialized: 'UNINITIALIZED', initializing: 'UNINITIALIZED', ready: 'READY', sending: 'READY',
    transacting: 'TRANSACTING', committing: 'COMMITTING', aborting: 'ABORTING', crashed: 'DISCONNECTED' } as Record<string, string>)[v] ?? v;
};
export const stateName = (value: unknown): string =>
  typeof value === 'string' ? value : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}.${stateName(v)}`).join(',');

export function createSim(config: SimConfig, variant?: ModelVariant): Sim {
  return new ModelSim(config, variant);
}

class ModelSim implements Sim {
  readonly config: Required<SimConfig>;
  private readonly cluster: Cluster;
  private readonly consumers: Consumers;
  /** One stepper per modelled client library (shared by forks). */
  private readonly pms: Record<ClientModel, Stepper<typeof producerMachine>>;
  private readonly producers = new Map<string, ProducerSnap>();
  private readonly protocols = new Map<string, Protocol>();
  private readonly armed = new Map<string, Armed[]>();
  /** Whether any attempt of the current call timed out, so the client cannot know what happened. */
  private uncertain = false;

  constructor(config: SimConfig, private readonly variant?: ModelVariant, from?: ModelSim) {
    if (!Number.isInteger(config.keys) || config.keys < 1) throw new Error(`createSim: keys must be an integer ≥ 1, got ${config.keys}`);
    if (config.txnVersion !== 1 && config.txnVersion !== 2) throw new Error(`createSim: txnVersion must be 1 or 2, got ${String(config.txnVersion)}`);
    this.config = from?.config ?? {
      nodes: 3, transactionTimeoutTicks: 600, transactionalIdExpirationTicks: Number.MAX_SAFE_INTEGER, delivery: IMMEDIATE,
      client: config.txnVersion === 1 ? 'kafkajs' : 'java', ...config,
      minInSyncReplicas: config.minInSyncReplicas ?? Math.min(2, config.nodes ?? 3),
    };
    if (!Number.isInteger(this.config.nodes) || this.config.nodes < 1) throw new Error(`createSim: nodes must be an integer ≥ 1, got ${this.config.nodes}`);
    this.cluster = from === undefined ? new Cluster(this.config, variant) : from.cluster.fork();
    this.consumers = from === undefined ? new Consumers(this.cluster, variant) : from.consumers.fork(this.cluster);
    const input = { clientId: '', transactionalId: null, txnVersion: this.config.txnVersion };
    this.pms = from?.pms ?? {
      kafkajs: stepperFor(variant?.producer ?? producerMachine, input),
      java: stepperFor(variant?.javaProducer ?? javaProducerMachine, input) as unknown as Stepper<typeof producerMachine>,
    };
    if (from !== undefined) {
      for (const [id, s] of from.producers) this.producers.set(id, s);
      for (const [id, p] of from.protocols) this.protocols.set(id, p);
      for (const [id, q] of from.armed) this.armed.set(id, [...q]);
    }
  }

  fork(): Sim { return new ModelSim(this.config, this.variant, this); }

  get steps(): number { return this.cluster.steps; }
  get now(): number { return this.cluster.now; }

  // ---- producers --------------------------------------------------------------------------------

  initProducer(clientId: string, opts: { transactionalId?: string; client?: ClientModel } = {}): Outcome {
    const transactionalId = opts.transactionalId ?? null;
    let snap = this.producers.get(clientId);
    if (snap !== undefined && snap.context.transactionalId !== transactionalId) {
      throw new Error(`initProducer: client "${clientId}" already has transactionalId ${String(snap.context.transactionalId)}; use a new clientId`);
    }
    if (snap === undefined || snap.status === 'done') {
      const model = opts.client ?? this.protocolModel(clientId) ?? this.config.client;
      const protocol = protocolOf(model, this.config.txnVersion);
      this.protocols.set(clientId, protocol);
      snap = this.pms[model].initial({ clientId, transactionalId, txnVersion: protocol.txnVersion });
      this.producers.set(clientId, snap);
    }
    return this.call(clientId, { type: 'producer.initProducerId' }, () => undefined);
  }

  send(clientId: string, key: Key, value: Value): Outcome<{ offset: Offset | null }> {
    this.checkKey(key);
    return this.call(clientId, { type: 'producer.send', key, value }, (c) => ({ offset: c.lastOffset }));
  }

  beginTxn(clientId: string): Outcome { return this.call(clientId, { type: 'producer.beginTxn' }, () => undefined); }

  txnSend(clientId: string, key: Key, value: Value): Outcome<{ offset: Offset | null }> {
    this.checkKey(key);
    return this.call(clientId, { type: 'producer.send', key, value }, (c) => ({ offset: c.lastOffset }), { transacting: 'idle' });
  }

  sendOffsets(clientId: string, groupId: string, offsets: Readonly<Record<Key, Offset>>): Outcome {
    return this.call(clientId, { type: 'producer.sendOffsets', groupId, offsets }, () => undefined, { transacting: 'idle' });
  }

  commitTxn(clientId: string): Outcome { return this.call(clientId, { type: 'producer.commit' }, () => undefined, 'ready'); }
  abortTxn(clientId: string): Outcome { return this.call(clientId, { type: 'producer.abort' }, () => undefined, 'ready'); }

  /**
   * Runs one client call: `start` goes to the client machine, then each request its state calls for is sent
   * and its answer fed back, until it calls for none. The outcome comes from the machine: ok if the call left
   * no error (and, when given, reached `okState`), info if an attempt timed out, fail otherwise.
   */
  private call<T>(clientId: string, start: ProducerEv, value: (c: ProducerContext) => T, okState?: Parameters<ProducerSnap['matches']>[0]): Outcome<T> {
    const before = this.producers.get(clientId);
    if (before === undefined) throw new Error(`sim: no producer "${clientId}"; call initProducer("${clientId}") first`);
    this.uncertain = false;
    let s = this.stepProducer(clientId, start);
    if (s === before || (s.value === before.value && s.context === before.context)) {
      return { type: 'fail', error: `Transaction state exception: Cannot call "${start.type.slice(9)}" in state "${kafkajsState(before)}"` };
    }
    for (let req = requestOf(s); req !== null; req = requestOf(s)) s = this.stepProducer(clientId, answerEvent(s, req, this.attempt(clientId, req)));
    const err = s.context.lastError;
    if (err === null && (okState === undefined || s.matches(okState))) return ok(value(s.context));
    const error = err ?? `state ${stateName(s.value)}`;
    return this.uncertain ? { type: 'info', error } : { type: 'fail', error };
  }

  private stepProducer(clientId: string, ev: ProducerEv): ProducerSnap {
    this.cluster.steps++;
    const before = this.producers.get(clientId)!;
    const next = this.pms[this.protocolModel(clientId)!].step(before, ev);
    this.producers.set(clientId, next);
    this.cluster.onStep?.({ machine: this.protocolModel(clientId) === 'java' ? 'javaProducer' : 'producer', id: clientId, event: ev, before, after: next });
    return next;
  }

  /** One request: a tick passes, then an armed fault may swallow it, its response, or leave it on the wire. */
  private attempt(clientId: string, req: ClientRequest): ClientAnswer {
    this.cluster.advance(1);
    const fault = this.armed.get(clientId)?.shift();
    const protocol = this.protocols.get(clientId)!;
    if (fault === 'requestLost') { this.uncertain = true; return TIMED_OUT; }
    if (fault === 'requestDelayed') { this.cluster.delay(clientId, req, protocol); this.uncertain = true; return TIMED_OUT; }
    const r = this.cluster.request<CoordinatorReply | PartitionReply>(req, protocol);
    if (fault === 'responseLost' || r.kind === 'timeout') { this.uncertain = true; return TIMED_OUT; }
    return r.answer;
  }

  private protocolModel(clientId: string): ClientModel | undefined {
    const p = this.protocols.get(clientId);
    return p === undefined ? undefined : p.oldRequestVersions ? 'kafkajs' : 'java';
  }

  // ---- consumers --------------------------------------------------------------------------------

  assign(consumerId: string, keys: readonly Key[], opts: { groupId?: string; readCommitted: boolean }): Outcome {
    keys.forEach((k) => this.checkKey(k));
    return this.consumers.assign(consumerId, keys, opts);
  }

  poll(consumerId: string): Outcome<Record<Key, Array<[Offset, Value]>>> { return this.consumers.poll(consumerId); }
  seek(consumerId: string, key: Key, offset: Offset): void { this.consumers.seek(consumerId, key, offset); }
  rollback(consumerId: string): void { this.consumers.rollback(consumerId); }
  commitOffsets(groupId: string, offsets: Readonly<Record<Key, Offset>>): Outcome { return this.consumers.commitOffsets(groupId, offsets); }
  committedOffsets(groupId: string): Record<Key, Offset> { return this.consumers.committedOffsets(groupId); }

  // ---- faults, messages and inspection ----------------------------------------------------------

  fault(event: FaultEvent): void {
    switch (event.type) {
      case 'requestLost': case 'responseLost': case 'requestDelayed': {
        const queue = this.armed.get(event.clientId) ?? [];
        for (let i = 0; i < (event.after ?? 0); i++) queue.push('pass');
        for (let i = 0; i < (event.count ?? 1); i++) queue.push(event.type);
        this.armed.set(event.clientId, queue);
        return;
      }
      case 'leaderChange': this.checkKey(event.key); this.cluster.leaderChange(event.key); return;
      case 'coordinatorFailover': this.cluster.coordinatorFailover(event.transactionalId); return;
      case 'producerCrash':
        if (this.producers.has(event.clientId)) this.stepProducer(event.clientId, { type: 'producer.crash' });
        this.armed.delete(event.clientId);
        return;
      case 'consumerCrash': this.consumers.crash(event.consumerId); return;
      case 'nodeDown': this.checkNode(event.node); this.cluster.nodeDown(event.node); return;
      case 'nodeUp': this.checkNode(event.node); this.cluster.nodeUp(event.node); return;
      case 'tick':
        if (!Number.isInteger(event.ticks) || event.ticks < 0) throw new Error(`fault tick: ticks must be an integer ≥ 0, got ${event.ticks}`);
        this.cluster.advance(event.ticks);
        return;
      case 'transactionTimeout': this.cluster.abortTimedOut(event.transactionalId); return;
    }
  }

  inFlight(): readonly InFlight[] { return this.cluster.inFlightMessages(); }
  deliver(id: number): void { this.cluster.deliver(id); }

  hold(transactionalId: string, held: boolean): void {
    if (held) this.cluster.holding.add(transactionalId);
    else { this.cluster.holding.delete(transactionalId); this.cluster.pump(); }
  }

  log(key: Key): readonly LogEntry[] { this.checkKey(key); return this.cluster.partitions[key]!.context.log; }
  highWatermark(key: Key): Offset { this.checkKey(key); return this.cluster.partitions[key]!.context.highWatermark; }
  lastStableOffset(key: Key): Offset { this.checkKey(key); return this.cluster.lso(this.cluster.partitions[key]!.context); }

  txn(transactionalId: string): TxnView | null {
    const c = this.cluster.coordinators.get(transactionalId)?.context;
    if (c === undefined) return null;
    return {
      state: c.state, producerId: c.producerId, producerEpoch: c.epoch, partitions: c.partitions,
      pendingMarkers: c.pendingMarkers, pendingState: c.pendingState,
    };
  }

  producer(clientId: string): { state: string; context: ProducerContext } | undefined {
    const s = this.producers.get(clientId);
    return s === undefined ? undefined : { state: stateName(s.value), context: s.context };
  }

  consumer(consumerId: string): { state: string; context: ConsumerContext } | undefined {
    const s = this.consumers.snaps.get(consumerId);
    return s === undefined ? undefined : { state: stateName(s.value), context: s.context };
  }

  inspect(): SimInspection {
    const view = <S extends { value: unknown; context: unknown }>(m: Map<string, S>) =>
      new Map([...m].map(([k, s]) => [k, { state: stateName(s.value), context: s.context as S['context'] }]));
    return {
      partitions: this.cluster.partitions.map((s) => ({ state: stateName(s.value), context: s.context })),
      coordinators: view(this.cluster.coordinators),
      groups: view(this.cluster.groups),
      producers: view(this.producers),
      consumers: view(this.consumers.snaps),
    };
  }

  private checkKey(key: Key): void {
    if (!Number.isInteger(key) || key < 0 || key >= this.config.keys) {
      throw new Error(`sim: key ${key} is outside 0..${this.config.keys - 1}; raise SimConfig.keys or fix the program`);
    }
  }

  private checkNode(node: number): void {
    if (!Number.isInteger(node) || node < 0 || node >= this.config.nodes) {
      throw new Error(`sim: node ${node} is outside 0..${this.config.nodes - 1}`);
    }
  }
}

/** kafkajs speaks transaction version 1 with old request versions whatever the cluster runs; the Java client
 *  speaks the cluster's version with current request versions. */
export function protocolOf(client: ClientModel, clusterTxnVersion: 1 | 2): Protocol {
  return client === 'kafkajs' ? { txnVersion: 1, oldRequestVersions: true } : { txnVersion: clusterTxnVersion, oldRequestVersions: false };
}
