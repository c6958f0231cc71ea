// The data the page's script plots, per history: ops as columns (seconds and milliseconds, rounded
// so the embedded JSON stays small), fault bands, throughput. Very long histories are thinned by a
// fixed stride, and the page says so. Pure.
import type { HistoryDigest } from './digest.ts';
import { throughputOf } from './stats.ts';

/** Ops plotted per history at most; above it every k-th op is kept. */
export const MAX_CHART_OPS = 60_000;

export interface ChartData {
  id: string;
  lastS: number;
  /** 1 when every op is plotted; k when every k-th op is. */
  stride: number;
  fNames: string[];
  ops: { index: number[]; startS: number[]; latencyMs: Array<number | null>; process: number[]; type: number[]; f: number[] };
  faults: Array<{ family: string; startS: number; endS: number | null; label: string }>;
  throughput: { bucketS: number; startS: number[]; ok: number[]; fail: number[]; info: number[] };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const s = (ns: number) => round(ns / 1e9, 6);

export function chartDataOf(id: string, d: HistoryDigest, maxOps = MAX_CHART_OPS): ChartData {
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
    id, lastS: s(d.lastTimeNs), stride, fNames: d.fNames, ops,
    faults: d.faults.map((b) => ({ family: b.family, startS: s(b.startNs), endS: b.endNs === null ? null : s(b.endNs), label: b.label })),
    throughput: { bucketS: t.bucketNs / 1e9, startS: t.startNs.map(s), ok: rate(t.ok), fail: rate(t.fail), info: rate(t.info) },
  };
}
