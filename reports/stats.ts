// Figures derived from a digest: latency quantiles, throughput over time, counts per op kind. Pure.
import type { HistoryDigest } from './digest.ts';

export interface LatencyQuantiles { p50: number; p95: number; p99: number; max: number }

export interface OpKindCounts { f: string; ok: number; fail: number; info: number }

export interface HistoryFigures {
  durationNs: number;
  /** Completed-ok ops per second over the whole history. */
  okPerSecond: number;
  /** Latency of ok ops, nanoseconds; null when there were none. */
  okLatency: LatencyQuantiles | null;
  byF: OpKindCounts[];
  faultPeriods: number;
  /** Nanoseconds with at least one fault in force. */
  faultedNs: number;
}

/** Completions per second per type in equal time buckets (Jepsen's rate plot). */
export interface Throughput { bucketNs: number; startNs: number[]; ok: number[]; fail: number[]; info: number[] }

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function figuresOf(d: HistoryDigest): HistoryFigures {
  const ok: number[] = [];
  const byF = d.fNames.map((f) => ({ f, ok: 0, fail: 0, info: 0 }));
  for (let i = 0; i < d.ops.index.length; i++) {
    const counts = byF[d.ops.f[i]!]!;
    const type = d.ops.type[i]!;
    if (type === 0) counts.ok++; else if (type === 1) counts.fail++; else counts.info++;
    const latency = d.ops.latencyNs[i];
    if (type === 0 && latency !== null && latency !== undefined) ok.push(latency);
  }
  const sorted = Float64Array.from(ok).sort();
  const seconds = d.lastTimeNs / 1e9;
  return {
    durationNs: d.lastTimeNs,
    okPerSecond: seconds > 0 ? ok.length / seconds : 0,
    okLatency: sorted.length === 0 ? null : { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1]! },
    byF: byF.sort((a, b) => a.f.localeCompare(b.f)),
    faultPeriods: d.faults.length,
    faultedNs: faultedTime(d),
  };
}

/** Union of the fault bands' lengths: overlapping faults of different families count once. */
function faultedTime(d: HistoryDigest): number {
  const spans = d.faults.map((b) => [b.startNs, b.endNs ?? d.lastTimeNs] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

/** About `buckets` buckets of a round width over the history; completions counted where they completed. */
export function throughputOf(d: HistoryDigest, buckets = 120): Throughput {
  const bucketNs = roundWidth(Math.max(d.lastTimeNs, 1) / buckets);
  const n = Math.max(1, Math.ceil((d.lastTimeNs + 1) / bucketNs));
  const t: Throughput = { bucketNs, startNs: [], ok: new Array(n).fill(0), fail: new Array(n).fill(0), info: new Array(n).fill(0) };
  for (let i = 0; i < n; i++) t.startNs.push(i * bucketNs);
  const series = [t.ok, t.fail, t.info];
  for (let i = 0; i < d.ops.index.length; i++) {
    const latency = d.ops.latencyNs[i];
    const at = d.ops.invokeNs[i]! + (latency ?? 0);
    series[d.ops.type[i]!]![Math.min(n - 1, Math.floor(at / bucketNs))]! += 1;
  }
  const perSecond = 1e9 / bucketNs;
  for (const s of series) for (let i = 0; i < n; i++) s[i] = s[i]! * perSecond;
  return t;
}

/** 1, 2 or 5 times a power of ten, at least `ns`: bucket edges a reader can name. */
function roundWidth(ns: number): number {
  const p = 10 ** Math.floor(Math.log10(ns));
  return [1, 2, 5, 10].map((m) => m * p).find((w) => w >= ns)!;
}
