// The data the page's script plots, per history: ops as columns (seconds and milliseconds, rounded
// so the embedded JSON stays small), fault bands, throughput. Very long histories are thinned by a
// fixed stride, and the page says so. Pure.
import type { Verdict } from '../jepsen-style/checker.ts';
import type { HistoryDigest } from './digest.ts';
import { quantile, throughputOf } from './stats.ts';

/** Ops plotted per history at most; above it every k-th op is kept. */
export const MAX_CHART_OPS = 60_000;

/** An op an anomaly cites, marked on the timeline and the latency plot. */
export interface AnomalyMark { index: number; startS: number; endS: number | null; process: number; type: string; invalid: boolean }

/** Marks at most, so a run with thousands of anomalies still gives a small page (invalid ones first); of allowed ones, fewer, so they do not bury the rest. */
export const MAX_MARKS = 400;
export const MAX_ALLOWED_MARKS = 60;

export interface ChartData {
  id: string;
  /** `logical`: a model run's simulated clock, so axes say logical time, not measured time. */
  clock: 'wall' | 'logical';
  lastS: number;
  /** 1 when every op is plotted; k when every k-th op is. */
  stride: number;
  fNames: string[];
  ops: { index: number[]; startS: number[]; latencyMs: Array<number | null>; process: number[]; type: number[]; f: number[] };
  faults: Array<{ family: string; startS: number; endS: number | null; label: string; target: string }>;
  throughput: { bucketS: number; startS: number[]; ok: number[]; fail: number[]; info: number[] };
  marks: AnomalyMark[];
  /**
   * Top of the latency axis in ms when a few outliers would squash the rest (they are then drawn on
   * the top edge as clipped), null when every op fits.
   */
  latencyTopMs: number | null;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const s = (ns: number) => round(ns / 1e9, 6);

/** The latency axis' top: four times the 99th percentile, when the slowest op lies beyond it. */
function latencyTop(d: HistoryDigest): number | null {
  const sorted = Float64Array.from(d.ops.latencyNs.filter((x): x is number => x !== null)).sort();
  if (sorted.length < 20) return null;
  const top = 4 * Math.max(quantile(sorted, 0.99), 1);
  return sorted[sorted.length - 1]! > top ? Number((top / 1e6).toPrecision(3)) : null;
}

/** The ops the verdict's anomalies cite (invalid anomalies first), as marks. */
function marksOf(d: HistoryDigest, verdict: Verdict | null): AnomalyMark[] {
  if (!verdict) return [];
  const at = new Map(d.ops.index.map((index, i) => [index, i]));
  const invalid = new Set(verdict.invalidTypes ?? []);
  const types = [...verdict.anomalyTypes].sort((a, b) => Number(invalid.has(b)) - Number(invalid.has(a)));
  const marks = new Map<number, AnomalyMark>();
  let allowed = 0;
  for (const type of types) {
    for (const a of verdict.anomalies[type] ?? []) {
      if (a.allowed && allowed >= MAX_ALLOWED_MARKS) continue;
      for (const index of a.ops) {
        const i = at.get(index);
        if (i === undefined || marks.has(index) || marks.size >= MAX_MARKS) continue;
        if (a.allowed) allowed++;
        const latency = d.ops.latencyNs[i];
        marks.set(index, { index, startS: s(d.ops.invokeNs[i]!), endS: latency === null || latency === undefined ? null : s(d.ops.invokeNs[i]! + latency), process: d.ops.process[i]!, type, invalid: !a.allowed });
      }
    }
  }
  return [...marks.values()];
}

export function chartDataOf(id: string, d: HistoryDigest, maxOps = MAX_CHART_OPS, verdict: Verdict | null = null): ChartData {
  const n = d.ops.index.length;
  const stride = Math.max(1, Math.ceil(n / maxOps));
  const ops: ChartData['ops'] = { index: [], startS: [], latencyMs: [], process: [], type: [], f: [] };
  for (let i = 0; i < n; i += stride) {
    const latency = d.ops.latencyNs[i];
    ops.index.push(d.ops.index[i]!);
    ops.startS.push(s(d.ops.invokeNs[i]!));
    ops.latencyMs.push(latency === null || latency === undefined ? null : round(latency / 1e6, 3));
    ops.process.push(d.ops.process[i]!);
    ops.type.push(d.ops.type[i]!);
    ops.f.push(d.ops.f[i]!);
  }
  const t = throughputOf(d);
  const rate = (xs: number[]) => xs.map((x) => round(x, 2));
  return {
    id, clock: id === 'model' ? 'logical' : 'wall', lastS: s(d.lastTimeNs), stride, fNames: d.fNames, ops,
    faults: d.faults.map((b) => ({ family: b.family, startS: s(b.startNs), endS: b.endNs === null ? null : s(b.endNs), label: b.label, target: b.target })),
    throughput: { bucketS: t.bucketNs / 1e9, startS: t.startNs.map(s), ok: rate(t.ok), fail: rate(t.fail), info: rate(t.info) },
    marks: marksOf(d, verdict), latencyTopMs: latencyTop(d),
  };
}
