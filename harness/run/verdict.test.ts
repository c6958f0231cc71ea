// A run's outcome from what its stages found: certain findings first, then a harness error, then the
// reasons the harness could not decide (inconclusive, exit 4), and only then valid. `valid` (the
// contract's field) is true for a valid run alone.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../cli/exit-codes.ts';
import { harnessIdentity } from '../meta/version.ts';
import { decideVerdict, exitCodeFor } from './verdict.ts';
import type { HistorySummary } from './verdict-file.ts';

const summary = (invalidTypes: string[]): HistorySummary => ({
  path: 'kafka/history.jsonl', warnings: [],
  verdict: { invalidTypes } as unknown as HistorySummary['verdict'],
});

const base = {
  complete: true, seed: 1, target: 'kafka' as const, nemesis: [], mutate: null, txnVersion: 2 as const, timeLimitSeconds: 60,
  kafkaVersion: '4.4.0', kafkaImage: null, client: 'kafkajs 2.2.4', repro: 'npx kafka-eos run --seed 1', startedAt: '', durationSeconds: 1,
};
const why = 'final reads of key 0 stopped at offset 61 and no cause was found.';

describe('decideVerdict', () => {
  it('valid only when nothing was found and nothing left undecided', () => {
    const v = decideVerdict({ ...base, histories: { kafka: summary([]) } });
    expect([v.valid, v.outcome, v.inconclusive, v.harness]).toEqual([true, 'valid', [], harnessIdentity()]);
  });

  it('inconclusive reasons alone: not valid, outcome inconclusive, exit 4', () => {
    const v = decideVerdict({ ...base, histories: { kafka: summary([]) }, inconclusive: [why] });
    expect([v.valid, v.outcome, v.inconclusive]).toEqual([false, 'inconclusive', [why]]);
    expect(exitCodeFor(v.outcome)).toBe(EXIT.inconclusive);
  });

  it('a certain finding wins over an undecided one; a harness error wins over inconclusive', () => {
    expect(decideVerdict({ ...base, histories: { kafka: summary(['G1a']) }, inconclusive: [why] }).outcome).toBe('anomalies');
    expect(decideVerdict({ ...base, histories: { kafka: summary([]) }, divergences: [{ kind: 'k', explanation: 'e' }], inconclusive: [why] }).outcome).toBe('model-divergence');
    expect(decideVerdict({ ...base, histories: {}, harnessError: 'no Docker', inconclusive: [why] }).outcome).toBe('harness-error');
  });

  it('exit codes keep the first contract: 0 valid, 1 anomalies or divergence, 3 harness error', () => {
    expect(['valid', 'anomalies', 'model-divergence', 'harness-error', 'inconclusive'].map((o) => exitCodeFor(o as never))).toEqual([0, 1, 1, 3, 4]);
  });
});
