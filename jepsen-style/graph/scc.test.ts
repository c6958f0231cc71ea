// The peel-then-Tarjan components must partition vertices exactly as Tarjan alone does, on acyclic
// and cyclic graphs, under any relation mask and any `active` restriction.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { stronglyConnected, tarjan } from './scc.ts';
import { graphOf, partition } from '../testing/graph.ts';

const graphs = fc.integer({ min: 1, max: 40 }).chain((n) => fc.record({
  n: fc.constant(n),
  // Mostly forward edges (a history's graph), some backward ones to close cycles.
  edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(1, 2, 4, 8), fc.boolean(), fc.nat(9)), { maxLength: 4 * n })
    .map((es) => es.filter(([a, b]) => a !== b).map(([a, b, rel, _, back]): [number, number, number] => (back === 0 ? [Math.max(a, b), Math.min(a, b), rel] : [Math.min(a, b), Math.max(a, b), rel]))),
  mask: fc.integer({ min: 1, max: 15 }),
  active: fc.option(fc.array(fc.boolean(), { minLength: n, maxLength: n })),
}));

test.prop([graphs], { numRuns: 400 })('the peel keeps exactly the components Tarjan finds', ({ n, edges, mask, active }) => {
  const g = graphOf(n, edges);
  const act = active ? Uint8Array.from(active, Number) : undefined;
  const fast = stronglyConnected(g, mask, act), slow = tarjan(g, mask, act);
  expect(partition(fast)).toEqual(partition(slow));
  expect(fast.count).toBe(slow.count);
});

test.prop([fc.integer({ min: 2, max: 30 })], { numRuns: 20 })('a ring is one component, a chain none', (n) => {
  const chain = Array.from({ length: n - 1 }, (_, i): [number, number, number] => [i, i + 1, 1]);
  expect(stronglyConnected(graphOf(n, chain), 1).count).toBe(0);
  const ring = graphOf(n, [...chain, [n - 1, 0, 1]]);
  expect(partition(stronglyConnected(ring, 1))).toEqual(Array(n).fill(0));
  expect(stronglyConnected(ring, 2).count).toBe(0); // the ring's relation is masked out
});
