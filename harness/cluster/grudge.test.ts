import { describe, expect, it } from 'vitest';
import { grudgeFor, groupsGrudge, majoritiesRingGrudge } from './grudge.ts';

const sees = (grudge: ReturnType<typeof groupsGrudge>, nodes: number[], node: number) =>
  nodes.filter((m) => !(grudge.get(node) ?? []).includes(m) && !(grudge.get(m) ?? []).includes(node));

describe('grudges', () => {
  it('cuts every link between groups and none inside a group', () => {
    const g = grudgeFor([1, 2, 3], { kind: 'one', isolated: 1 });
    expect(Object.fromEntries(g)).toEqual({ 1: [2, 3], 2: [1], 3: [1] });
  });

  it('rejects groupings that name unknown nodes, repeat a node or leave one out', () => {
    expect(() => groupsGrudge([1, 2, 3], [[1], [2, 4]])).toThrow(/node 4/);
    expect(() => groupsGrudge([1, 2, 3], [[1, 2], [2, 3]])).toThrow(/two partition groups/);
    expect(() => groupsGrudge([1, 2, 3], [[1], [2]])).toThrow(/leaves out node\(s\) 3/);
  });

  it.each([3, 5, 7])('majorities ring on %i nodes: everyone sees a majority, no two the same one', (n) => {
    const nodes = Array.from({ length: n }, (_, i) => i + 1);
    const g = majoritiesRingGrudge(nodes);
    const views = nodes.map((node) => sees(g, nodes, node));
    for (const view of views) expect(view.length).toBeGreaterThan(n / 2);
    const distinct = new Set(views.map((v) => v.join(',')));
    // With 3 nodes the middle node of the bridge sees everyone; the two ends see different majorities.
    expect(distinct.size).toBe(n === 3 ? 3 : n);
    expect(views.some((v) => v.length < n)).toBe(true);
  });
});
