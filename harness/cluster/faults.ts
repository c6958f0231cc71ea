// The nemesis' hands: partitions (any grudge between nodes), cutting the harness client off from nodes,
// SIGKILL and restart, SIGSTOP-style pause and resume. Each call changes the real cluster; which fault
// to inject when is the nemesis' decision, not this module's. Firewall rules live in the nodes' network
// namespaces, so a killed node loses them: they are put back when it restarts.
import { dockerode } from '../docker/engine.ts';
import { applyFirewall, HEALED, type FirewallRules } from './firewall.ts';
import { grudgeFor, type Grudge, type NodeId, type PartitionSpec, describeSpec } from './grudge.ts';
import type { KafkaCluster } from './cluster.ts';

export interface FaultState {
  partition: string | null;
  clientIsolated: NodeId[];
  killed: NodeId[];
  paused: NodeId[];
}

export class Faults {
  private grudge: Grudge = new Map();
  private partitionLabel: string | null = null;
  private readonly clientIsolated = new Set<NodeId>();
  private readonly killed = new Set<NodeId>();
  private readonly paused = new Set<NodeId>();

  constructor(private readonly cluster: KafkaCluster) {}

  get nodeIds(): NodeId[] {
    return this.cluster.nodes.map((n) => n.id);
  }

  state(): FaultState {
    return {
      partition: this.partitionLabel,
      clientIsolated: [...this.clientIsolated].sort(),
      killed: [...this.killed].sort(),
      paused: [...this.paused].sort(),
    };
  }

  /** Cuts links between nodes as the spec says (replacing any earlier partition). */
  async partition(spec: PartitionSpec): Promise<Grudge> {
    this.grudge = grudgeFor(this.nodeIds, spec);
    this.partitionLabel = describeSpec(spec);
    await this.applyAll();
    return this.grudge;
  }

  /** The harness (on the host) can no longer reach these nodes; the nodes still reach each other. */
  async isolateClient(nodeIds: NodeId[]): Promise<void> {
    nodeIds.forEach((id) => this.cluster.node(id));
    for (const id of nodeIds) this.clientIsolated.add(id);
    await this.applyAll();
  }

  /** Removes every partition and client isolation. */
  async heal(): Promise<void> {
    this.grudge = new Map();
    this.partitionLabel = null;
    this.clientIsolated.clear();
    await this.applyAll();
  }

  async kill(nodeId: NodeId): Promise<void> {
    const container = await this.container(nodeId);
    // Docker 20.10 kills a paused container; unpausing first keeps the kill real on an engine that
    // answers 409 instead, which ignoreNotRunning would take for "already dead" (a node left frozen).
    if (this.paused.has(nodeId)) await container.unpause().catch(ignoreNotPaused);
    this.paused.delete(nodeId);
    await container.kill({ signal: 'SIGKILL' }).catch(ignoreNotRunning);
    this.killed.add(nodeId);
  }

  /** Starts a killed node again; its storage survives, so it rejoins as the same node. */
  async restart(nodeId: NodeId): Promise<void> {
    const container = await this.container(nodeId);
    await container.start().catch(ignoreAlreadyStarted);
    this.killed.delete(nodeId);
    // A restarted node has a fresh network namespace, and possibly a new address that the other
    // nodes' rules must name: rewrite every node's rules.
    await this.applyAll();
  }

  /** Pausing a killed node does nothing: it has no process to freeze, and its restart brings it back running. */
  async pause(nodeId: NodeId): Promise<void> {
    if (this.killed.has(nodeId)) return;
    await (await this.container(nodeId)).pause();
    this.paused.add(nodeId);
  }

  async resume(nodeId: NodeId): Promise<void> {
    await (await this.container(nodeId)).unpause().catch(ignoreNotPaused);
    this.paused.delete(nodeId);
  }

  /** Everything back to normal: heal, resume, restart. */
  async healAll(): Promise<void> {
    for (const id of [...this.paused]) await this.resume(id);
    for (const id of [...this.killed]) await this.restart(id);
    await this.heal();
  }

  private rulesFor(nodeId: NodeId, addresses: Map<NodeId, string>): FirewallRules {
    const dropFrom = (this.grudge.get(nodeId) ?? []).map((peer) => addresses.get(peer)).filter((ip): ip is string => !!ip);
    if (dropFrom.length === 0 && !this.clientIsolated.has(nodeId)) return HEALED;
    return { dropFrom, isolateClient: this.clientIsolated.has(nodeId) };
  }

  private async applyAll(): Promise<void> {
    const addresses = await this.addresses();
    await Promise.all(this.cluster.nodes
      .filter((n) => !this.killed.has(n.id))
      .map((n) => applyFirewall(n.container.getId(), this.cluster.id, this.rulesFor(n.id, addresses))));
  }

  private async addresses(): Promise<Map<NodeId, string>> {
    const docker = await dockerode();
    const entries = await Promise.all(this.cluster.nodes.map(async (n) => {
      const info = await docker.getContainer(n.container.getId()).inspect();
      return [n.id, info.NetworkSettings.Networks[this.cluster.id]?.IPAddress ?? ''] as const;
    }));
    return new Map(entries.filter(([, ip]) => ip !== ''));
  }

  private async container(nodeId: NodeId) {
    return (await dockerode()).getContainer(this.cluster.node(nodeId).container.getId());
  }
}

// Docker answers 304, 409 or (for unpause, 20.10) 500 "is not paused" when the container is already in
// the wanted state; that is success here, and makes every primitive idempotent (the final heal resumes
// and restarts every node, faulted or not).
type DockerError = { statusCode?: number; message?: string };
const ignoreNotRunning = (e: DockerError) => { if (e.statusCode !== 409 && e.statusCode !== 304) throw e; };
const ignoreAlreadyStarted = (e: DockerError) => { if (e.statusCode !== 304) throw e; };
const ignoreNotPaused = (e: DockerError) => { if (e.statusCode !== 409 && !/is not paused/.test(e.message ?? '')) throw e; };
