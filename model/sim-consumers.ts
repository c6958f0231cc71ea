// The simulation's consumers: assignment, positions and fetches (UnifiedLog.read + CompletedFetch, fetch.ts)
// against the cluster's partition leaders, and the group's committed offsets.
import type { EventFromLogic, SnapshotFrom } from 'xstate';
import type { Cluster } from './cluster.ts';
import { consumerMachine } from './consumer.machine.ts';
import { fetchFrom } from './fetch.ts';
import type { ModelVariant, Outcome } from './sim.types.ts';
import { type Stepper, stepperFor } from './step.ts';
import type { Key, Offset, Value } from './types.ts';

type ConsumerSnap = SnapshotFrom<typeof consumerMachine>;
const ok = <T>(value: T): Outcome<T> => ({ type: 'ok', value });

export class Consumers {
  readonly snaps = new Map<string, ConsumerSnap>();
  private readonly csm: Stepper<typeof consumerMachine>;

  constructor(private readonly cluster: Cluster, variant: ModelVariant | undefined, from?: Consumers) {
    this.csm = from?.csm ?? stepperFor(variant?.consumer ?? consumerMachine, { consumerId: '' });
    if (from) for (const [id, s] of from.snaps) this.snaps.set(id, s);
  }

  fork(cluster: Cluster): Consumers { return new Consumers(cluster, undefined, this); }

  assign(consumerId: string, keys: readonly Key[], opts: { groupId?: string; readCommitted: boolean }): Outcome {
    const groupId = opts.groupId ?? null;
    // kafkajs' OffsetFetch (v4) has no RequireStable: pending transactional offsets do not block it.
    const committed = groupId === null ? {} : this.committedOffsets(groupId);
    this.step(consumerId, { type: 'consumer.assign', keys, groupId, readCommitted: opts.readCommitted, committed });
    return ok(undefined);
  }

  poll(consumerId: string): Outcome<Record<Key, Array<[Offset, Value]>>> {
    const c = this.of(consumerId);
    if (!c.matches('assigned')) return { type: 'fail', error: `consumer "${consumerId}" has no assignment` };
    const out: Record<Key, Array<[Offset, Value]>> = {};
    if (!this.cluster.available()) return ok(out);
    for (const key of c.context.assignment) {
      const part = this.cluster.partitions[key]!.context;
      const r = fetchFrom(part, c.context.position[key] ?? 0, c.context.readCommitted, this.cluster.lso);
      if (r.records.length > 0) out[key] = r.records;
      this.step(consumerId, { type: 'consumer.fetched', key, nextOffset: r.nextOffset });
    }
    return ok(out);
  }

  seek(consumerId: string, key: Key, offset: Offset): void {
    this.step(consumerId, { type: 'consumer.seek', key, offset });
  }

  rollback(consumerId: string): void {
    const groupId = this.of(consumerId).context.groupId;
    this.step(consumerId, { type: 'consumer.rollback', committed: groupId === null ? {} : this.committedOffsets(groupId) });
  }

  commitOffsets(groupId: string, offsets: Readonly<Record<Key, Offset>>): Outcome {
    const error = this.cluster.available() ? this.cluster.stepGroup(groupId, { type: 'group.offsetCommit', offsets }) : 'COORDINATOR_NOT_AVAILABLE';
    return error === 'NONE' ? ok(undefined) : { type: 'fail', error };
  }

  committedOffsets(groupId: string): Record<Key, Offset> {
    const g = this.cluster.groups.get(groupId);
    if (g === undefined) return {};
    return Object.fromEntries(Object.entries(g.context.committed).map(([k, o]) => [Number(k), o.offset]));
  }

  crash(consumerId: string): void { this.step(consumerId, { type: 'consumer.crash' }); }

  private of(consumerId: string): ConsumerSnap {
    let snap = this.snaps.get(consumerId);
    if (snap === undefined) {
      snap = this.csm.initial({ consumerId });
      this.snaps.set(consumerId, snap);
    }
    return snap;
  }

  private step(consumerId: string, ev: EventFromLogic<typeof consumerMachine>): void {
    this.cluster.steps++;
    const before = this.of(consumerId);
    const next = this.csm.step(before, ev);
    this.snaps.set(consumerId, next);
    this.cluster.onStep?.({ machine: 'consumer', id: consumerId, event: ev, before, after: next });
  }
}
