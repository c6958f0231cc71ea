// The dependency graph's edges by their definition (graph.ts; Adya's, as Elle builds them for Kafka,
// research/jepsen.md §1.8, §3), on hand-made histories whose edges can be listed by hand, and realtime
// order on generated ones: an op reaches another through the time vertices exactly when it completed ok
// before the other was invoked.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildOpTable, OK } from '../analysis/ops.ts';
import { buildVersions } from '../analysis/versions.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';
import { generateHistory } from '../testing/generate.ts';
import type { HistoryEvent } from '../history.ts';
import { buildGraph, RT, RW, WR, WW, type Graph } from './graph.ts';

const NAME: Record<number, string> = { [WW]: 'ww', [WR]: 'wr', [RW]: 'rw', [RT]: 'rt' };

/** The data edges as `from->to rel key:value` with ops named by history index, sorted. */
function dataEdges(events: HistoryEvent[], options?: { rw?: boolean; realtime?: boolean }): string[] {
  const t = buildOpTable(events), v = buildVersions(t), g = buildGraph(t, v, options);
  const out: string[] = [];
  for (let id = 0; id < g.src.length; id++) {
    const rel = g.rel[id]!;
    if (rel === RT) continue;
    // ww and rw name the later version; wr the value read.
    const value = rel === WR ? t.rValue[g.ref[id]!] : v.logs[g.key[id]!]!.values[g.ref[id]!];
    out.push(`${t.index[g.src[id]!]}->${t.index[g.dst[id]!]} ${NAME[rel]} ${t.keys[g.key[id]!]}:${value}`);
  }
  return out.sort();
}

describe('data edges', () => {
  it('ww joins the writers of adjacent versions, wr a writer to each reader, rw a reader to the writer of the version after the last it read', () => {
    const h = new HistoryBuilder();
    const a = h.op(0, 'ok', 'send', [send(7, 1)], [sent(7, 0, 1)]);
    const b = h.op(1, 'ok', 'send', [send(7, 2)], [sent(7, 1, 2)]);
    const c = h.op(2, 'ok', 'poll', [poll()], [polled({ 7: [[0, 1]] })]);
    const d = h.op(3, 'ok', 'poll', [poll()], [polled({ 7: [[0, 1], [1, 2]] })]);
    expect(dataEdges(h.events)).toEqual([`${a}->${b} ww 7:2`, `${a}->${c} wr 7:1`, `${a}->${d} wr 7:1`, `${b}->${d} wr 7:2`, `${c}->${b} rw 7:2`].sort());
    // Without rw edges (Jepsen's own graph) the anti-dependency is left out.
    expect(dataEdges(h.events, { rw: false })).not.toContain(`${c}->${b} rw 7:2`);
    expect(dataEdges(h.events, { rw: false })).toHaveLength(4);
  });

  it('no edge joins an op to itself, and one op\'s run of writes read partway is no anti-dependency', () => {
    const h = new HistoryBuilder();
    // One transaction writes 1, 2, 3 and reads its own first write: no wr or rw to itself.
    const a = h.op(0, 'ok', 'txn', [send(0, 1), send(0, 2), send(0, 3), poll()], [sent(0, 0, 1), sent(0, 1, 2), sent(0, 2, 3), polled({ 0: [[0, 1]] })]);
    // A poll that stopped after 2 read incrementally: 3 is the same writer's, so no rw.
    const c = h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2]] })]);
    const b = h.op(2, 'ok', 'send', [send(0, 4)], [sent(0, 3, 4)]);
    // The same poll read up to 3 elsewhere: rw to the next writer.
    const e = h.op(3, 'ok', 'poll', [poll()], [polled({ 0: [[2, 3]] })]);
    expect(dataEdges(h.events)).toEqual([`${a}->${b} ww 0:4`, `${a}->${c} wr 0:1`, `${a}->${e} wr 0:3`, `${e}->${b} rw 0:4`].sort());
  });

  it('a reader of several values of one writer in a row gets one wr edge; a value nobody wrote gets none', () => {
    const h = new HistoryBuilder();
    const a = h.op(0, 'ok', 'send', [send(0, 1), send(0, 2)], [sent(0, 0, 1), sent(0, 1, 2)]);
    const c = h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2], [2, 99]] })]);
    expect(dataEdges(h.events).filter((x) => x.includes(' wr '))).toEqual([`${a}->${c} wr 0:1`]);
    // A later reader of only the unknown value: still no wr edge, from any op.
    const d = h.op(2, 'ok', 'poll', [poll()], [polled({ 0: [[2, 99]] })]);
    expect(dataEdges(h.events).filter((x) => x.includes(' wr ') && x.endsWith(`->${d} wr 0:99`))).toEqual([]);
    expect(dataEdges(h.events).filter((x) => x.includes(' wr '))).toEqual([`${a}->${c} wr 0:1`]);
  });

  it('the highest version read decides the rw edge, whatever the order of the reads, per key', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    h.op(1, 'ok', 'send', [send(0, 2)], [sent(0, 1, 2)]);
    h.op(2, 'ok', 'send', [send(1, 1)], [sent(1, 0, 1)]);
    const y = h.op(3, 'ok', 'send', [send(1, 2)], [sent(1, 1, 2)]);
    const z = h.op(4, 'ok', 'send', [send(0, 3)], [sent(0, 2, 3)]);
    // Reads 2 then 1 of key 0 (a rewind), and 1 of key 1: the next versions are 3 (z) and 2 (y).
    const c = h.op(5, 'ok', 'poll', [poll()], [polled({ 0: [[1, 2]], 1: [[0, 1]] }), polled({ 0: [[0, 1]] })]);
    expect(dataEdges(h.events).filter((e) => e.includes(' rw '))).toEqual([`${c}->${y} rw 1:2`, `${c}->${z} rw 0:3`]);
  });

  it('an unknown writer of the earlier version has no ww edge; the first op to complete is an rw target like any other', () => {
    const h = new HistoryBuilder();
    // Op 0 of the table (the first to complete) wrote 2 at offset 1; offset 0 holds 99, which nobody sent.
    const a = h.op(0, 'ok', 'send', [send(0, 2)], [sent(0, 1, 2)]);
    const c = h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 99]] })]);
    expect(dataEdges(h.events)).toEqual([`${c}->${a} rw 0:2`]);
  });

  it('the last version read has no rw edge; an unknown writer of the next version neither', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 5]] })]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
    expect(dataEdges(h.events).filter((e) => e.includes(' rw ') || e.includes(' ww '))).toEqual([]);
  });
});

/** Vertices reachable from `from` over realtime edges. */
function realtimeReach(g: Graph, from: number): Set<number> {
  const seen = new Set<number>(), stack = [from];
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (let e = g.start[v]!; e < g.start[v + 1]!; e++) {
      const w = g.adjDst[e]!;
      if (g.adjRel[e] === RT && !seen.has(w)) { seen.add(w); stack.push(w); }
    }
  }
  return seen;
}

const generated = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), ops: fc.integer({ min: 2, max: 40 }),
  concurrency: fc.integer({ min: 1, max: 5 }), failP: fc.double({ min: 0, max: 0.5, noNaN: true }), infoP: fc.double({ min: 0, max: 0.3, noNaN: true }),
  // How many of the last events to cut off, leaving invokes without completion.
  cut: fc.nat(4),
});

/**
 * The Graph's own shape (graph.ts's interface): every edge joins two of its vertices, data edges join
 * ops, realtime edges carry key and ref -1, and the CSR lists each vertex's out-edges exactly once.
 */
function expectWellFormed(g: Graph): void {
  const m = g.src.length;
  expect(g.start.length).toBe(g.vertices + 1);
  expect(g.start[0]).toBe(0);
  expect(g.start[g.vertices]).toBe(m);
  for (let id = 0; id < m; id++) {
    const limit = g.rel[id] === RT ? g.vertices : g.ops;
    expect(g.src[id]).toBeGreaterThanOrEqual(0); expect(g.src[id]).toBeLessThan(limit);
    expect(g.dst[id]).toBeGreaterThanOrEqual(0); expect(g.dst[id]).toBeLessThan(limit);
    if (g.rel[id] === RT) { expect(g.key[id]).toBe(-1); expect(g.ref[id]).toBe(-1); }
  }
  const listed = new Set<number>();
  for (let v = 0; v < g.vertices; v++) {
    expect(g.start[v + 1]).toBeGreaterThanOrEqual(g.start[v]!);
    for (let e = g.start[v]!; e < g.start[v + 1]!; e++) {
      const id = g.adj[e]!;
      expect(g.src[id]).toBe(v);
      expect([g.adjDst[e], g.adjRel[e]]).toEqual([g.dst[id], g.rel[id]]);
      listed.add(id);
    }
  }
  expect(listed.size).toBe(m);
}

test.prop([generated], { numRuns: 40 })('an op reaches another in realtime exactly when it completed ok before the other was invoked', ({ cut, ...o }) => {
  const all = [...generateHistory({ ...o, keys: 3 })];
  const t = buildOpTable(all.slice(0, Math.max(1, all.length - cut)));
  const g = buildGraph(t, buildVersions(t));
  expect(g.ops).toBe(t.n);
  expectWellFormed(g);
  for (let a = 0; a < t.n; a++) {
    const reach = realtimeReach(g, a);
    for (let b = 0; b < t.n; b++) {
      expect(reach.has(b)).toBe(t.type[a] === OK && t.index[a]! < t.invokeIndex[b]!);
    }
  }
  // Without realtime: no time vertices and no realtime edge.
  const plain = buildGraph(t, buildVersions(t), { realtime: false });
  expect(plain.vertices).toBe(t.n);
  expect([...plain.rel].includes(RT)).toBe(false);
  expectWellFormed(plain);
});

test.prop([generated, fc.nat(30)], { numRuns: 40 })('realtime order follows the history\'s indices in a table built from part of a history (its events numbered from past 0)', ({ cut, ...o }, drop) => {
  const all = [...generateHistory({ ...o, keys: 3 })];
  // Completions whose invoke was dropped are left out by the table; invokes cut off at the end stay open.
  const part = all.slice(Math.min(drop, all.length - 1), Math.max(drop + 1, all.length - cut));
  const t = buildOpTable(part);
  const g = buildGraph(t, buildVersions(t));
  expectWellFormed(g);
  for (let a = 0; a < t.n; a++) {
    const reach = realtimeReach(g, a);
    for (let b = 0; b < t.n; b++) {
      expect(reach.has(b)).toBe(t.type[a] === OK && t.index[a]! < t.invokeIndex[b]!);
    }
  }
});

it('the graph of a hand-made history is well formed: realtime edges carry no key and no ref', () => {
  const h = new HistoryBuilder();
  h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
  h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 99]] })]);
  h.op(0, 'ok', 'send', [send(0, 2)], [sent(0, 2, 2)]);
  const t = buildOpTable(h.events), g = buildGraph(t, buildVersions(t));
  expect([...g.rel].filter((r) => r === RT).length).toBeGreaterThan(0);
  expectWellFormed(g);
});
