// Network partitions as data. A grudge maps each node to the nodes whose traffic it drops, as in
// Jepsen's nemesis: pure functions build them from a spec, and the firewall applies them.

export type NodeId = number;
export type Grudge = ReadonlyMap<NodeId, readonly NodeId[]>;

/** Partition kinds the nemesis knows; `client-isolation` cuts the harness off from some nodes instead. */
export type PartitionSpec =
  | { kind: 'groups'; groups: NodeId[][] }
  | { kind: 'one'; isolated: NodeId }
  | { kind: 'majority-minority'; minority: NodeId[] }
  | { kind: 'majorities-ring' }
  /** A grudge given as data (a program's nemesis schedule carries its own). */
  | { kind: 'grudge'; grudge: Readonly<Record<string, readonly NodeId[]>>; label?: string };

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
 * Every node sees a majority (itself and its ring neighbours), and no two nodes see the same majority:
 * each believes it is in a healthy majority while no majority agrees. Links are cut symmetrically,
 * because a TCP connection needs both directions: a one-way drop cuts the link both ways anyway.
 * A symmetric ring needs 5 nodes; below that it degenerates to Jepsen's "bridge": the first and last
 * node cannot talk, the middle one sees both (for 3 nodes: {1,2} and {2,3} are different majorities).
 */
export function majoritiesRingGrudge(nodes: readonly NodeId[]): Grudge {
  const n = nodes.length;
  if (n < 5) {
    const first = nodes[0];
    const last = nodes[n - 1];
    return new Map(nodes.map((node) => [node, n >= 3 && node === first ? [last!] : n >= 3 && node === last ? [first!] : []]));
  }
  const others = Math.floor(n / 2); // a majority is ⌊n/2⌋ + 1 nodes: itself and ⌊n/2⌋ others
  const reach = Math.ceil(others / 2);
  const ringDistance = (i: number, j: number) => Math.min(Math.abs(i - j), n - Math.abs(i - j));
  return new Map(nodes.map((node, i) => [node, nodes.filter((_, j) => ringDistance(i, j) > reach)]));
}

export function grudgeFor(nodes: readonly NodeId[], spec: PartitionSpec): Grudge {
  switch (spec.kind) {
    case 'groups': return groupsGrudge(nodes, spec.groups);
    case 'one': return groupsGrudge(nodes, [[spec.isolated], nodes.filter((n) => n !== spec.isolated)]);
    case 'majority-minority': return groupsGrudge(nodes, [spec.minority, nodes.filter((n) => !spec.minority.includes(n))]);
    case 'majorities-ring': return majoritiesRingGrudge(nodes);
    case 'grudge': return explicitGrudge(nodes, spec.grudge);
  }
}

function explicitGrudge(nodes: readonly NodeId[], grudge: Readonly<Record<string, readonly NodeId[]>>): Grudge {
  const unknown = Object.entries(grudge).flatMap(([n, peers]) => [Number(n), ...peers]).filter((n) => !nodes.includes(n));
  if (unknown.length > 0) throw new Error(`grudge names node(s) ${[...new Set(unknown)].join(',')}, but the cluster has nodes ${nodes.join(',')}`);
  return new Map(nodes.map((n) => [n, [...(grudge[String(n)] ?? [])]]));
}

export function describeSpec(spec: PartitionSpec): string {
  switch (spec.kind) {
    case 'groups': return spec.groups.map((g) => `{${g.join(',')}}`).join(' | ');
    case 'one': return `{${spec.isolated}} | rest`;
    case 'majority-minority': return `minority {${spec.minority.join(',')}} | majority`;
    case 'majorities-ring': return 'majorities ring';
    case 'grudge': return spec.label ?? Object.entries(spec.grudge).filter(([, p]) => p.length > 0).map(([n, p]) => `${n}✗{${p.join(',')}}`).join(' ');
  }
}
