// The machines one exploration steps (the model's, or a broken variant's), each behind a memo, and what
// every world of that exploration shares: the producers' client protocol, the transactional ids, and an
// interner for messages in flight.
import {
  coordinatorMachine, groupMachine, javaProducerMachine, partitionMachine, producerMachine,
  type ClientRequest, type GroupContext, type Message, type ModelVariant, type Protocol,
} from '../../model/index.ts';
import { requestOf } from '../../model/producer-driver.ts';
import { protocolOf } from '../../model/sim.ts';
import { unexplainedGroupMoves } from '../../properties/model/monitor.ts';
import type { ExploreConfig } from './config.ts';
import { MemoMachine, eventFingerprint } from './intern.ts';

export class Machines {
  readonly partition: MemoMachine<typeof partitionMachine>;
  readonly coordinator: MemoMachine<typeof coordinatorMachine>;
  readonly group: MemoMachine<typeof groupMachine>;
  readonly producer: MemoMachine<typeof producerMachine>;
  readonly protocol: Protocol;
  readonly txnIds: string[];
  /** Messages by content (their fingerprint, as events): each message object is sent once. */
  private readonly messages = new Map<number, number>();
  private readonly requests = new Map<number, ClientRequest | null>();
  readonly groupMoves = unexplainedGroupMoves as (event: { type: string }, before: GroupContext, after: GroupContext, committing: (pid: number) => boolean) => string[];

  constructor(readonly config: ExploreConfig, variant?: ModelVariant, onStep?: ModelVariant['onStep'], readonly onRule?: ModelVariant['onRule']) {
    this.protocol = protocolOf(config.client, config.txnVersion);
    this.txnIds = [...new Set(config.producers.map((p) => p.transactionalId))];
    this.partition = new MemoMachine(variant?.partition ?? partitionMachine, { key: 0, txnVersion: config.txnVersion });
    this.coordinator = new MemoMachine(variant?.coordinator ?? coordinatorMachine, this.coordinatorInput(''));
    this.group = new MemoMachine(variant?.group ?? groupMachine, { groupId: '' });
    const producer = config.client === 'java' ? (variant?.javaProducer ?? javaProducerMachine) : (variant?.producer ?? producerMachine);
    this.producer = new MemoMachine(producer as typeof producerMachine, { clientId: '', transactionalId: null, txnVersion: this.protocol.txnVersion });
    if (onStep !== undefined) {
      const observe = (machine: Parameters<NonNullable<ModelVariant['onStep']>>[0]['machine'], m: { onStep?: unknown }) => {
        m.onStep = (before: { value: unknown; context: unknown }, event: { type: string }, after: { value: unknown; context: unknown }) =>
          onStep({ machine, id: '', event, before, after });
      };
      observe('partition', this.partition);
      observe('coordinator', this.coordinator);
      observe('group', this.group);
      observe(config.client === 'java' ? 'javaProducer' : 'producer', this.producer);
    }
  }

  txnIndex(id: string): number {
    const i = this.txnIds.indexOf(id);
    if (i < 0) throw new Error(`explore: unknown transactional id ${id}`);
    return i;
  }

  coordinatorInput(transactionalId: string) {
    // No clock in the explorer: transactions time out only when a path chooses it (faults.expiries).
    return { transactionalId, txnVersion: this.config.txnVersion, timeoutTicks: Number.MAX_SAFE_INTEGER, expirationTicks: Number.MAX_SAFE_INTEGER };
  }

  messageId(m: Message): number {
    const f = eventFingerprint(m as unknown as Record<string, unknown>);
    let id = this.messages.get(f);
    if (id === undefined) { id = this.messages.size; this.messages.set(f, id); }
    return id;
  }

  /** The request a producer snapshot calls for (producer-driver's requestOf), remembered per snapshot. */
  requestOf(producerSnapshot: number): ClientRequest | null {
    let r = this.requests.get(producerSnapshot);
    if (r === undefined) {
      r = requestOf(this.producer.snapshot(producerSnapshot));
      this.requests.set(producerSnapshot, r);
    }
    return r;
  }

  /** Machine snapshots and steps computed so far (the memo's reach). */
  stats(): { snapshots: number; steps: number; hits: number } {
    const all = [this.partition, this.coordinator, this.group, this.producer];
    return {
      snapshots: all.reduce((n, x) => n + x.snapshots.size, 0),
      steps: all.reduce((n, x) => n + x.misses, 0),
      hits: all.reduce((n, x) => n + x.hits, 0),
    };
  }
}
