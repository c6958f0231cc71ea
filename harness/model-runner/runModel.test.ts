import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { generateProgram, invocationOf, MAX_SEED, type ProgramOptions } from '../workload/index.ts';
import { runModel } from './runModel.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-model-'));
let runs = 0;
const outDir = () => path.join(root, String(runs++));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const small: ProgramOptions = { timeLimitMs: 1_000, nemesis: ['partition', 'kill', 'pause'], nemesisIntervalMs: 300, crashP: 0.02 };
const seed = fc.integer({ min: 0, max: MAX_SEED });

type Event = { index: number; time: number; process: number | 'nemesis'; type: string; f: string; value: unknown; txnId?: string };
const read = (file: string): Event[] => fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Event);

describe('runModel', () => {
  test.prop([seed], { numRuns: 2 })('same program, byte-identical history', async (s) => {
    const p = generateProgram(s, small);
    const a = await runModel(p, outDir());
    const b = await runModel(p, outDir());
    expect(fs.readFileSync(a.historyPath, 'utf8')).toBe(fs.readFileSync(b.historyPath, 'utf8'));
    expect(a.stats).toEqual(b.stats);
  });

  test.prop([seed], { numRuns: 3 })('the history follows the program and the format rules', async (s) => {
    const p = generateProgram(s, small);
    const { historyPath, stats, workerProcesses } = await runModel(p, outDir());
    const events = read(historyPath);
    events.forEach((e, i) => expect(e.index).toBe(i));
    for (let i = 1; i < events.length; i++) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);

    // Every nemesis op of the program is applied, in order, as an invoke/info pair.
    const nemesis = events.filter((e) => e.process === 'nemesis');
    const planned = [...p.nemesis.schedule, ...p.nemesis.finalHeal].map((x) => x.op);
    expect(nemesis.filter((e) => e.type === 'invoke').map((e) => ({ f: e.f, value: e.value }))).toEqual(planned);
    expect(stats.nemesis).toBe(planned.length);

    // Per worker, the invocations (minus re-issued assignments of fresh processes) are a prefix of its ops.
    p.workers.forEach((w, i) => {
      const procs = new Set(workerProcesses[i]);
      const invokes = events.filter((e) => typeof e.process === 'number' && procs.has(e.process) && e.type === 'invoke');
      const expected = w.ops.map(invocationOf);
      let j = 0;
      for (const e of invokes) {
        const want = expected[j];
        if (want && want.f === e.f && JSON.stringify(want.value) === JSON.stringify(e.value)) j++;
        else expect(['assign', 'subscribe']).toContain(e.f);
      }
      if (w.startAfter === null) expect(j).toBeGreaterThan(0);
      if (w.transactionalId !== null) invokes.filter((e) => e.f === 'txn').forEach((e) => expect(e.txnId).toBe(w.transactionalId));
    });

    // Processes alternate invoke / completion, and never invoke after an info.
    const state = new Map<number, 'idle' | 'busy' | 'retired'>();
    for (const e of events) {
      if (e.process === 'nemesis') continue;
      const st = state.get(e.process) ?? 'idle';
      expect(st).toBe(e.type === 'invoke' ? 'idle' : 'busy');
      state.set(e.process, e.type === 'invoke' ? 'busy' : e.type === 'info' ? 'retired' : 'idle');
    }
    expect([...state.values()]).not.toContain('busy');
  });

  test('without faults, the final readers reach every acknowledged offset', async () => {
    const p = generateProgram(3, { timeLimitMs: 1_000 });
    const events = read((await runModel(p, outDir())).historyPath);
    const maxOffset = (evs: Event[]) => {
      const m = new Map<string, number>();
      for (const e of evs) {
        if (e.type !== 'ok' || !Array.isArray(e.value)) continue;
        for (const mop of e.value as unknown[][]) {
          if (mop[0] === 'send' && Array.isArray(mop[2]) && mop[2][0] !== null) m.set(String(mop[1]), Math.max(m.get(String(mop[1])) ?? -1, mop[2][0] as number));
          if (mop[0] === 'poll') for (const [k, pairs] of Object.entries(mop[1] as Record<string, number[][]>)) for (const [o] of pairs) m.set(k, Math.max(m.get(k) ?? -1, o!));
        }
      }
      return m;
    };
    const finalProcs = new Set(events.filter((e) => e.f === 'assign' && JSON.stringify(e.value) === JSON.stringify(p.finalPolls.keys) && typeof e.process === 'number' && e.process >= p.workers.length).map((e) => e.process));
    expect(finalProcs.size).toBeGreaterThanOrEqual(p.finalPolls.readers);
    const acked = maxOffset(events.filter((e) => !finalProcs.has(e.process)));
    expect(acked.size).toBeGreaterThan(0);
    for (const proc of finalProcs) {
      const seen = maxOffset(events.filter((e) => e.process === proc));
      for (const [k, o] of acked) expect(seen.get(k) ?? -1).toBeGreaterThanOrEqual(o);
    }
  });

  test('refuses to overwrite a history unless asked', async () => {
    const p = generateProgram(1, { timeLimitMs: 200 });
    const dir = outDir();
    await runModel(p, dir);
    await expect(runModel(p, dir)).rejects.toThrow(/already holds a history/);
    await expect(runModel(p, dir, { overwrite: true })).resolves.toBeDefined();
  });
});

describe('runModel for a CLI', () => {
  test('reports progress with the faults in force, and stops on its abort signal leaving a valid prefix', async () => {
    const p = generateProgram(4, { timeLimitMs: 3_000, nemesis: ['kill'], nemesisIntervalMs: 300 });
    const seen: Array<{ ops: number; faults: string[] }> = [];
    const controller = new AbortController();
    const { historyPath, stats } = await runModel(p, outDir(), {
      progressEvery: 100,
      onProgress: ({ stats: s, faults }) => {
        seen.push({ ops: s.ops, faults });
        if (s.ops >= 300) controller.abort();
      },
      signal: controller.signal,
    });
    expect(seen.slice(0, 3).map((s) => s.ops)).toEqual([100, 200, 300]);
    expect(seen.some((s) => s.faults.some((f) => /^kill \d$/.test(f)))).toBe(true);
    expect(stats.aborted).toBe(true);
    expect(stats.ops).toBeLessThan(p.workers.reduce((n, w) => n + w.ops.length, 0));
    const events = read(historyPath);
    events.forEach((e, i) => expect(e.index).toBe(i));
    expect(events.filter((e) => e.type !== 'invoke' && e.process !== 'nemesis').length).toBe(stats.ops);
  });
});
