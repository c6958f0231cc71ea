// Network partitions as data. A grudge maps each node to the nodes whose traffic it drops, as in
// Jepsen's nemesis: pure functions build them from a spec, and the firewall applies them.

export type NodeId = number;
export type Grudge = ReadonlyMap<NodeId, readonly NodeId[]>;

/** Partition kinds the nemesis knows; `client-isolation` cuts the harness off from some nodes instead. */
export type PartitionSpec =
  | { kind: 'groups'; groups: NodeId[][] }
  | { kind: 'one'; isolated: NodeId }
  | { kind: 'majority-minority'; minority: NodeId[] }
  | { kind: 'majorities-ring' };

/** Nodes in different groups cannot talk; every node must be in exactly one group. */
export function groupsGrudge(nodes: readonly NodeId[], groups: readonly (readonly NodeId[])[]): Grudge {
  const groupOf = new Map<NodeId, number>();
  groups.forEach((group, g) => group.forEach((n) => {
    if (!nodes.includes(n)) throw new Error(`partition names node ${n}, but the cluster has nodes ${nodes.join(',')}`);
    if (groupOf.has(n)) throw new Error(`node ${n} is in two partition groups`);
    groupOf.set(n, g);
  }));
  const missing = nodes.filter((n) => !groupOf.has(n));
  if (missing.length > 0) throw new Error(`partition leaves out node(s) ${missing.join(',')}: every node needs a group`);
  return new Map(nodes.map((n) => [n, nodes.filter((m) => groupOf.get(m) !== groupOf.get(n))]));
}

/**
 * Every node sees a majority (itself and the next ⌊n/2⌋ nodes round the ring), and no two nodes see
 * the same majority: each believes it is in a healthy majority while no majority agrees.
 */
export function majoritiesRingGrudge(nodes: readonly NodeId[]): Grudge {
  const n = nodes.length;
  const seen = Math.floor(n / 2);
  return new Map(nodes.map((node, i) => {
    const visible = new Set(Array.from({ length: seen + 1 }, (_, k) => nodes[(i + k) % n]));
    return [node, nodes.filter((m) => !visible.has(m))];
  }));
}

export function grudgeFor(nodes: readonly NodeId[], spec: PartitionSpec): Grudge {
  switch (spec.kind) {
    case 'groups': return groupsGrudge(nodes, spec.groups);
    case 'one': return groupsGrudge(nodes, [[spec.isolated], nodes.filter((n) => n !== spec.isolated)]);
    case 'majority-minority': return groupsGrudge(nodes, [spec.minority, nodes.filter((n) => !spec.minority.includes(n))]);
    case 'majorities-ring': return majoritiesRingGrudge(nodes);
  }
}

export function describeSpec(spec: PartitionSpec): string {
  switch (spec.kind) {
    case 'groups': return spec.groups.map((g) => `{${g.join(',')}}`).join(' | ');
    case 'one': return `{${spec.isolated}} | rest`;
    case 'majority-minority': return `minority {${spec.minority.join(',')}} | majority`;
    case 'majorities-ring': return 'majorities ring';
  }
}
