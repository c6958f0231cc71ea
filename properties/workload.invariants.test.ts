// Every generated program satisfies its invariants (values unique per key, explicit partitions,
// copier outputs written by copiers only, every fault stopped before the final heal, ...), and the
// invariant checker itself catches each kind of breakage (hand-made mutants below).
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { EXIT } from '../harness/cli/exit-codes.ts';
import {
  generateProgram, MAX_SEED, NEMESIS_FAMILIES, PARTITION_KINDS, partitionGrouping, programProblems,
  type Program, type ProgramOptions,
} from '../harness/workload/index.ts';

const seed = fc.integer({ min: 0, max: MAX_SEED });
const optionsArb: fc.Arbitrary<ProgramOptions> = fc
  .record({
    topics: fc.integer({ min: 2, max: 4 }),
    partitions: fc.integer({ min: 2, max: 3 }),
    nodes: fc.integer({ min: 3, max: 5 }),
    workers: fc.integer({ min: 1, max: 5 }),
    copiers: fc.integer({ min: 0, max: 2 }),
    timeLimitMs: fc.integer({ min: 500, max: 4_000 }),
    nemesis: fc.subarray([...NEMESIS_FAMILIES]),
    partitionKinds: fc.subarray([...PARTITION_KINDS], { minLength: 1 }),
    nemesisIntervalMs: fc.integer({ min: 100, max: 2_000 }),
    subVia: fc.subarray(['assign', 'subscribe'] as const, { minLength: 1 }),
  })
  .map((o) => ({ ...o, zombie: o.copiers > 0 }));

const clone = (p: Program): Program => structuredClone(p);
const withOps = (p: Program) => p.workers.flatMap((w) => w.ops.map((op) => ({ w, op })));

describe('generated programs', () => {
  test.prop([seed, optionsArb], { numRuns: 40 })('satisfy every invariant', (s, o) => {
    expect(programProblems(generateProgram(s, o))).toEqual([]);
  });

  test.prop([seed], { numRuns: 5 })('a 120 s run with every nemesis has at least 2 faults of each family', (s) => {
    const p = generateProgram(s, { timeLimitMs: 120_000, nemesis: ['partition', 'kill', 'pause'] });
    // Each family's cycle lasts at most 4 intervals (gap and fault ≤ 2 intervals each): 120 s holds 3.
    for (const start of ['start-partition', 'kill', 'pause']) {
      expect(p.nemesis.schedule.filter((e) => e.op.f === start).length).toBeGreaterThanOrEqual(2);
    }
    expect(p.nemesis.finalHeal.map((e) => e.op.f)).toEqual(['stop-partition', 'resume', 'restart']);
  });

  test.prop([seed], { numRuns: 5 })('size follows the time limit and the target rate', (s) => {
    const p = generateProgram(s, { timeLimitMs: 10_000, rateHz: 300 });
    const running = p.workers.filter((w) => w.startAfter === null);
    const ops = running.reduce((n, w) => n + w.ops.length, 0);
    expect(Math.abs(ops - 3_000)).toBeLessThanOrEqual(running.length);
  });

  test.prop([seed], { numRuns: 10 })('the zombie is a second instance of copier 0 that starts mid-way', (s) => {
    const p = generateProgram(s, { timeLimitMs: 2_000 });
    const [old, twin] = p.workers.filter((w) => w.role === 'copier' && w.transactionalId === 'copier-0');
    expect(old?.stopWhenFenced).toBe(true);
    expect(twin?.startAfter?.worker).toBe(old?.id);
    expect(twin?.startAfter?.completedOps).toBeGreaterThan(0);
    expect(twin?.copier).toEqual(old?.copier);
    expect(generateProgram(s, { timeLimitMs: 2_000, zombie: false }).workers.some((w) => w.startAfter)).toBe(false);
  });

  test.prop([fc.integer({ min: 3, max: 7 }).chain((n) => fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i + 1), { minLength: n, maxLength: n }))])(
    'majorities ring: every node sees a majority of its own',
    (perm) => {
      const g = partitionGrouping('majorities-ring', perm);
      const views = perm.map((n) => perm.filter((m) => !(g.grudge[String(n)] ?? []).includes(m)).sort().join());
      views.forEach((v) => expect(v.split(',').length).toBeGreaterThan(perm.length / 2));
      expect(new Set(views).size).toBe(perm.length);
    },
  );
});

describe('the invariant checker catches broken programs', () => {
  const base = generateProgram(7, { timeLimitMs: 3_000, nemesisIntervalMs: 300, nemesis: ['partition', 'kill', 'pause'] });
  const mutants: Array<[string, (p: Program) => void, RegExp]> = [
    ['a value sent twice to one key', (p) => {
      const sends = withOps(p).flatMap(({ op }) => (op.f === 'send' || op.f === 'txn' ? op.value.filter((m) => m[0] === 'send') : []));
      const [a, b] = sends.filter((m) => m[1] === sends[0]![1]);
      b![2] = a![2];
    }, /twice/],
    ['a client writing a copier output key', (p) => {
      const send = withOps(p).find(({ op }) => op.f === 'send')!.op;
      if (send.f === 'send') send.value[0]![1] = p.keys.length - 1;
    }, /copier output key/],
    ['a key without an explicit partition', (p) => { p.keys[1]!.partition = 99; }, /outside/],
    ['a fault never stopped', (p) => {
      const restarts = p.nemesis.schedule.flatMap((e, i) => (e.op.f === 'restart' ? [i] : []));
      p.nemesis.schedule.splice(restarts.at(-1)!, 1);
    }, /kill at \d+ ms is never stopped/],
    ['a fault started twice', (p) => { p.nemesis.schedule.splice(p.nemesis.schedule.findIndex((e) => e.op.f === 'resume'), 1); }, /still on/],
    ['a schedule out of time order', (p) => { p.nemesis.schedule.reverse(); }, /comes after/],
    ['a restart of another node than the one killed', (p) => {
      const r = p.nemesis.schedule.find((e) => e.op.f === 'restart')!;
      if (r.op.f === 'restart') r.op.value = { nodes: [99] };
    }, /other nodes/],
    ['a transactional op on an idempotent worker', (p) => {
      p.workers.find((w) => w.role === 'idempotent')!.ops[1] = { f: 'txn', value: [['poll']], abort: false };
    }, /not allowed/],
    ['a zombie restart beyond the old instance', (p) => { p.workers.find((w) => w.startAfter)!.startAfter!.completedOps = 1e9; }, /beyond/],
  ];
  for (const [name, mutate, message] of mutants) {
    test(name, () => {
      expect(programProblems(base)).toEqual([]);
      const p = clone(base);
      mutate(p);
      expect(programProblems(p).join('\n')).toMatch(message);
    });
  }
});

describe('bad options', () => {
  const cases: Array<[ProgramOptions, RegExp]> = [
    [{ topics: 1 }, /'topics' must be an integer in \[2,/],
    [{ partitions: 1 }, /'partitions'/],
    [{ copiers: 5, topics: 3 }, /'copiers'/],
    [{ nemesis: ['flood' as never] }, /unknown flood/],
    [{ abortP: 2 }, /probability/],
    [{ copiers: 0 }, /'zombie' needs at least one copier/],
    [{ txnVersion: 3 as never }, /1 or 2/],
  ];
  for (const [o, message] of cases) {
    test(`${JSON.stringify(o)} is a usage error`, () => {
      expect(() => generateProgram(1, o)).toThrow(message);
      try {
        generateProgram(1, o);
      } catch (e) {
        expect((e as { exitCode?: number }).exitCode).toBe(EXIT.usage);
      }
    });
  }
});
