// Strongly connected components by their definition: two vertices share a component exactly when each
// reaches the other over edges of the mask, through active vertices only. Checked against a reachability
// closure computed the slow, obvious way, so that a wrong Tarjan cannot hide behind the peel that
// calls it (scc.test.ts compares the two with each other). Every cycle the checker reports lies inside
// one component (cycles.ts), so a component split or merged wrongly is a cycle missed or made up.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { stronglyConnected, tarjan } from './scc.ts';
import { graphOf, partition } from '../testing/graph.ts';

/** reach[a][b]: a path of one or more mask edges from a to b through active vertices. */
function closure(n: number, edges: [number, number, number][], mask: number, active: boolean[]): boolean[][] {
  const reach = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  for (const [a, b, rel] of edges) if (rel & mask && active[a] && active[b]) reach[a]![b] = true;
  for (let k = 0; k < n; k++) for (let a = 0; a < n; a++) if (reach[a]![k]) for (let b = 0; b < n; b++) if (reach[k]![b]) reach[a]![b] = true;
  return reach;
}

/** Each vertex's component as the smallest vertex in it (-1: on no cycle), by the definition. */
function expected(n: number, reach: boolean[][]): number[] {
  return Array.from({ length: n }, (_, v) => {
    if (!reach[v]![v]) return -1;
    for (let u = 0; u < n; u++) if (reach[u]![v] && reach[v]![u]) return u;
    return -1;
  });
}

const graphs = fc.integer({ min: 1, max: 14 }).chain((n) => fc.record({
  n: fc.constant(n),
  // Any direction (no self-loops: a history's graph has none); relations are bits 1, 2, 4, 8.
  edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(1, 2, 4, 8)), { minLength: n, maxLength: 3 * n })
    .map((es) => es.filter(([a, b]) => a !== b)),
  mask: fc.integer({ min: 1, max: 15 }),
  active: fc.option(fc.array(fc.boolean(), { minLength: n, maxLength: n })),
}));

test.prop([graphs], { numRuns: 300 })('a component is a set of vertices that all reach each other', ({ n, edges, mask, active }) => {
  const g = graphOf(n, edges);
  const act = active ? Uint8Array.from(active, Number) : undefined;
  const want = expected(n, closure(n, edges, mask, active ?? Array<boolean>(n).fill(true)));
  const components = new Set(want.filter((x) => x >= 0)).size;
  for (const found of [stronglyConnected(g, mask, act), tarjan(g, mask, act)]) {
    expect(partition(found)).toEqual(want);
    expect(found.count).toBe(components);
    // Ids are 0 .. count-1 (callers size per-component arrays by `count`).
    expect([...new Set(found.comp)].filter((x) => x >= 0).sort((a, b) => a - b)).toEqual([...Array(components).keys()]);
  }
});
