// Turns found cycles into anomalies a person can follow: each step names two ops (history indices),
// the relation and the key and values behind it; runs of realtime edges through time vertices
// collapse into one "completed before ... was invoked" step.
import type { Anomaly, CycleStep } from '../anomaly.ts';
import type { OpTable } from '../analysis/ops.ts';
import type { Versions } from '../analysis/versions.ts';
import { buildGraph, RT, RW, WR, WW, type Graph } from './graph.ts';
import { findCycles, type CycleOptions } from './cycles.ts';

const REL_NAME: Record<number, CycleStep['rel']> = { [WW]: 'ww', [WR]: 'wr', [RW]: 'rw', [RT]: 'realtime' };

function steps(g: Graph, t: OpTable, v: Versions, edges: number[]): CycleStep[] {
  const out: CycleStep[] = [];
  let rtFrom = -1;
  for (const id of edges) {
    const a = g.src[id]!, b = g.dst[id]!;
    if (g.rel[id] === RT) {
      if (a < g.ops) rtFrom = a;
      if (b < g.ops) out.push({ from: t.index[rtFrom]!, to: t.index[b]!, rel: 'realtime' });
      continue;
    }
    const ref = g.ref[id]!, log = v.logs[g.key[id]!]!;
    const values = g.rel[id] === WR ? [t.rValue[ref]!] : [log.values[ref - 1]!, log.values[ref]!];
    out.push({ from: t.index[a]!, to: t.index[b]!, rel: REL_NAME[g.rel[id]!]!, key: t.keys[g.key[id]!]!, values });
  }
  return out;
}

export function describeStep(s: CycleStep): string {
  switch (s.rel) {
    case 'ww': return `op ${s.from} wrote value ${s.values![0]} of key ${s.key} just before op ${s.to} wrote ${s.values![1]} (ww)`;
    case 'wr': return `op ${s.to} read value ${s.values![0]} of key ${s.key} written by op ${s.from} (wr)`;
    case 'rw': return `op ${s.from} read key ${s.key} only up to value ${s.values![0]}, missing value ${s.values![1]} that op ${s.to} wrote next (rw)`;
    case 'realtime': return `op ${s.from} completed before op ${s.to} was invoked (realtime)`;
  }
}

/** G0, G1c (+ -realtime), G-single and G2 anomalies from the dependency graph. */
export function cycleCases(t: OpTable, v: Versions, options: CycleOptions = {}): Anomaly[] {
  const g = buildGraph(t, v);
  return findCycles(g, options).map((c) => {
    const cycle = steps(g, t, v, c.edges);
    const why = c.allowed
      ? (c.type.startsWith('G1c') ? ' (allowed: it needs a ww edge, and Kafka does not isolate writes)' : ' (allowed: Kafka does not promise this isolation)')
      : ' (invalid: no ww edge is needed, so this is a read-committed violation)';
    return {
      type: c.type, allowed: c.allowed, ops: cycle.map((s) => s.from), cycle,
      explanation: `${c.type} cycle of ${cycle.length} ops${why}: ${cycle.map(describeStep).join('; ')}`,
    };
  });
}
