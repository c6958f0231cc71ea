// The nemesis schedule. As in Jepsen (research/jepsen.md 4.2), each fault family alternates start and
// stop at random intervals, independently of the others, so faults of different families may overlap.
// Every start gets its stop inside the main phase; the final heal then restores everything anyway.
import fc from 'fast-check';
import type { ResolvedOptions } from './options.ts';
import { shrinkablePrefix } from './shrinkable.ts';
import type { NemesisEntry, NemesisFamily, NemesisOp, NodeId, PartitionGrouping, PartitionKind } from './program.ts';

type Grudge = Record<string, NodeId[]>;

function grudgeOf(nodes: NodeId[], sees: (n: NodeId) => NodeId[]): Grudge {
  const grudge: Grudge = {};
  for (const n of [...nodes].sort((a, b) => a - b)) {
    const visible = sees(n);
    grudge[String(n)] = nodes.filter((m) => !visible.includes(m)).sort((a, b) => a - b);
  }
  return grudge;
}

const sorted = (ns: NodeId[]) => [...ns].sort((a, b) => a - b);

/** Splits the cluster into components that only see themselves. */
function components(nodes: NodeId[], parts: NodeId[][]): Grudge {
  return grudgeOf(nodes, (n) => parts.find((p) => p.includes(n)) ?? [n]);
}

/** Turns a kind and a random node order into a concrete grouping (pure: the permutation is the randomness). */
export function partitionGrouping(kind: PartitionKind, perm: NodeId[]): PartitionGrouping {
  const nodes = sorted(perm);
  switch (kind) {
    case 'one': {
      const isolated = perm.slice(0, 1);
      return { kind, isolated, grudge: components(nodes, [isolated, perm.slice(1)]) };
    }
    case 'majority-minority': {
      const minority = sorted(perm.slice(0, Math.floor(perm.length / 2)));
      const majority = sorted(perm.slice(Math.floor(perm.length / 2)));
      return { kind, majority, minority, grudge: components(nodes, [majority, minority]) };
    }
    case 'majorities-ring': {
      // Node perm[i] sees the m consecutive ring nodes from itself on: every node sees a majority,
      // and no two nodes see the same one (exact for the small clusters we run).
      const m = Math.floor(perm.length / 2) + 1;
      const window = (i: number) => Array.from({ length: m }, (_, j) => perm[(i + j) % perm.length] as NodeId);
      return { kind, ring: [...perm], grudge: grudgeOf(nodes, (n) => window(perm.indexOf(n))) };
    }
    case 'client-isolation':
      return { kind, nodes: perm.slice(0, 1), grudge: {} };
  }
}

interface Fault {
  start: NemesisOp;
  stop: NemesisOp;
}

function faultArb(o: ResolvedOptions, family: NemesisFamily, nodes: NodeId[]): fc.Arbitrary<Fault> {
  if (family === 'partition') {
    const perm = fc.shuffledSubarray(nodes, { minLength: nodes.length, maxLength: nodes.length });
    return fc.tuple(fc.constantFrom(...o.partitionKinds), perm).map(([kind, p]) => ({
      start: { f: 'start-partition', value: partitionGrouping(kind, p) },
      stop: { f: 'stop-partition', value: null },
    }));
  }
  const [startF, stopF] = family === 'kill' ? (['kill', 'restart'] as const)
    : family === 'leader-move' ? (['start-leader-move', 'stop-leader-move'] as const) : (['pause', 'resume'] as const);
  return fc.constantFrom(...nodes).map((n) => ({
    start: { f: startF, value: { nodes: [n] } },
    stop: { f: stopF, value: { nodes: [n] } },
  }));
}

/** Shortest gap or fault: long enough for the cluster to notice (leader election takes seconds). */
export const minFaultMs = (o: ResolvedOptions) => Math.min(1_000, Math.floor(o.nemesisIntervalMs / 2));

/** One family's flip-flop: gap, fault, gap, fault... with each interval uniform in [min, 2·interval]. */
function familyScheduleArb(o: ResolvedOptions, family: NemesisFamily, nodes: NodeId[]): fc.Arbitrary<NemesisEntry[]> {
  const min = minFaultMs(o);
  const interval = fc.integer({ min, max: Math.max(min, 2 * o.nemesisIntervalMs) });
  const cycles = Math.min(10_000, Math.floor(o.timeLimitMs / (2 * min)) + 1);
  const cyclesArb = fc.array(fc.tuple(interval, interval, faultArb(o, family, nodes)), { minLength: cycles, maxLength: cycles });
  return shrinkablePrefix(cyclesArb, cycles).map((cs) => {
    const entries: NemesisEntry[] = [];
    let t = 0;
    for (const [gap, duration, fault] of cs) {
      const start = t + gap;
      if (start + min > o.timeLimitMs) break;
      t = Math.min(start + duration, o.timeLimitMs);
      entries.push({ atMs: start, op: fault.start }, { atMs: t, op: fault.stop });
    }
    return entries;
  });
}

const isStop = (e: NemesisEntry) => ['stop-partition', 'restart', 'resume', 'stop-leader-move'].includes(e.op.f);

/** All families merged in time order; at equal times stops go first, so a node is healed before it is hit again. */
export function nemesisScheduleArb(o: ResolvedOptions, nodes: NodeId[]): fc.Arbitrary<NemesisEntry[]> {
  if (o.nemesis.length === 0) return fc.constant([]);
  return fc.tuple(...o.nemesis.map((f) => familyScheduleArb(o, f, nodes))).map((perFamily) =>
    perFamily
      .flat()
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.atMs - b.e.atMs || Number(isStop(b.e)) - Number(isStop(a.e)) || a.i - b.i)
      .map(({ e }) => e),
  );
}

/** Idempotent "make sure it is healed" ops at the end of the main phase, for every family in use. */
export function finalHeal(o: ResolvedOptions, nodes: NodeId[]): NemesisEntry[] {
  const atMs = o.timeLimitMs;
  const all = { nodes: [...nodes] };
  const ops: NemesisOp[] = [];
  if (o.nemesis.includes('partition')) ops.push({ f: 'stop-partition', value: null });
  if (o.nemesis.includes('pause')) ops.push({ f: 'resume', value: all });
  if (o.nemesis.includes('kill')) ops.push({ f: 'restart', value: all });
  if (o.nemesis.includes('leader-move')) ops.push({ f: 'stop-leader-move', value: all });
  return ops.map((op) => ({ atMs, op }));
}
