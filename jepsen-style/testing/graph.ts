// Graphs for the graph tests: a CSR graph from an edge list (relations are bits 1, 2, 4, 8; every vertex
// an op unless `ops` says how many come first), and components compared whatever their ids.
import type { Graph } from '../graph/graph.ts';
import type { Components } from '../graph/scc.ts';

export function graphOf(vertices: number, edges: [number, number, number][], ops = vertices): Graph {
  const start = new Int32Array(vertices + 1);
  for (const [a] of edges) start[a + 1]!++;
  for (let v = 0; v < vertices; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, vertices), m = edges.length;
  const adj = new Int32Array(m), adjDst = new Int32Array(m), adjRel = new Int32Array(m);
  edges.forEach(([a, b, rel], i) => { const at = fill[a]!++; adj[at] = i; adjDst[at] = b; adjRel[at] = rel; });
  const col = (f: (e: [number, number, number]) => number) => Int32Array.from(edges, f);
  return { ops, vertices, start, adj, adjDst, adjRel, src: col((e) => e[0]), dst: col((e) => e[1]), rel: col((e) => e[2]), key: col(() => -1), ref: col(() => -1) };
}

/** Each vertex's component as the smallest vertex in it (-1: none), so that ids do not matter. */
export function partition(c: Components): number[] {
  const least = new Map<number, number>();
  c.comp.forEach((id, v) => { if (id >= 0 && !least.has(id)) least.set(id, v); });
  return Array.from(c.comp, (id) => (id < 0 ? -1 : least.get(id)!));
}
