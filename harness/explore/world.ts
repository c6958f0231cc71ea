// One state of the explored system: machine snapshots as interned integers, the producers' places in their
// programs, the messages in flight, the faults left. It is the model's Broker (model/broker.ts: the same
// routing the simulated cluster uses), so a request or a delivered message does here what it does there;
// the machines are stepped through the memo (intern.ts). Cloning copies a few small arrays.
import type { EventFromLogic } from 'xstate';
import type { BrokerRule } from '../../model/broker-rules.ts';
import type { Broker } from '../../model/broker.ts';
import type { ClientRequest, Message } from '../../model/network.ts';
import type { CoordinatorContext, PartitionContext, PartitionReply, coordinatorMachine, groupMachine, partitionMachine } from '../../model/index.ts';
import type { KafkaError } from '../../model/types.ts';
import type { ExploreConfig } from './config.ts';
import { FieldHash } from './intern.ts';
import type { Machines } from './machines.ts';

export interface Waiting { message: number; req: ClientRequest; answer: { error: KafkaError; producerId?: number; producerEpoch?: number; offset?: number | null } }

export interface Client {
  /** The next call of the program to start; a call is under way while the machine asks for requests. */
  pc: number;
  /** The request whose answer is in flight (its coordinator's log append), if any. */
  waiting: Waiting | null;
  /** A request of the current call timed out or was left on the wire: the call's outcome is unknown. */
  uncertain: boolean;
}

/** A message in flight: `mid` is its content's interned id (what the fingerprint sees), `id` its identity. */
export interface Wire { id: number; connection: string; message: Message; mid: number }

/** A call of a producer's program starting or ending (`outcome` as the history says it: ok, fail, info). */
export type JournalEntry =
  | { kind: 'start'; p: number; call: number }
  | { kind: 'finish'; p: number; call: number; outcome: 'ok' | 'fail' | 'info'; error: string | null; offset: number | null };

export class World implements Broker {
  // Fields without initialisers: a clone assigns each once (no throwaway arrays for the garbage collector).
  parts: number[];
  coords: number[];
  group: number;
  producers: number[];
  clients: Client[];
  net: Wire[];
  /** Faults left. Shared with the world this one was cloned from: replace it, never write into it (spend). */
  budget: readonly [delays: number, timeouts: number, failovers: number, expiries: number];
  /** Producers fenced by a newer instance of their transactional id (its InitProducerId succeeded). Shared
   *  like budget: replace it (fence). */
  fenced: readonly boolean[];
  nextProducerId: number;
  nextMessageId: number;
  /** A violation seen while the last action ran (a fenced producer's success, a group offset nothing explains). */
  violation: string | null;
  /** When replaying a trace (not while searching): the calls as they start and end, for the history. */
  journal: JournalEntry[] | null;
  /** Which clients this world copied (client()): bit p. */
  private owned: number;

  constructor(readonly m: Machines, readonly config: ExploreConfig, from?: World) {
    this.violation = null;
    this.owned = 0;
    if (from) {
      this.parts = from.parts.slice(); this.coords = from.coords.slice(); this.group = from.group; this.producers = from.producers.slice();
      this.clients = from.clients.slice(); this.net = from.net.slice(); this.budget = from.budget;
      this.fenced = from.fenced; this.nextProducerId = from.nextProducerId; this.nextMessageId = from.nextMessageId;
      this.journal = from.journal;
      return;
    }
    this.group = -1;
    this.net = [];
    this.nextProducerId = 1000;
    this.nextMessageId = 1;
    this.journal = null;
    this.parts = Array.from({ length: config.keys }, (_, key) => m.partition.initial({ key, txnVersion: config.txnVersion }));
    this.coords = m.txnIds.map(() => -1);
    this.producers = config.producers.map((p, i) => m.producer.initial({ clientId: `P${i}`, transactionalId: p.transactionalId, txnVersion: m.protocol.txnVersion }));
    this.clients = config.producers.map(() => ({ pc: 0, waiting: null, uncertain: false }));
    const f = config.faults;
    this.budget = [f.delays, f.timeouts, f.failovers, f.expiries];
    this.fenced = config.producers.map(() => false);
  }

  clone(): World { return new World(this.m, this.config, this); }

  /** A routing rule applied (coverage only). */
  rule(name: BrokerRule): void { this.m.onRule?.(name); }

  /** Client p, to change: clients are shared with the world this one was cloned from until written. */
  client(p: number): Client {
    if ((this.owned & (1 << p)) === 0) {
      this.clients[p] = { ...this.clients[p]! };
      this.owned |= 1 << p;
    }
    return this.clients[p]!;
  }

  /** One fault of kind i (0 delays, 1 timeouts, 2 failovers, 3 expiries) used. */
  spend(i: 0 | 1 | 2 | 3): void {
    const b = [...this.budget] as [number, number, number, number];
    b[i]--;
    this.budget = b;
  }

  /** Producer p fenced. */
  fence(p: number): void {
    if (this.fenced[p]) return;
    const f = [...this.fenced];
    f[p] = true;
    this.fenced = f;
  }

  // ---- the Broker port ----------------------------------------------------------------------------

  get txnVersion() { return this.config.txnVersion; }
  get now() { return 0; }
  available(): boolean { return true; }

  coordinator(id: string): CoordinatorContext | undefined {
    const s = this.coords[this.m.txnIndex(id)]!;
    return s < 0 ? undefined : this.m.coordinator.snapshot(s).context;
  }

  ensureCoordinator(id: string): CoordinatorContext {
    const i = this.m.txnIndex(id);
    if (this.coords[i]! < 0) this.coords[i] = this.m.coordinator.initial(this.m.coordinatorInput(id));
    return this.coordinator(id)!;
  }

  stepCoordinator(id: string, event: EventFromLogic<typeof coordinatorMachine>): CoordinatorContext {
    const i = this.m.txnIndex(id);
    this.coords[i] = this.m.coordinator.step(this.coords[i]!, event);
    return this.m.coordinator.snapshot(this.coords[i]!).context;
  }

  partition(key: number): PartitionContext { return this.m.partition.snapshot(this.parts[key]!).context; }

  stepPartition(key: number, event: EventFromLogic<typeof partitionMachine>): PartitionReply {
    this.parts[key] = this.m.partition.step(this.parts[key]!, event);
    return this.partition(key).reply;
  }

  stepGroup(groupId: string, event: EventFromLogic<typeof groupMachine>): KafkaError {
    const before = this.group < 0 ? this.m.group.initial({ groupId }) : this.group;
    this.group = this.m.group.step(before, event);
    const after = this.m.group.snapshot(this.group).context;
    const moved = this.m.groupMoves(event, this.m.group.snapshot(before).context, after, (pid) =>
      this.m.txnIds.some((t) => { const c = this.coordinator(t); return c !== undefined && c.producerId === pid && c.state === 'PrepareCommit'; }));
    if (moved.length > 0) this.violation ??= moved[0]!;
    return after.reply.error;
  }

  peekProducerId(): number { return this.nextProducerId; }
  takeProducerId(): number { return this.nextProducerId++; }

  /** Replication is immediate here (followers in sync): what the explorer varies is the protocol's messages. */
  send(connection: string, message: Message): number {
    if (message.kind === 'replicate') { this.stepPartition(message.key, { type: 'partition.replicate' }); return -1; }
    const id = this.nextMessageId++;
    this.net.push({ id, connection, message, mid: this.m.messageId(message) });
    return id;
  }

  inFlight(pred: (m: Message) => boolean): boolean { return this.net.some((w) => pred(w.message)); }

  /** The messages that can be delivered now: the oldest of each connection. */
  heads(): Wire[] {
    const seen = new Set<string>();
    return this.net.filter((w) => (seen.has(w.connection) ? false : (seen.add(w.connection), true)));
  }

  take(id: number): Message {
    const i = this.net.findIndex((w) => w.id === id);
    const [w] = this.net.splice(i, 1);
    return w!.message;
  }

  /**
   * A 53-bit fingerprint of key()'s content, built from the integers without making the string (the explorer
   * stores fingerprints, as TLC and SPIN's hash compaction do; two states share one with probability about
   * n²/2⁵⁴ for n states).
   */
  fingerprint(): number {
    const h = new FieldHash();
    for (const x of this.parts) h.mix(x);
    h.mix(-1); for (const x of this.coords) h.mix(x);
    h.mix(-2); h.mix(this.group);
    h.mix(-3); for (const x of this.producers) h.mix(x);
    h.mix(-4);
    for (const c of this.clients) { h.mix(c.pc); h.mix(c.waiting === null ? 0 : 1); h.mix(c.uncertain ? 1 : 0); }
    h.mix(-5); for (const x of this.budget) h.mix(x);
    h.mix(-6); for (const x of this.fenced) h.mix(x ? 1 : 0);
    h.mix(this.nextProducerId);
    h.mix(-7);
    // The messages in flight as a multiset (each connection holds one at a time here), with who waits for
    // which: a sum of each one's own hash, so their order does not count.
    let s1 = 0, s2 = 0;
    for (const w of this.net) {
      let waiter = -1;
      for (let c = 0; c < this.clients.length; c++) if (this.clients[c]!.waiting?.message === w.id) waiter = c;
      const x = w.mid * 8 + waiter + 1;
      s1 = (s1 + Math.imul(x ^ 0x27d4eb2f, 0x165667b1)) | 0;
      s2 = (s2 + Math.imul((x ^ (x >>> 13)) + 0x61c88647, 0x9e3779b1)) | 0;
    }
    h.mix(s1); h.mix(s2); h.mix(this.net.length);
    return h.value();
  }

  /** The state as a string: what makes two worlds the same for the explorer (ids of messages do not). */
  key(): string {
    const net = this.net.map((w) => {
      const waiter = this.clients.findIndex((c) => c.waiting?.message === w.id);
      return `${w.mid}${waiter >= 0 ? `@${waiter}` : ''}`;
    }).sort().join(',');
    const clients = this.clients.map((c) => `${c.pc}${c.waiting ? 'w' : ''}${c.uncertain ? 'u' : ''}`).join(',');
    return `${this.parts.join(',')}|${this.coords.join(',')}|${this.group}|${this.producers.join(',')}|${clients}|${this.budget.join(',')}|${this.fenced.map(Number).join('')}|${this.nextProducerId}|${net}`;
  }
}
