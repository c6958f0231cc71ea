// Cycle search à la Elle (research/jepsen.md §3): components first (Tarjan), then one concrete,
// shortest cycle per anomaly type per component by breadth-first search. Each search projects the
// graph onto the relations its anomaly may use, takes an edge of the relation it must use that lies
// inside one projected component, and searches back from the edge's head to its tail: in a strongly
// connected component that path always exists, so every search is linear and cannot time out.
// The two invalid searches (a G1c cycle without a ww edge) run first and on their own, so a
// permitted G0 in the same component can never hide them.
import type { AnomalyType } from '../anomaly.ts';
import { RT, RW, WR, WW, type Graph } from './graph.ts';
import { stronglyConnected, tarjan, type Components } from './scc.ts';

interface Spec {
  type: AnomalyType;
  allowed: boolean;
  /** Relations the cycle may use (apart from its first edge). */
  mask: number;
  /** The relation of the first edge, which the cycle must contain. */
  first: number;
  /** A relation the rest of the path must contain too (0: none). */
  need: number;
  /** Types already found in the same component that make this one redundant. */
  skipIf: AnomalyType[];
  /** Edges tried per component before giving up (searches with `need` may fail). */
  tries: number;
}

// Stryker disable next-line ArrayDeclaration: no anomaly is named "Stryker was here", so a list holding only that skips nothing either
const NONE: AnomalyType[] = [];

// A type already found in the component skips an allowed search of the same name by itself (the rule
// in findCycles), so skipIf lists only the other names.
const SPECS: Spec[] = [
  { type: 'G1c', allowed: false, mask: WR, first: WR, need: 0, skipIf: NONE, tries: 1 },
  { type: 'G1c-realtime', allowed: false, mask: WR | RT, first: RT, need: 0, skipIf: NONE, tries: 1 },
  { type: 'G0', allowed: true, mask: WW, first: WW, need: 0, skipIf: NONE, tries: 1 },
  { type: 'G0-realtime', allowed: true, mask: WW | RT, first: RT, need: 0, skipIf: ['G0'], tries: 1 },
  { type: 'G1c', allowed: true, mask: WW | WR, first: WR, need: 0, skipIf: ['G0'], tries: 1 },
  { type: 'G1c-realtime', allowed: true, mask: WW | WR | RT, first: RT, need: WR, skipIf: ['G0', 'G0-realtime', 'G1c'], tries: 4 },
  { type: 'G-single', allowed: true, mask: WW | WR, first: RW, need: 0, skipIf: NONE, tries: 1 },
  { type: 'G2', allowed: true, mask: WW | WR | RW, first: RW, need: RW, skipIf: ['G-single'], tries: 1 },
];

export interface FoundCycle {
  type: AnomalyType;
  allowed: boolean;
  /** Edge ids in cycle order; the first edge starts at an op vertex. */
  edges: number[];
}

export interface CycleOptions {
  /** Stop looking for a type after this many cycles of it. */
  maxPerType?: number;
}

export function findCycles(g: Graph, options: CycleOptions = {}): FoundCycle[] {
  const maxPerType = options.maxPerType ?? 100;
  // Two families of searches: without rw edges (Jepsen's, and the invalid ones) inside the
  // components of ww ∪ wr ∪ realtime, and with rw edges inside the components of ww ∪ wr ∪ rw. Only
  // vertices on a cycle of the family's graph can be on a cycle of one of its sub-relations.
  // Realtime order rarely closes a cycle in a sound history, so that family is peeled first
  // (scc.ts); rw edges often do (G-single and G2 are allowed and common), so that family goes
  // straight to Tarjan: a peel that leaves most vertices costs more than it saves (60 ms either
  // way on a million ops).
  const families = [stronglyConnected(g, WW | WR | RT), tarjan(g, WW | WR | RW)];
  const foundIn = new Map<string, Set<AnomalyType>>();
  const bfs = new Bfs(g);
  const out: FoundCycle[] = [];
  for (const spec of SPECS) {
    const family = (spec.first & RW) !== 0 ? 1 : 0;
    const whole = families[family]!;
    // Stryker disable next-line ConditionalExpression: a short cut: with no component, every edge is skipped below
    if (whole.count === 0) continue;
    // The rw family searches directly in its components: a few bounded tries, no projection.
    // Stryker disable next-line ConditionalExpression: projecting the rw family again gives its own components (mask | first is the family's relations)
    const sub = family === 1 ? whole : stronglyConnected(g, spec.mask | spec.first, activeOf(whole));
    // Stryker disable next-line ConditionalExpression: a short cut: with no component, every edge is skipped below
    if (sub.count === 0) continue;
    const tried = new Int32Array(sub.count);
    const done = new Uint8Array(sub.count);
    let reported = out.filter((c) => c.type === spec.type).length;
    // Stryker disable next-line EqualityOperator: g.rel[length] is undefined, so the extra edge has no relation and is skipped
    for (let id = 0; id < g.src.length && reported < maxPerType; id++) {
      if (!(g.rel[id]! & spec.first)) continue;
      const a = g.src[id]!, b = g.dst[id]!, c = sub.comp[a]!;
      // Stryker disable next-line ConditionalExpression: only saves a search: an edge whose tail is in no component closes no cycle, so the search from its head finds no path back
      if (c < 0) continue;
      if (sub.comp[b] !== c || done[c] || tried[c]! >= spec.tries) continue;
      const where = `${family}:${whole.comp[a]}`;
      const seen = foundIn.get(where);
      if (seen && (spec.skipIf.some((x) => seen.has(x)) || (seen.has(spec.type) && spec.allowed))) { done[c] = 1; continue; }
      tried[c]!++;
      const path = bfs.path(b, a, spec.mask, sub.comp, c, spec.need);
      if (!path) continue;
      done[c] = 1;
      if (seen?.has(spec.type) && !spec.allowed) continue;
      out.push({ type: spec.type, allowed: spec.allowed, edges: rotate(g, [id, ...path]) });
      reported++;
      if (seen) seen.add(spec.type); else foundIn.set(where, new Set([spec.type]));
    }
  }
  return out;
}

// Restricting a sub-relation's components to the family's only saves time: they lie inside them.
// Stryker disable next-line BlockStatement: no restriction (undefined) gives the same components
function activeOf(c: Components): Uint8Array {
  const active = new Uint8Array(c.comp.length);
  // Stryker disable next-line EqualityOperator: active[length] is past the typed array's end, so the write is dropped
  for (let v = 0; v < c.comp.length; v++) {
    // Stryker disable next-line ConditionalExpression: marking every vertex active gives the same components
    active[v] = c.comp[v]! >= 0 ? 1 : 0;
  }
  return active;
}

/**
 * Starts the cycle at its lowest vertex, so reports are deterministic. That vertex is an op: a cycle
 * holds an op (time vertices only chain forward), and ops are numbered below every time vertex.
 */
function rotate(g: Graph, edges: number[]): number[] {
  let best = 0;
  edges.forEach((id, i) => { if (g.src[id]! < g.src[edges[best]!]!) best = i; });
  return [...edges.slice(best), ...edges.slice(0, best)];
}

/** Breadth-first search over (vertex, needed-relation-seen) states, with reusable buffers. */
class Bfs {
  private readonly stamp: Int32Array;
  private readonly parent: Int32Array;
  private readonly queue: Int32Array;
  private round = 0;

  constructor(private readonly g: Graph) {
    this.stamp = new Int32Array(g.vertices * 2);
    this.parent = new Int32Array(g.vertices * 2);
    this.queue = new Int32Array(g.vertices * 2);
  }

  /** Edge ids of a shortest path from → to inside component `c`, using `mask` (and `need` at least once). */
  path(from: number, to: number, mask: number, comp: Int32Array, c: number, need: number): number[] | null {
    const g = this.g;
    // Stryker disable next-line UpdateOperator: stamps start at 0, which counting rounds down (-1, -2, ...) never reaches either
    const round = ++this.round;
    const goal = to * 2 + (need ? 1 : 0);
    let head = 0, tail = 0;
    this.queue[tail++] = from * 2;
    this.stamp[from * 2] = round;
    this.parent[from * 2] = -1;
    // The start is never the goal (`from` is the head of an edge from `to`, and no edge is a
    // self-loop), so every state is compared with the goal when it is queued.
    while (head < tail) {
      const s = this.queue[head++]!;
      const v = s >> 1, bit = s & 1;
      for (let e = g.start[v]!, end = g.start[v + 1]!; e < end; e++) {
        const rel = g.adjRel[e]!;
        if (!(rel & mask)) continue;
        const w = g.adjDst[e]!;
        // Stryker disable next-line ConditionalExpression: only saves time: a path from b to a closes a cycle with a -> b, so it never leaves their component
        if (comp[w] !== c) continue;
        const id = g.adj[e]!;
        const next = w * 2 + (bit | (rel & need ? 1 : 0));
        if (this.stamp[next] === round) continue;
        this.stamp[next] = round;
        this.parent[next] = id * 2 + bit;
        if (next === goal) return this.unwind(next);
        this.queue[tail++] = next;
      }
    }
    return null;
  }

  private unwind(state: number): number[] {
    const edges: number[] = [];
    let s = state;
    while (this.parent[s] !== -1) {
      const p = this.parent[s]!;
      const id = p >> 1;
      edges.push(id);
      s = this.g.src[id]! * 2 + (p & 1);
    }
    return edges.reverse();
  }
}
