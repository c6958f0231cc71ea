// What the cycle search promises (cycles.ts, Elle's cycle anomalies, research/jepsen.md §3), checked on
// random dependency graphs: each reported cycle is a closed walk of the relations its anomaly names
// (G0: ww only; G1c: wr, and ww if allowed; -realtime: with a realtime edge; G-single: exactly one rw;
// G2: two or more), an invalid G1c or G1c-realtime is exactly one that needs no ww edge (a read-committed
// violation, which Kafka's transactions forbid), it is a shortest cycle through one of its edges of the
// relation it must use, and it starts at its lowest op. And no search misses what it looks for: a graph
// with a wr cycle gets an invalid G1c, with a wr + realtime cycle an invalid G1c-realtime, with a ww
// cycle a G0, whatever else the graph holds.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RT, RW, WR, WW } from './graph.ts';
import { findCycles } from './cycles.ts';
import { graphOf } from '../testing/graph.ts';

type Edge = [number, number, number];

/** dist[a][b]: fewest edges of `mask` from a to b (0 from a vertex to itself, Infinity: no path). */
function distances(n: number, edges: Edge[], mask: number): number[][] {
  const d = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => (a === b ? 0 : Infinity)));
  for (const [a, b, rel] of edges) if (rel & mask) d[a]![b] = Math.min(d[a]![b]!, 1);
  for (let k = 0; k < n; k++) for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) d[a]![b] = Math.min(d[a]![b]!, d[a]![k]! + d[k]![b]!);
  return d;
}

/** Some cycle of `mask` edges passes through an edge of relation `through`. */
const hasCycle = (edges: Edge[], d: number[][], through: number): boolean =>
  edges.some(([a, b, rel]) => rel & through && d[b]![a]! < Infinity);

/** Each anomaly's cycle: the relation it must use (`first`) and those the rest of it may use (`mask`). */
const SHAPE: Record<string, { allowed: boolean; mask: number; first: number }[]> = {
  'G0': [{ allowed: true, mask: WW, first: WW }],
  'G0-realtime': [{ allowed: true, mask: WW | RT, first: RT }],
  'G1c': [{ allowed: false, mask: WR, first: WR }, { allowed: true, mask: WW | WR, first: WR }],
  'G1c-realtime': [{ allowed: false, mask: WR | RT, first: RT }, { allowed: true, mask: WW | WR | RT, first: RT }],
  'G-single': [{ allowed: true, mask: WW | WR, first: RW }],
  'G2': [{ allowed: true, mask: WW | WR | RW, first: RW }],
};

/**
 * Ops 0 .. ops-1 with ww, wr and rw edges between them, and time vertices after them. Realtime edges
 * join any two vertices but always go forward in one order of all vertices (realtime order is a partial
 * order: it closes no cycle alone) and never join two ops directly (graph.ts links ops through time
 * vertices), so every cycle holds an op and a data edge.
 */
const graphs = fc.record({ ops: fc.integer({ min: 2, max: 7 }), time: fc.integer({ min: 1, max: 3 }), order: fc.nat() }).chain(({ ops, time, order }) => {
  const n = ops + time;
  // A position in time per vertex: a rotation of the vertex ids.
  const at = (v: number) => (v + order) % n;
  const data = fc.tuple(fc.nat(ops - 1), fc.nat(ops - 1), fc.constantFrom(WW, WR, RW));
  const timed = fc.tuple(fc.nat(n - 1), fc.integer({ min: ops, max: n - 1 }))
    .map(([a, b]): Edge => (at(a) <= at(b) ? [a, b, RT] : [b, a, RT]));
  return fc.record({
    ops: fc.constant(ops), n: fc.constant(n),
    edges: fc.array(fc.oneof(data, timed), { minLength: n, maxLength: 3 * n }).map((es) => es.filter(([a, b]) => a !== b)),
  });
});

test.prop([graphs], { numRuns: 400 })('every reported cycle is a shortest closed walk of its anomaly\'s relations', ({ ops, n, edges }) => {
  const g = graphOf(n, edges, ops);
  for (const c of findCycles(g)) {
    const steps = c.edges.map((id) => edges[id]!);
    steps.forEach(([, b], i) => expect(b).toBe(steps[(i + 1) % steps.length]![0]));
    const rels = steps.map(([, , rel]) => rel);
    const shape = SHAPE[c.type]!.find((s) => s.allowed === c.allowed)!;
    expect(shape).toBeDefined();
    expect(rels.every((r) => r & (shape.mask | shape.first))).toBe(true);
    expect(rels).toContain(shape.first);
    const rw = rels.filter((r) => r === RW).length;
    if (c.type === 'G-single') expect(rw).toBe(1);
    if (c.type === 'G2') expect(rw).toBeGreaterThanOrEqual(2);
    if (c.type === 'G1c-realtime') expect(rels).toContain(WR);
    // Allowed exactly when the cycle needs a ww edge (or, for G-single and G2, always).
    if (c.type.startsWith('G1c')) expect(rels.includes(WW)).toBe(c.allowed);
    // Reported from its lowest op: the same cycle always reads the same way.
    const from = steps.map(([a]) => a).filter((a) => a < ops);
    expect(steps[0]![0]).toBe(Math.min(...from));
    // A shortest cycle through one of its edges of the relation it must use (searched with need=0 specs).
    if (c.type !== 'G2' && !(c.type === 'G1c-realtime' && c.allowed)) {
      const d = distances(n, edges, shape.mask);
      expect(steps.some(([a, b, rel]) => rel === shape.first && steps.length === 1 + d[b]![a]!)).toBe(true);
    }
  }
});

test.prop([graphs], { numRuns: 400 })('a wr cycle, a wr + realtime cycle and a ww cycle are never missed', ({ ops, n, edges }) => {
  const found = findCycles(graphOf(n, edges, ops));
  const has = (type: string, allowed: boolean) => found.some((c) => c.type === type && c.allowed === allowed);
  expect(has('G1c', false)).toBe(hasCycle(edges, distances(n, edges, WR), WR));
  expect(has('G1c-realtime', false)).toBe(hasCycle(edges, distances(n, edges, WR | RT), RT) && hasCycle(edges, distances(n, edges, WR | RT), WR));
  expect(has('G0', true)).toBe(hasCycle(edges, distances(n, edges, WW), WW));
});

test.prop([fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 })], { numRuns: 30 })(
  'at most maxPerType cycles of a type, and as many as there are separate ones up to it', (max, rings) => {
    // `rings` disjoint two-op wr cycles: each is an invalid G1c of its own.
    const edges: Edge[] = Array.from({ length: rings }, (_, i): Edge[] => [[2 * i, 2 * i + 1, WR], [2 * i + 1, 2 * i, WR]]).flat();
    const found = findCycles(graphOf(2 * rings, edges), { maxPerType: max });
    expect(found.filter((c) => c.type === 'G1c').length).toBe(Math.min(max, rings));
  });

describe('one report per component for what a weaker anomaly already says', () => {
  // Ops 0..2, time vertices from 3. Each case: a component holding a cycle of a weaker anomaly and one
  // of a stronger that only repeats it; alone, each stronger cycle is reported.
  const types = (ops: number, vertices: number, edges: Edge[]) =>
    findCycles(graphOf(vertices, edges, ops)).map((c) => `${c.type}${c.allowed ? '' : '!'}`).sort();
  const ww: Edge[] = [[0, 1, WW], [1, 0, WW]];

  it('a G0 makes G0-realtime and the allowed G1c of its component redundant', () => {
    const g0realtime: Edge[] = [[0, 3, RT], [3, 1, RT]];
    const g1c: Edge[] = [[1, 2, WR], [2, 1, WW]];
    expect(types(3, 4, [...ww, ...g0realtime])).toEqual(['G0']);
    expect(types(3, 4, [[1, 0, WW], ...g0realtime])).toEqual(['G0-realtime']);
    expect(types(3, 3, [...ww, ...g1c])).toEqual(['G0']);
    expect(types(3, 3, g1c)).toEqual(['G1c']);
  });

  it('an invalid G1c makes the allowed one redundant; a G-single makes G2 redundant', () => {
    expect(types(3, 3, [[0, 1, WR], [1, 0, WR], [1, 2, WR], [2, 1, WW]])).toEqual(['G1c!']);
    // 0 -rw-> 1 -rw-> 2 -rw-> 0 is a G2; with 1 -ww-> 0, 0 -rw-> 1 -ww-> 0 is a G-single too.
    const g2: Edge[] = [[0, 1, RW], [1, 2, RW], [2, 0, RW]];
    expect(types(3, 3, g2)).toEqual(['G2']);
    expect(types(3, 3, [...g2, [1, 0, WW]])).toEqual(['G-single']);
  });

  it('an allowed G1c-realtime is reported only where no G0, G0-realtime, G1c or G1c-realtime is', () => {
    // 0 -wr-> 1 -ww-> 2, 2 completed before 0 began (through time vertex 3): needs the ww edge.
    const allowed: Edge[] = [[0, 1, WR], [1, 2, WW], [2, 3, RT], [3, 0, RT]];
    expect(types(3, 4, allowed)).toEqual(['G1c-realtime']);
    expect(types(3, 4, [...allowed, [1, 0, WR]])).toEqual(['G1c!']);
    expect(types(3, 4, [...allowed, [2, 1, WW]])).toEqual(['G0']);
    expect(types(3, 4, [...allowed, [1, 3, RT]])).toEqual(['G1c-realtime!']);
  });

  it('a G0-realtime makes the allowed G1c-realtime of its component redundant', () => {
    // 0 -wr-> 1 -ww-> 2 -rt-> 3 -rt-> 0 (allowed G1c-realtime) and 1 -ww-> 2 -rt-> 3 -rt-> 1 (G0-realtime).
    expect(types(3, 4, [[0, 1, WR], [1, 2, WW], [2, 3, RT], [3, 0, RT], [3, 1, RT]])).toEqual(['G0-realtime']);
  });

  it('one example of a name per component, also where the component holds two cycles of it', () => {
    // Two ww cycles (0, 1 and 2, 3) joined into one component by wr edges: one G0.
    expect(types(4, 4, [...ww, [2, 3, WW], [3, 2, WW], [1, 2, WR], [3, 0, WR]])).toEqual(['G0']);
    // Two wr cycles joined by ww edges: one invalid G1c.
    expect(types(4, 4, [[0, 1, WR], [1, 0, WR], [2, 3, WR], [3, 2, WR], [1, 2, WW], [3, 0, WW]])).toEqual(['G1c!']);
  });

  it('remembers every name found in a component, not only the first', () => {
    // One component (1 -ww-> 2, 3 -rt-> 5 -rt-> 0): an invalid G1c (0, 1), a G0 (2, 3), and a
    // G0-realtime (3 -ww-> 2 -rt-> 6 -rt-> 3) that the G0 makes redundant though the G1c was found first.
    expect(types(4, 7, [[0, 1, WR], [1, 0, WR], [2, 3, WW], [3, 2, WW], [1, 2, WW], [3, 5, RT], [5, 0, RT], [2, 6, RT], [6, 3, RT]]))
      .toEqual(['G0', 'G1c!']);
  });

  it('each search tries a bounded number of edges per component, so that it stays linear', () => {
    // The first rw edge (0 -> 1) closes no G-single, the second (1 -> 2, back 2 -ww-> 1) would: the
    // G-single search tries one edge per component and gives up; the G2 through the first edge stands.
    expect(types(3, 3, [[0, 1, RW], [1, 2, RW], [2, 1, WW], [2, 0, RW]])).toEqual(['G2']);
  });

  it('cycles in separate components are each reported', () => {
    // A G0 among ops 0, 1 and a G0-realtime among ops 2, 3 (through time vertex 4).
    expect(types(4, 5, [...ww, [2, 3, WW], [3, 4, RT], [4, 2, RT]])).toEqual(['G0', 'G0-realtime']);
    // An invalid G1c among 0, 1 and an allowed one among 2, 3.
    expect(types(4, 4, [[0, 1, WR], [1, 0, WR], [2, 3, WR], [3, 2, WW]])).toEqual(['G1c', 'G1c!']);
  });
});
