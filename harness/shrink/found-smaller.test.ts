import { describe, expect, it } from 'vitest';
import { describeShrink, foundSmaller } from '../cli/shrink.ts';
import type { ShrinkReport } from './shrink.ts';

const size = (ops: number) => ({ ops, mops: ops * 2, faults: 0, busyWorkers: 3 });
const report = (after: number | null): ShrinkReport => ({
  dir: '/runs/x', sought: ['G1a'], budgetSeconds: 240, seconds: 189, phases: [], notes: [], original: size(100),
  result: after === null ? null : { size: size(after), target: 'kafka', anomalyTypes: ['G1a'] },
  shrunkDir: after === null ? null : '/runs/x/shrunk',
} as unknown as ShrinkReport);

describe('shrink outcome', () => {
  it('a failing program of the same size is not a smaller one (exit 0, said so)', () => {
    expect(foundSmaller(report(100))).toBe(false);
    expect(describeShrink(report(100)).join('\n')).toMatch(/no smaller failing program within the budget; the program that failed again is 100 ops/);
  });

  it('a smaller failing program is found (exit 1)', () => {
    expect(foundSmaller(report(12))).toBe(true);
    expect(describeShrink(report(12)).join('\n')).toMatch(/ {2}after: {2}12 ops/);
  });

  it('no failing program at all', () => {
    expect(foundSmaller(report(null))).toBe(false);
  });
});
