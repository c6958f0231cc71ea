// Tarjan's strongly connected components, iterative (a million-vertex history would overflow the
// call stack), over the edges whose relation is in `mask` and, optionally, only among `active`
// vertices. Every cycle lies inside one component, so cycle searches can be confined to one.
import type { Graph } from './graph.ts';

export interface Components {
  /** Component id per vertex; -1 for vertices in no cycle (singletons) or outside `active`. */
  comp: Int32Array;
  /** Number of components with at least two vertices. */
  count: number;
}

export function stronglyConnected(g: Graph, mask: number, active?: Uint8Array): Components {
  const n = g.vertices, adjRel = g.adjRel, adjDst = g.adjDst, start = g.start;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callV = new Int32Array(n);
  const callE = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  let sp = 0, next = 0, count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1 || (active && !active[root])) continue;
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
        } else if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
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
      if (depth >= 0) {
        const parent = callV[depth]!;
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
