// What the nemesis has broken, and how to get from there to what it asks for next. The state (a grudge
// between nodes, client isolation, killed and paused nodes) and the rules that tie it together are the
// same whichever hands do the work: a partition is a set of firewall rules on every live node; a
// killed or shut-down node cannot be paused; a restarted node gets its rules again (a container restart
// brings a fresh network namespace). The backends (./docker.ts, ./ssh/) only say how to touch one node.
// The leader-move family (why it exists: ./leader-move.ts) is a graceful stop, then a start and a
// preferred-leader election.
import { grudgeFor, describeSpec, type Grudge, type PartitionSpec } from '../cluster/grudge.ts';
import type { NemesisOp, NodeId } from '../workload/program.ts';
import { describeState, type FaultBackend, type FaultBackendName, type FaultState } from './backend.ts';
import { HEALED, type FirewallRules } from './iptables.ts';
import { electionCandidates, ELECTION_TRIES, laggingFollower } from './leader-move.ts';

/** One backend's primitives on a single node; each must be idempotent (the final heal repeats them). */
export interface NodeHands {
  readonly name: FaultBackendName;
  readonly nodeIds: NodeId[];
  /** Each node's address as its peers see it: what a partition drops. */
  addresses(): Promise<Map<NodeId, string>>;
  /** Replaces the node's firewall rules with `rules`. */
  setFirewall(node: NodeId, rules: FirewallRules): Promise<void>;
  /** SIGKILL of the broker. `paused`: the node is frozen (SIGSTOP) right now. */
  kill(node: NodeId, paused: boolean): Promise<void>;
  /**
   * Graceful stop (SIGTERM: the broker's controlled shutdown moves its leaderships away), returning once
   * the process has ended: `graceful`, or `killed` when the shutdown outlasted its grace and SIGKILL ended
   * it. `paused`: the node is frozen right now (it must be thawed to shut down).
   */
  stop(node: NodeId, paused: boolean): Promise<'graceful' | 'killed'>;
  /**
   * Elects every partition's preferred leader, run through live node `via`, once the `started` nodes
   * listen; up to `tries` times while a preferred replica is not back in sync; throws when it never fully
   * succeeded. Resolves to what the tool said.
   */
  electPreferredLeaders(via: NodeId, started: NodeId[], tries: number): Promise<string>;
  /** Starts the broker again (its storage survives: it rejoins as the same node); a running one is left alone. */
  start(node: NodeId): Promise<void>;
  /** SIGSTOP / SIGCONT of the broker. */
  pause(node: NodeId): Promise<void>;
  resume(node: NodeId): Promise<void>;
  /** Lets go of connections and removes what the hands left on the nodes (firewall chains). */
  close(): Promise<void>;
}

export class FaultController implements FaultBackend {
  private grudge: Grudge = new Map();
  private partitionLabel: string | null = null;
  private readonly clientIsolated = new Set<NodeId>();
  private readonly killed = new Set<NodeId>();
  private readonly paused = new Set<NodeId>();
  /** Shut down gracefully by leader-move, not yet started again. */
  private readonly stopped = new Set<NodeId>();
  private sealed = false;
  private underWay: Promise<void> = Promise.resolve();

  /** `lagMs`: freeze a follower this long before each controlled shutdown (./leader-move.ts, laggingFollowerMs). */
  constructor(private readonly hands: NodeHands, private readonly options: { lagMs?: number } = {}) {}

  get name(): FaultBackendName {
    return this.hands.name;
  }

  get nodeIds(): NodeId[] {
    return this.hands.nodeIds;
  }

  state(): FaultState {
    return {
      partition: this.partitionLabel,
      clientIsolated: [...this.clientIsolated].sort(),
      killed: [...this.killed].sort(),
      paused: [...this.paused].sort(),
      stopped: [...this.stopped].sort(),
    };
  }

  describe(): string {
    return describeState(this.state());
  }

  async inject(op: NemesisOp): Promise<void> {
    if (this.sealed) throw new Error(`no new faults: the run is ending and its faults are being healed (asked for ${op.f})`);
    const made = this.make(op);
    this.underWay = made.catch(() => undefined);
    return made;
  }

  async seal(): Promise<void> {
    this.sealed = true;
    await this.underWay;
  }

  private async make(op: NemesisOp): Promise<void> {
    switch (op.f) {
      case 'start-partition': {
        const g = op.value;
        if (g.kind === 'client-isolation') return this.isolateClient(g.nodes);
        const label = g.kind === 'one' ? `one {${g.isolated.join(',')}}`
          : g.kind === 'majority-minority' ? `minority {${g.minority.join(',')}}` : `majorities ring ${g.ring.join('→')}`;
        await this.partition({ kind: 'grudge', grudge: g.grudge, label });
        return;
      }
      case 'stop-partition': return this.healNetwork();
      case 'kill': for (const n of op.value.nodes) await this.kill(n); return;
      case 'restart': for (const n of op.value.nodes) await this.restart(n); return;
      case 'pause': for (const n of op.value.nodes) await this.pause(n); return;
      case 'resume': for (const n of op.value.nodes) await this.resume(n); return;
      case 'start-leader-move': for (const n of op.value.nodes) await this.shutdown(n); return;
      case 'stop-leader-move': return this.rejoin(op.value.nodes);
    }
  }

  /** Cuts links between nodes as the spec says (replacing any earlier partition). */
  async partition(spec: PartitionSpec): Promise<Grudge> {
    this.grudge = grudgeFor(this.nodeIds, spec);
    this.partitionLabel = describeSpec(spec);
    await this.applyAll();
    return this.grudge;
  }

  /** The harness can no longer reach these nodes' client listener; the nodes still reach each other. */
  async isolateClient(nodeIds: NodeId[]): Promise<void> {
    for (const id of nodeIds) this.known(id);
    for (const id of nodeIds) this.clientIsolated.add(id);
    await this.applyAll();
  }

  /** Removes every partition and client isolation. */
  async healNetwork(): Promise<void> {
    this.grudge = new Map();
    this.partitionLabel = null;
    this.clientIsolated.clear();
    await this.applyAll();
  }

  async kill(nodeId: NodeId): Promise<void> {
    await this.hands.kill(this.known(nodeId), this.paused.has(nodeId));
    this.paused.delete(nodeId);
    this.killed.add(nodeId);
  }

  async restart(nodeId: NodeId): Promise<void> {
    await this.hands.start(this.known(nodeId));
    this.killed.delete(nodeId);
    this.stopped.delete(nodeId);
    await this.applyAll();
  }

  /** A controlled shutdown; a killed or already stopped node has nothing to shut down. */
  async shutdown(nodeId: NodeId): Promise<void> {
    if (this.killed.has(this.known(nodeId)) || this.stopped.has(nodeId)) return;
    const lagMs = this.options.lagMs ?? 0;
    const follower = lagMs > 0 ? laggingFollower(this.nodeIds, nodeId, new Set([...this.killed, ...this.paused, ...this.stopped])) : undefined;
    if (follower !== undefined) {
      await this.hands.pause(follower);
      await new Promise((resolve) => setTimeout(resolve, lagMs));
    }
    try {
      const ended = await this.hands.stop(nodeId, this.paused.has(nodeId));
      this.paused.delete(nodeId);
      this.stopped.add(nodeId);
      // Down all the same (the rejoin starts it), but the history must not call a kill a leader move.
      if (ended === 'killed') throw new Error(`node ${nodeId}'s controlled shutdown outlasted its grace and was ended by SIGKILL: this leader move was a kill`);
    } finally {
      if (follower !== undefined) await this.hands.resume(follower);
    }
  }

  /**
   * Starts the shut-down nodes among `nodeIds`, then moves the leaderships back by a preferred-leader
   * election through a live node (one that was not just started, if there is one). Nothing to start:
   * nothing to elect (the final heal names every node).
   */
  async rejoin(nodeIds: NodeId[]): Promise<void> {
    const started = nodeIds.filter((n) => this.stopped.has(this.known(n)));
    for (const n of started) {
      await this.hands.start(n);
      this.stopped.delete(n);
    }
    if (started.length === 0) return;
    await this.applyAll();
    const down = new Set([...this.killed, ...this.paused, ...this.stopped]);
    const [via] = electionCandidates(this.nodeIds, down, started);
    if (via === undefined) throw new Error(`no live node to run the preferred-leader election on (${this.describe()}); node(s) ${started.join(',')} started`);
    // With another node down, the partitions it prefers cannot be elected, so every try fails: one is enough.
    await this.hands.electPreferredLeaders(via, started, down.size > 0 ? 1 : ELECTION_TRIES);
  }

  /** Pausing a killed or shut-down node does nothing: it has no process to freeze, and its start brings it back running. */
  async pause(nodeId: NodeId): Promise<void> {
    if (this.killed.has(this.known(nodeId)) || this.stopped.has(nodeId)) return;
    await this.hands.pause(nodeId);
    this.paused.add(nodeId);
  }

  async resume(nodeId: NodeId): Promise<void> {
    await this.hands.resume(this.known(nodeId));
    this.paused.delete(nodeId);
  }

  /** Everything back to normal: resume, restart, heal the network (no election: every broker running is enough). */
  async heal(): Promise<void> {
    for (const id of [...this.paused]) await this.resume(id);
    for (const id of [...this.killed, ...this.stopped]) await this.restart(id);
    await this.healNetwork();
  }

  /** The name older callers know `heal` by. */
  healAll(): Promise<void> {
    return this.heal();
  }

  close(): Promise<void> {
    return this.hands.close();
  }

  private known(nodeId: NodeId): NodeId {
    if (!this.nodeIds.includes(nodeId)) throw new Error(`no node ${nodeId} (nodes ${this.nodeIds.join(',')})`);
    return nodeId;
  }

  private rulesFor(nodeId: NodeId, addresses: Map<NodeId, string>): FirewallRules {
    const dropFrom = (this.grudge.get(nodeId) ?? []).map((peer) => addresses.get(peer)).filter((ip): ip is string => !!ip);
    if (dropFrom.length === 0 && !this.clientIsolated.has(nodeId)) return HEALED;
    return { dropFrom, isolateClient: this.clientIsolated.has(nodeId) };
  }

  private async applyAll(): Promise<void> {
    const addresses = await this.hands.addresses();
    await Promise.all(this.nodeIds
      .filter((id) => !this.killed.has(id) && !this.stopped.has(id))
      .map((id) => this.hands.setFirewall(id, this.rulesFor(id, addresses))));
  }
}
