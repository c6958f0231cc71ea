// The program arbitrary is what `kafka-eos shrink` (issue 6) will shrink: fast-check, given the seed of a
// run, must start from that run's very program and shrink it to fewer ops and fewer faults, keeping every
// invariant on the way.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { generateProgram, programArb, programProblems, serializeProgram, type Program } from '../harness/workload/index.ts';

const options = { timeLimitMs: 1_000, nemesis: ['partition', 'kill', 'pause'] as Array<'partition' | 'kill' | 'pause'>, nemesisIntervalMs: 200 };

function shrinkFrom(seed: number, fails: (p: Program) => boolean) {
  let first: Program | undefined;
  const r = fc.check(fc.property(fc.noBias(programArb(seed, options)), (p) => {
    first ??= p;
    return !fails(p);
  }), { seed, numRuns: 1 });
  return { first: first!, r };
}

describe('shrinking programs', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 })], { numRuns: 2 })('starts from the program of the seed and shrinks op lists to the shortest failing one', (seed) => {
    const { first, r } = shrinkFrom(seed, (p) => p.workers[0]!.ops.length >= 3);
    expect(serializeProgram(first)).toBe(serializeProgram(generateProgram(seed, options)));
    expect(r.failed).toBe(true);
    const shrunk = r.counterexample![0] as Program;
    expect(shrunk.workers[0]!.ops.length).toBe(3);
    expect(shrunk.workers[0]!.ops[0]!.f).toMatch(/assign|subscribe/);
    expect(programProblems(shrunk)).toEqual([]);
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 31 })], { numRuns: 2 })('shrinks the nemesis schedule to the fewest faults that still fail', (seed) => {
    const { r } = shrinkFrom(seed, (p) => p.nemesis.schedule.some((e) => e.op.f === 'kill'));
    expect(r.failed).toBe(true);
    const shrunk = r.counterexample![0] as Program;
    expect(shrunk.nemesis.schedule.map((e) => e.op.f)).toEqual(['kill', 'restart']);
    expect(shrunk.workers.every((w) => w.ops.length === 1)).toBe(true);
    expect(programProblems(shrunk)).toEqual([]);
  });
});
