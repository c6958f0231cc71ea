// Figures and chart data derived from a digest, on hand-made digests with known answers.
import { describe, expect, it } from 'vitest';
import type { Program } from '../harness/workload/program.ts';
import { chartDataOf } from './chart-data.ts';
import type { HistoryDigest } from './digest.ts';
import { headlineOf, reproFromProgram, type ReportData } from './run-data.ts';
import { figuresOf, quantile, throughputOf } from './stats.ts';

const S = 1e9;

function digestOf(ops: Array<[startNs: number, latencyNs: number | null, type: number]>, lastTimeNs: number, faults: HistoryDigest['faults'] = []): HistoryDigest {
  return {
    events: ops.length * 2, lastTimeNs, fNames: ['send'], faults, rows: [], rowsCapped: 0, processes: 1, nemesisEvents: 0,
    ops: {
      index: ops.map((_, i) => 2 * i + 1), invokeNs: ops.map((o) => o[0]), latencyNs: ops.map((o) => o[1]),
      process: ops.map(() => 0), type: ops.map((o) => o[2]), f: ops.map(() => 0),
    },
  };
}

describe('figures', () => {
  it('quantiles are nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([quantile(xs, 0.5), quantile(xs, 0.95), quantile(xs, 0.99), quantile(xs, 1)]).toEqual([50, 95, 99, 100]);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('latency counts ok ops only; faulted time is the union of overlapping bands; an open band runs to the end', () => {
    const d = digestOf([[0, 10, 0], [1, 20, 0], [2, 1000, 1], [3, null, 2]], 10 * S, [
      { family: 'partition', startNs: 1 * S, endNs: 4 * S, startIndex: 0, label: '', target: '' },
      { family: 'kill', startNs: 3 * S, endNs: 5 * S, startIndex: 0, label: '', target: '' },
      { family: 'pause', startNs: 8 * S, endNs: null, startIndex: 0, label: '', target: '' },
    ]);
    const f = figuresOf(d);
    expect(f.okLatency).toEqual({ p50: 10, p95: 20, p99: 20, max: 20 });
    expect(f.byF).toEqual([{ f: 'send', ok: 2, fail: 1, info: 1 }]);
    expect(f.faultedNs).toBe(6 * S);
    expect(f.okPerSecond).toBeCloseTo(0.2);
  });

  it('throughput counts each op where it completed, per second, in round buckets', () => {
    const d = digestOf([[0, 0.5 * S, 0], [0.2 * S, 0.1 * S, 0], [1.5 * S, 0.1 * S, 1], [1.7 * S, null, 2]], 2 * S);
    const t = throughputOf(d, 2);
    expect(t.bucketNs).toBe(1 * S);
    expect(t.ok).toEqual([2, 0, 0]);
    expect(t.fail).toEqual([0, 1, 0]);
    expect(t.info).toEqual([0, 1, 0]);
  });

  it('chart data keeps every op up to the cap, then every k-th', () => {
    const d = digestOf(Array.from({ length: 1000 }, (_, i) => [i * 1000, 500, 0]), 1e6);
    expect(chartDataOf('kafka', d).stride).toBe(1);
    expect(chartDataOf('kafka', d).latencyTopMs).toBeNull();
    const thin = chartDataOf('kafka', d, 300);
    expect(thin.stride).toBe(4);
    expect(thin.ops.index).toEqual(Array.from({ length: 250 }, (_, i) => 8 * i + 1));
    expect(thin.ops.latencyMs[0]).toBe(0.001);
  });

  it('stops the latency axis at four times the 99th percentile when a few outliers lie beyond it', () => {
    const ops = Array.from({ length: 1000 }, (_, i): [number, number, number] => [i * 1e6, 2e6, 0]);
    ops[500] = [500e6, 900e6, 0];
    expect(chartDataOf('kafka', digestOf(ops, 2 * S)).latencyTopMs).toBe(8);
    expect(chartDataOf('kafka', digestOf(ops.slice(0, 19), 2 * S)).latencyTopMs).toBeNull(); // too few ops to say
  });
});

describe('headline', () => {
  const program = { seed: 42, mutate: 'no-idempotence', txnVersion: 2, options: { nemesis: ['partition', 'kill'], timeLimitMs: 90_000 } } as unknown as Program;

  it('rebuilds the repro command from the program', () => {
    expect(reproFromProgram(program, 'kafka')).toBe('npx kafka-eos run --seed 42 --target kafka --nemesis partition,kill --time-limit 90 --mutate no-idempotence');
  });

  it('without verdict.json: incomplete, outcome from the histories, harness error when a history was unreadable', () => {
    const base: ReportData = { dir: 'x', generatedAt: '', program, verdict: null, histories: [], problems: [] };
    const none = headlineOf(base);
    expect(none).toMatchObject({ outcome: 'valid', complete: false, seed: 42, repro: expect.stringContaining('--seed 42') });
    expect(none.incompleteReasons).toHaveLength(2);
    const bad = headlineOf({ ...base, histories: [{ target: 'kafka', path: 'kafka/history.jsonl', verdict: null, checkedByReport: true, warnings: [], error: 'line 3: bad', digest: null }] });
    expect(bad).toMatchObject({ outcome: 'harness-error', harnessError: 'kafka/history.jsonl: line 3: bad', target: 'kafka' });
  });
});
