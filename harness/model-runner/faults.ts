// Nemesis ops become model fault events. The model knows brokers that are up or down (leaders and
// transaction coordinators fail over off a down node; writes need 2 live brokers) and per-client lost
// requests/responses, but not which broker a client talks to. So:
// - kill / pause of node n, and a partition that leaves n outside every majority, take n down (a node
//   stays down while any fault holds it); on kill the next request of the clients attached to n is lost,
//   on pause its response is (a paused broker may still apply it);
// - a majorities ring leaves every node a majority: leaders and coordinators churn (all fail over);
// - client isolation of n: the next request of every client attached to n is lost.
// "Attached to n" is a fixed, deterministic stand-in: the clients of workers w with w mod nodes = n-1.
import type { FaultEvent, Sim } from '../../model/index.ts';
import type { NemesisOp, NodeId, PartitionGrouping } from '../workload/program.ts';

export interface AttachedClient {
  worker: number;
  producer: string;
}

/** Nodes a grouping cuts off from every majority (they lose leadership in Kafka). */
export function minorityNodes(g: PartitionGrouping, nodes: NodeId[]): NodeId[] {
  if (g.kind === 'client-isolation' || g.kind === 'majorities-ring') return [];
  return nodes.filter((n) => nodes.length - (g.grudge[String(n)] ?? []).length <= nodes.length / 2);
}

export class FaultMapper {
  /** Node → the faults holding it down ('kill', 'pause', 'partition', 'leader-move'). */
  private readonly down = new Map<NodeId, Set<string>>();

  constructor(private readonly sim: Sim, private readonly nodes: NodeId[], private readonly transactionalIds: () => string[]) {}

  /** Applies one nemesis op; `clients` are the producers of the live processes. Returns the model events applied. */
  apply(op: NemesisOp, clients: AttachedClient[]): FaultEvent[] {
    const events: FaultEvent[] = [];
    const emit = (e: FaultEvent) => { this.sim.fault(e); events.push(e); };
    const attached = (n: NodeId) => clients.filter((c) => c.worker % this.nodes.length === n - 1);
    switch (op.f) {
      case 'kill':
      case 'pause':
        for (const n of op.value.nodes) {
          this.hold(n, op.f, emit);
          for (const c of attached(n)) emit({ type: op.f === 'kill' ? 'requestLost' : 'responseLost', clientId: c.producer });
        }
        break;
      case 'restart':
      case 'resume':
        for (const n of op.value.nodes) this.release(n, op.f === 'restart' ? 'kill' : 'pause', emit);
        break;
      // A controlled shutdown: the node is down (its leaderships move away, the clients it served are answered
      // NOT_LEADER_OR_FOLLOWER after the broker may have appended: a lost response). Its return and the
      // preferred-leader election move the leaderships back: a leader change for every key.
      case 'start-leader-move':
        for (const n of op.value.nodes) {
          this.hold(n, 'leader-move', emit);
          for (const c of attached(n)) emit({ type: 'responseLost', clientId: c.producer });
        }
        break;
      case 'stop-leader-move':
        for (const n of op.value.nodes) this.release(n, 'leader-move', emit);
        for (let key = 0; key < this.sim.config.keys; key++) emit({ type: 'leaderChange', key });
        break;
      case 'start-partition': {
        const g = op.value;
        for (const n of minorityNodes(g, this.nodes)) this.hold(n, 'partition', emit);
        if (g.kind === 'majorities-ring') {
          for (let key = 0; key < this.sim.config.keys; key++) emit({ type: 'leaderChange', key });
          for (const transactionalId of this.transactionalIds()) emit({ type: 'coordinatorFailover', transactionalId });
        }
        if (g.kind === 'client-isolation') {
          for (const n of g.nodes) for (const c of attached(n)) emit({ type: 'requestLost', clientId: c.producer });
        }
        break;
      }
      case 'stop-partition':
        for (const n of this.nodes) this.release(n, 'partition', emit);
        break;
    }
    return events;
  }

  private hold(n: NodeId, reason: string, emit: (e: FaultEvent) => void): void {
    const reasons = this.down.get(n) ?? new Set<string>();
    if (reasons.size === 0) emit({ type: 'nodeDown', node: n - 1 });
    this.down.set(n, reasons.add(reason));
  }

  private release(n: NodeId, reason: string, emit: (e: FaultEvent) => void): void {
    const reasons = this.down.get(n);
    if (!reasons?.delete(reason) || reasons.size > 0) return;
    emit({ type: 'nodeUp', node: n - 1 });
  }
}
