// Strongly connected components over the edges whose relation is in `mask` and, optionally, only
// among `active` vertices. Every cycle lies inside one component, so cycle searches can be confined
// to one. A valid history's graph is mostly acyclic: a topological peel (Kahn) removes every vertex
// that no cycle reaches, in two tight passes over the edges, and Tarjan runs only on what remains
// (nothing, often). Tarjan on the remainder finds the same components as on the whole graph: a
// peeled vertex lies on no cycle. Component ids may differ; callers compare them only for equality.
import type { Graph } from './graph.ts';

export interface Components {
  /** Component id per vertex; -1 for vertices in no cycle (singletons) or outside `active`. */
  comp: Int32Array;
  /** Number of components with at least two vertices. */
  count: number;
}

export function stronglyConnected(g: Graph, mask: number, active?: Uint8Array): Components {
  const rest = unpeeled(g, mask, active);
  return rest ? tarjan(g, mask, rest) : { comp: new Int32Array(g.vertices).fill(-1), count: 0 };
}

/** The (active) vertices Kahn's peel leaves, or undefined when it leaves none (no cycle). */
function unpeeled(g: Graph, mask: number, active?: Uint8Array): Uint8Array | undefined {
  const n = g.vertices, adjRel = g.adjRel, adjDst = g.adjDst, start = g.start;
  const indegree = new Int32Array(n);
  // The peel is a speed-up only: a mutant that counts more in-edges or queues fewer vertices peels
  // fewer, and peeling fewer vertices hands Tarjan a larger set with the same cycles, so the same components (the marks below).
  if (!active) {
    // Stryker disable next-line EqualityOperator: adjRel[m] is undefined, so the extra edge is never counted
    for (let e = 0, m = adjDst.length; e < m; e++) {
      // Stryker disable next-line ConditionalExpression: counting edges of other relations too only peels fewer vertices
      if (adjRel[e]! & mask) indegree[adjDst[e]!]!++;
    }
  } else {
    // Stryker disable next-line EqualityOperator: active[n] is undefined, so the extra vertex is skipped
    for (let v = 0; v < n; v++) {
      // Stryker disable next-line ConditionalExpression: counting the out-edges of inactive vertices too only peels fewer vertices
      if (!active[v]) continue;
      // Stryker disable next-line EqualityOperator: one more edge (the next vertex's first) counted only peels fewer vertices
      for (let e = start[v]!, end = start[v + 1]!; e < end; e++) {
        const w = adjDst[e]!;
        if (adjRel[e]! & mask && active[w]) indegree[w]!++;
      }
    }
  }
  const queue = new Int32Array(n);
  let tail = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: queueing no source (or reading indegree[n], undefined) only peels fewer vertices
  for (let v = 0; v < n; v++) {
    // Stryker disable next-line ConditionalExpression,UpdateOperator: queueing no source (or writing it to queue[-1]) only peels fewer vertices
    if (indegree[v] === 0 && (!active || active[v])) queue[tail++] = v;
  }
  // Stryker disable next-line ConditionalExpression,BlockStatement: not peeling at all hands Tarjan every vertex, with the same cycles
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    // Stryker disable next-line ArithmeticOperator,ConditionalExpression,BlockStatement: releasing no out-edge only peels fewer vertices
    for (let e = start[v]!, end = start[v + 1]!; e < end; e++) {
      const w = adjDst[e]!;
      // Stryker disable next-line ConditionalExpression,UpdateOperator: releasing an edge never (inactive heads too, ++indegree, or queue[-1]) only peels fewer vertices
      if (adjRel[e]! & mask && (!active || active[w]) && --indegree[w]! === 0) queue[tail++] = w;
    }
  }
  let left = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: counting more vertices to peel (inactive ones, one past the end) or counting down only skips the short cut below; the remainder is read from indegree
  for (let v = 0; v < n; v++) if (!active || active[v]) left++;
  // Stryker disable next-line ConditionalExpression: without the short cut Tarjan runs on an empty remainder and finds no component, as the short cut answers
  if (tail === left) return undefined;
  const rest = new Uint8Array(n);
  // Stryker disable next-line EqualityOperator: rest[n] is past the typed array's end, so the write is dropped
  for (let v = 0; v < n; v++) {
    rest[v] = indegree[v]! > 0 ? 1 : 0;
  }
  return rest;
}

/** Tarjan's algorithm, iterative (a million-vertex history would overflow the call stack). */
export function tarjan(g: Graph, mask: number, active?: Uint8Array): Components {
  const n = g.vertices, adjRel = g.adjRel, adjDst = g.adjDst, start = g.start;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callV = new Int32Array(n);
  const callE = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  let sp = 0, next = 0, count = 0;
  // Stryker disable next-line EqualityOperator: index[n] is undefined, not -1, so the extra root is skipped
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    // Stryker disable next-line ConditionalExpression: an inactive root is a singleton (no edge enters it from an active vertex), and the active vertices it reaches get their own components
    if (active && !active[root]) continue;
    let depth = 0;
    callV[0] = root; callE[0] = start[root]!;
    index[root] = low[root] = next++; stack[sp++] = root; onStack[root] = 1;
    while (depth >= 0) {
      const v = callV[depth]!;
      let e = callE[depth]!;
      const end = start[v + 1]!;
      let descended = false;
      while (e < end) {
        if (!(adjRel[e]! & mask)) { e++; continue; }
        const w = adjDst[e++]!;
        if (active && !active[w]) continue;
        if (index[w] === -1) {
          callE[depth] = e;
          depth++;
          callV[depth] = w; callE[depth] = start[w]!;
          index[w] = low[w] = next++; stack[sp++] = w; onStack[w] = 1;
          descended = true;
          break;
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
      }
      if (descended) continue;
      if (low[v] === index[v]) {
        // Pop the component; singletons stay -1 because the graph has no self-loops.
        const size = sp - stackPosition(stack, sp, v);
        const id = size > 1 ? count++ : -1;
        let w: number;
        do { w = stack[--sp]!; onStack[w] = 0; comp[w] = id; } while (w !== v);
      }
      depth--;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: at depth -1, callV[-1] is undefined and the update is dropped; a root's low is its own index, so updating nothing at depth 0 changes nothing
      if (depth >= 0) {
        const parent = callV[depth]!;
        // Stryker disable next-line EqualityOperator: replacing low[parent] by an equal value changes nothing
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return { comp, count };
}

function stackPosition(stack: Int32Array, sp: number, v: number): number {
  let i = sp - 1;
  while (stack[i] !== v) i--;
  return i;
}
