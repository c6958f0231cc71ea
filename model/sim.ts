// createSim: a deterministic, synchronous, client-level simulated Kafka cluster. Each call runs one client
// API call to completion: the client machine decides what to send and whether to retry, the cluster routes
// each request to the broker machines, and armed faults decide whether a request or its response is lost.
import type { EventFromLogic, SnapshotFrom } from 'xstate';
import { Cluster } from './cluster.ts';
import { type ConsumerContext, consumerMachine } from './consumer.machine.ts';
import { fetchFrom } from './fetch.ts';
import { type ProducerContext, producerMachine } from './producer.machine.ts';
import { type Stepper, stepperFor } from './step.ts';
import type { FaultEvent, ModelVariant, Outcome, Sim, SimConfig, SimInspection, TxnView } from './sim.types.ts';
import {
  type KafkaError, type Key, type LogEntry, type Offset, type ProduceRequest, type Value, dataPartition, groupPartition,
} from './types.ts';

type ProducerSnap = SnapshotFrom<typeof producerMachine>;
type ConsumerSnap = SnapshotFrom<typeof consumerMachine>;
type ProducerEv = EventFromLogic<typeof producerMachine>;
type ConsumerEv = EventFromLogic<typeof consumerMachine>;

const TIMED_OUT: KafkaError = 'REQUEST_TIMED_OUT';
const ok = <T>(value: T): Outcome<T> => ({ type: 'ok', value });

/** kafkajs' name for the producer state, for its "Cannot call" message. */
const kafkajsState = (s: ProducerSnap): string => {
  const v = typeof s.value === 'string' ? s.value : Object.keys(s.value)[0]!;
  return ({ uninitialized: 'UNINITIALIZED', initializing: 'UNINITIALIZED', ready: 'READY', sending: 'READY',
    transacting: 'TRANSACTING', committing: 'COMMITTING', aborting: 'ABORTING', crashed: 'DISCONNECTED' } as Record<string, string>)[v] ?? v;
};
const stateName = (value: unknown): string =>
  typeof value === 'string' ? value : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}.${stateName(v)}`).join(',');

export function createSim(config: SimConfig, variant?: ModelVariant): Sim {
  return new ModelSim(config, variant);
}

class ModelSim implements Sim {
  readonly config: Required<SimConfig>;
  private readonly cluster: Cluster;
  private readonly pm: Stepper<typeof producerMachine>;
  private readonly csm: Stepper<typeof consumerMachine>;
  private readonly producers = new Map<string, ProducerSnap>();
  private readonly consumers = new Map<string, ConsumerSnap>();
  private readonly armed = new Map<string, Array<'requestLost' | 'responseLost'>>();
  /** Whether any attempt of the current call timed out, so the client cannot know what happened. */
  private uncertain = false;

  constructor(config: SimConfig, private readonly variant?: ModelVariant, from?: ModelSim) {
    if (!Number.isInteger(config.keys) || config.keys < 1) throw new Error(`createSim: keys must be an integer ≥ 1, got ${config.keys}`);
    if (config.txnVersion !== 1 && config.txnVersion !== 2) throw new Error(`createSim: txnVersion must be 1 or 2, got ${String(config.txnVersion)}`);
    this.config = {
      nodes: 3, transactionTimeoutTicks: 600, transactionalIdExpirationTicks: Number.MAX_SAFE_INTEGER, ...config,
      minInSyncReplicas: config.minInSyncReplicas ?? Math.min(2, config.nodes ?? 3),
    };
    if (!Number.isInteger(this.config.nodes) || this.config.nodes < 1) throw new Error(`createSim: nodes must be an integer ≥ 1, got ${this.config.nodes}`);
    this.cluster = from === undefined ? new Cluster(this.config, variant) : from.cluster.fork();
    if (from !== undefined) {
      for (const [id, s] of from.producers) this.producers.set(id, s);
      for (const [id, s] of from.consumers) this.consumers.set(id, s);
      for (const [id, q] of from.armed) this.armed.set(id, [...q]);
    }
    this.pm = stepperFor(variant?.producer ?? producerMachine, { clientId: '', transactionalId: null, txnVersion: this.config.txnVersion });
    this.csm = stepperFor(variant?.consumer ?? consumerMachine, { consumerId: '' });
  }

  fork(): Sim {
    return new ModelSim(this.config, this.variant, this);
  }

  get steps(): number { return this.cluster.steps; }
  get now(): number { return this.cluster.now; }

  // ---- producers --------------------------------------------------------------------------------

  initProducer(clientId: string, opts: { transactionalId?: string } = {}): Outcome {
    const transactionalId = opts.transactionalId ?? null;
    let snap = this.producers.get(clientId);
    if (snap !== undefined && snap.context.transactionalId !== transactionalId) {
      throw new Error(`initProducer: client "${clientId}" already has transactionalId ${String(snap.context.transactionalId)}; use a new clientId`);
    }
    if (snap === undefined || snap.status === 'done') {
      snap = this.pm.initial({ clientId, transactionalId, txnVersion: this.config.txnVersion });
      this.producers.set(clientId, snap);
    }
    return this.call(clientId, { type: 'producer.initProducerId' }, (s) => {
      if (!s.matches('initializing')) return null;
      const a = this.attempt(clientId, () => transactionalId === null
        ? this.cluster.idempotentProducerId() : this.cluster.initProducerId(transactionalId),
      { error: TIMED_OUT, producerId: -1, producerEpoch: -1, awaitingLogAppend: false });
      return { type: 'producer.initProducerIdAnswer', error: a.error, producerId: a.producerId, producerEpoch: a.producerEpoch };
    }, () => undefined);
  }

  send(clientId: string, key: Key, value: Value): Outcome<{ offset: Offset | null }> {
    this.checkKey(key);
    return this.call(clientId, { type: 'producer.send', key, value }, (s) => {
      if (!s.matches('sending')) return null;
      const a = this.attempt(clientId, () => this.cluster.produce(key, this.batchOf(s.context, false)), { error: TIMED_OUT, offset: null, duplicate: false });
      return { type: 'producer.produceAnswer', error: a.error, offset: a.offset };
    }, (c) => ({ offset: c.lastOffset }));
  }

  beginTxn(clientId: string): Outcome {
    return this.call(clientId, { type: 'producer.beginTxn' }, () => null, () => undefined);
  }

  txnSend(clientId: string, key: Key, value: Value): Outcome<{ offset: Offset | null }> {
    this.checkKey(key);
    return this.call(clientId, { type: 'producer.send', key, value }, (s) => {
      const c = s.context;
      const txnId = c.transactionalId!;
      if (s.matches({ transacting: 'addingPartitions' })) {
        const error = this.attempt(clientId, () => this.cluster.addPartitions(txnId, c.producerId, c.producerEpoch, [dataPartition(key)]), TIMED_OUT);
        return { type: 'producer.addPartitionsAnswer', error };
      }
      if (!s.matches({ transacting: 'producing' })) return null;
      const a = this.attempt(clientId, () => this.cluster.txnProduce(txnId, key, this.batchOf(c, true)), { error: TIMED_OUT, offset: null, duplicate: false });
      return { type: 'producer.produceAnswer', error: a.error, offset: a.offset };
    }, (c) => ({ offset: c.lastOffset }), { transacting: 'idle' });
  }

  sendOffsets(clientId: string, groupId: string, offsets: Readonly<Record<Key, Offset>>): Outcome {
    return this.call(clientId, { type: 'producer.sendOffsets' }, (s) => {
      const c = s.context;
      const txnId = c.transactionalId!;
      if (s.matches({ transacting: 'addingOffsets' })) {
        const error = this.attempt(clientId, () => this.cluster.addPartitions(txnId, c.producerId, c.producerEpoch, [groupPartition(groupId)]), TIMED_OUT);
        return { type: 'producer.addOffsetsAnswer', error };
      }
      if (!s.matches({ transacting: 'committingOffsets' })) return null;
      const error = this.attempt(clientId, () => this.cluster.txnOffsetCommit(txnId, groupId, c.producerId, c.producerEpoch, offsets), TIMED_OUT);
      return { type: 'producer.txnOffsetCommitAnswer', error };
    }, () => undefined, { transacting: 'idle' });
  }

  commitTxn(clientId: string): Outcome { return this.endTxn(clientId, true); }
  abortTxn(clientId: string): Outcome { return this.endTxn(clientId, false); }

  private endTxn(clientId: string, commit: boolean): Outcome {
    let sent = false;
    return this.call(clientId, { type: commit ? 'producer.commit' : 'producer.abort' }, (s) => {
      // kafkajs sends EndTxn once: it is not wrapped in a retrier.
      if (sent || !(s.matches('committing') || s.matches('aborting'))) return null;
      sent = true;
      const c = s.context;
      const a = this.attempt(clientId, () => this.cluster.endTxn(c.transactionalId!, c.producerId, c.producerEpoch, commit),
        { error: TIMED_OUT, producerId: -1, producerEpoch: -1, awaitingLogAppend: false });
      return { type: 'producer.endTxnAnswer', error: a.error, producerId: a.producerId, producerEpoch: a.producerEpoch };
    }, () => undefined, 'ready');
  }

  /**
   * Run one client call: send `start` to the client machine, then let `next` turn each request into an
   * answer event until it returns null. The outcome comes from the machine: ok if the call left no error
   * (and, when given, reached `okState`), info if an attempt timed out, fail otherwise.
   */
  private call<T>(
    clientId: string, start: ProducerEv, next: (s: ProducerSnap) => ProducerEv | null,
    value: (c: ProducerContext) => T, okState?: Parameters<ProducerSnap['matches']>[0],
  ): Outcome<T> {
    const before = this.producers.get(clientId);
    if (before === undefined) throw new Error(`sim: no producer "${clientId}"; call initProducer("${clientId}") first`);
    this.uncertain = false;
    let s = this.stepProducer(clientId, start);
    if (s === before || (s.value === before.value && s.context === before.context)) {
      return { type: 'fail', error: `Transaction state exception: Cannot call "${start.type.slice(9)}" in state "${kafkajsState(before)}"` };
    }
    for (let ev = next(s); ev !== null; ev = next(s)) s = this.stepProducer(clientId, ev);
    const err = s.context.lastError;
    if (err === null && (okState === undefined || s.matches(okState))) return ok(value(s.context));
    const error = err ?? `state ${stateName(s.value)}`;
    return this.uncertain ? { type: 'info', error } : { type: 'fail', error };
  }

  private stepProducer(clientId: string, ev: ProducerEv): ProducerSnap {
    this.cluster.steps++;
    const before = this.producers.get(clientId)!;
    const next = this.pm.step(before, ev);
    this.producers.set(clientId, next);
    this.cluster.onStep?.({ machine: 'producer', id: clientId, event: ev, before, after: next });
    return next;
  }

  private batchOf(c: ProducerContext, transactional: boolean): ProduceRequest {
    const b = c.inFlight!;
    return { producerId: c.producerId, producerEpoch: c.producerEpoch, sequence: b.sequence, value: b.value, transactional };
  }

  /** One request: a tick passes, then an armed fault may swallow the request or its response. */
  private attempt<A>(clientId: string, deliver: () => A, timedOut: A): A {
    this.cluster.advance(1);
    const fault = this.armed.get(clientId)?.shift();
    if (fault === 'requestLost') { this.uncertain = true; return timedOut; }
    const answer = deliver();
    if (fault === 'responseLost') { this.uncertain = true; return timedOut; }
    return answer;
  }

  // ---- consumers --------------------------------------------------------------------------------

  assign(consumerId: string, keys: readonly Key[], opts: { groupId?: string; readCommitted: boolean }): Outcome {
    keys.forEach((k) => this.checkKey(k));
    const groupId = opts.groupId ?? null;
    // kafkajs' OffsetFetch (v4) has no RequireStable: pending transactional offsets do not block it.
    const committed = groupId === null ? {} : this.committedOffsets(groupId);
    this.stepConsumer(consumerId, { type: 'consumer.assign', keys, groupId, readCommitted: opts.readCommitted, committed });
    return ok(undefined);
  }

  poll(consumerId: string): Outcome<Record<Key, Array<[Offset, Value]>>> {
    const c = this.consumerOf(consumerId);
    if (!c.matches('assigned')) return { type: 'fail', error: `consumer "${consumerId}" has no assignment` };
    const out: Record<Key, Array<[Offset, Value]>> = {};
    if (!this.cluster.available()) return ok(out);
    for (const key of c.context.assignment) {
      const part = this.cluster.partitions[key]!.context;
      const r = fetchFrom(part, c.context.position[key] ?? 0, c.context.readCommitted, this.cluster.lso);
      if (r.records.length > 0) out[key] = r.records;
      this.stepConsumer(consumerId, { type: 'consumer.fetched', key, nextOffset: r.nextOffset });
    }
    return ok(out);
  }

  seek(consumerId: string, key: Key, offset: Offset): void {
    this.stepConsumer(consumerId, { type: 'consumer.seek', key, offset });
  }

  rollback(consumerId: string): void {
    const groupId = this.consumerOf(consumerId).context.groupId;
    this.stepConsumer(consumerId, { type: 'consumer.rollback', committed: groupId === null ? {} : this.committedOffsets(groupId) });
  }

  commitOffsets(groupId: string, offsets: Readonly<Record<Key, Offset>>): Outcome {
    const error = this.cluster.offsetCommit(groupId, offsets);
    return error === 'NONE' ? ok(undefined) : { type: 'fail', error };
  }

  committedOffsets(groupId: string): Record<Key, Offset> {
    const g = this.cluster.groups.get(groupId);
    if (g === undefined) return {};
    return Object.fromEntries(Object.entries(g.context.committed).map(([k, o]) => [Number(k), o.offset]));
  }

  private consumerOf(consumerId: string): ConsumerSnap {
    let snap = this.consumers.get(consumerId);
    if (snap === undefined) {
      snap = this.csm.initial({ consumerId });
      this.consumers.set(consumerId, snap);
    }
    return snap;
  }

  private stepConsumer(consumerId: string, ev: ConsumerEv): void {
    this.cluster.steps++;
    const before = this.consumerOf(consumerId);
    const next = this.csm.step(before, ev);
    this.consumers.set(consumerId, next);
    this.cluster.onStep?.({ machine: 'consumer', id: consumerId, event: ev, before, after: next });
  }

  // ---- faults and inspection --------------------------------------------------------------------

  fault(event: FaultEvent): void {
    switch (event.type) {
      case 'requestLost':
      case 'responseLost': {
        const queue = this.armed.get(event.clientId) ?? [];
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
      case 'consumerCrash': this.stepConsumer(event.consumerId, { type: 'consumer.crash' }); return;
      case 'nodeDown': this.checkNode(event.node); this.cluster.nodeDown(event.node); return;
      case 'nodeUp': this.checkNode(event.node); this.cluster.nodeUp(event.node); return;
      case 'tick':
        if (!Number.isInteger(event.ticks) || event.ticks < 0) throw new Error(`fault tick: ticks must be an integer ≥ 0, got ${event.ticks}`);
        this.cluster.advance(event.ticks);
        return;
      case 'transactionTimeout': this.cluster.abortTimedOut(event.transactionalId); return;
    }
  }

  log(key: Key): readonly LogEntry[] { this.checkKey(key); return this.cluster.partitions[key]!.context.log; }
  highWatermark(key: Key): Offset { return this.log(key).length; }
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
    const s = this.consumers.get(consumerId);
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
      consumers: view(this.consumers),
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
