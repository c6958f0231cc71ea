// `kafka-eos shrink` on the model: a run broken by a client mutation the model catches shrinks to a
// smaller program that still fails with one of the recorded anomaly types, written as its own run
// directory; the budget stops the search; a failure that does not show on the model goes to Kafka only.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeShrink, main as shrinkMain } from '../cli/shrink.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import { repro } from '../repro/repro.ts';
import { readRunDir } from '../repro/run-dir.ts';
import { modelRunDir, smallRun } from '../repro/testing.ts';
import { runProgram, type RunConfig } from '../run/run.ts';
import type { RunVerdict } from '../run/verdict-file.ts';
import { programProblems } from '../workload/index.ts';
import { shrink } from './shrink.ts';
import { programSize, smallerThan } from './size.ts';

const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

describe('kafka-eos shrink on the model', () => {
  it('shrinks a read-uncommitted run to a smaller program that still fails, with its own run directory', async () => {
    const dir = await modelRunDir(smallRun(3, 'read-uncommitted'));
    const sought = readJson<RunVerdict>(path.join(dir, 'verdict.json')).anomalyTypes;
    const r = await shrink(dir, { budgetSeconds: 120 });
    expect(r.phases.map((p) => [p.target, p.stoppedBy])).toEqual([['model', 'done']]);
    expect(r.result).not.toBeNull();
    const shrunk = readRunDir(path.join(dir, 'shrunk'), 'test').program;
    expect(smallerThan(programSize(shrunk), r.original)).toBe(true);
    expect(r.result!.size).toEqual(programSize(shrunk));
    expect(programProblems(shrunk)).toEqual([]);
    // Still fails: check the shrunk history afresh, not only the verdict the shrinker wrote.
    const info = readJson<never>(path.join(dir, 'shrunk', 'model', 'program-info.json'));
    const { verdict } = await checkHistoryFile(path.join(dir, 'shrunk', 'model', 'history.jsonl'), { program: info });
    expect(verdict.invalidTypes.some((t) => sought.includes(t))).toBe(true);
    const written = readJson<{ original: unknown; result: unknown }>(path.join(dir, 'shrunk', 'shrink.json'));
    expect(written.result).toEqual(r.result);
    expect(readJson<RunVerdict>(path.join(dir, 'shrunk', 'verdict.json')).repro).toBe(`npx kafka-eos repro ${path.join(dir, 'shrunk')}`);
    expect(fs.existsSync(path.join(dir, '.shrink-attempt'))).toBe(false);
    // Minimal along fast-check's tree: the repro of the shrunk directory fails the same way.
    const again = await repro(path.join(dir, 'shrunk'));
    expect(again.cameBack.length).toBeGreaterThan(0);
    const text = describeShrink(r).join('\n');
    expect(text).toContain(`before: ${r.original.ops} ops`);
    expect(text).toContain(`after:  ${r.result!.size.ops} ops`);
  });

  it('the budget stops the search between runs (fake clock: each run costs 10 s of a 35 s budget)', async () => {
    const dir = await modelRunDir(smallRun(3, 'read-uncommitted'));
    let clock = 0;
    const r = await shrink(dir, { budgetSeconds: 35, target: 'model', now: () => (clock += 5_000) });
    const [model] = r.phases;
    expect(model!.stoppedBy).toBe('budget');
    expect(model!.runs).toBeGreaterThan(0);
    expect(model!.runs).toBeLessThan(4);
  });

  it('a failure the model does not show goes to Kafka, which the budget bounds: no run when none fits', async () => {
    const dir = await modelRunDir(smallRun(1)); // valid on the model...
    const file = path.join(dir, 'verdict.json');
    const v = readJson<RunVerdict>(file);
    // ...but recorded as a Kafka run that lost a write, taking 10 minutes.
    const kafka = { ...v.histories.model!, path: 'kafka/history.jsonl', verdict: { ...v.histories.model!.verdict, invalidTypes: ['lost-write'] } };
    fs.writeFileSync(file, JSON.stringify({ ...v, target: 'kafka', valid: false, outcome: 'anomalies', anomalyTypes: ['lost-write'],
      durationSeconds: 600, histories: { kafka } }));
    const r = await shrink(dir, { budgetSeconds: 60 });
    expect(r.phases.map((p) => [p.target, p.startedFrom, p.stoppedBy, p.runs])).toEqual([
      ['model', 'original', 'does not fail here', 1], ['kafka', 'original', 'budget', 0]]);
    expect(r.notes).toContain('the failure does not show on the model: shrinking on Kafka only, within the budget');
    expect(r.notes).toContain('no smaller program failed on Kafka within the budget');
    expect(r.result).toBeNull();
    expect(fs.existsSync(path.join(dir, 'shrunk'))).toBe(false);
  });

  it('then on Kafka: continues from the model\'s smallest program; falls back to the original when that one passes there', async () => {
    // A stand-in cluster: the model again, except that on "Kafka" programs under `minOps` ops pass.
    const fakeKafka = (minOps: number) => async (config: RunConfig): Promise<RunVerdict> => {
      const v = await runProgram({ ...config, target: 'model' });
      const big = programSize(config.program).ops >= minOps;
      return { ...v, target: config.target, anomalyTypes: config.target === 'kafka' && !big ? [] : v.anomalyTypes };
    };
    const recordedBoth = async () => {
      const dir = await modelRunDir(smallRun(3, 'read-uncommitted'));
      const file = path.join(dir, 'verdict.json');
      const v = readJson<RunVerdict>(file);
      fs.writeFileSync(file, JSON.stringify({ ...v, target: 'both', durationSeconds: 1, histories: { model: v.histories.model, kafka: v.histories.model } }));
      return dir;
    };
    const same = await shrink(await recordedBoth(), { budgetSeconds: 300, runner: fakeKafka(0) });
    expect(same.phases.map((p) => [p.target, p.startedFrom, p.stoppedBy])).toEqual([['model', 'original', 'done'], ['kafka', 'model result', 'done']]);
    expect(same.phases[1]!.runs).toBeGreaterThan(0);
    expect(same.result!.target).toBe('kafka');
    expect(same.result!.size).toEqual(same.phases[0]!.smallest);

    const dir = await recordedBoth();
    const fallback = await shrink(dir, { budgetSeconds: 300, runner: fakeKafka(30) });
    expect(fallback.phases.map((p) => [p.target, p.startedFrom])).toEqual([['model', 'original'], ['kafka', 'model result'], ['kafka', 'original']]);
    expect(fallback.notes).toContain('the smallest program that fails on the model does not fail on Kafka; shrinking the original on Kafka instead');
    expect(fallback.result!.target).toBe('kafka');
    expect(fallback.result!.size.ops).toBeGreaterThanOrEqual(30);
    expect(fallback.result!.size.ops).toBeLessThan(fallback.original.ops);
    expect(programSize(readRunDir(path.join(dir, 'shrunk'), 'test').program)).toEqual(fallback.result!.size);
  });

  it('refuses what it cannot shrink (exit 2): a valid run, a run without verdict, a shrunk program', async () => {
    const valid = await modelRunDir(smallRun(1));
    await expect(shrinkMain([valid])).rejects.toThrow(/found no anomalies .* nothing to shrink/);
    const failing = await modelRunDir(smallRun(3, 'read-uncommitted'));
    expect(await shrinkMain([failing, '--budget', '60'])).toBe(EXIT.invalid);
    await expect(shrinkMain([path.join(failing, 'shrunk')])).rejects.toThrow(/not the program its seed generates/);
    fs.rmSync(path.join(failing, 'verdict.json'));
    await expect(shrinkMain([failing])).rejects.toThrow(/has no verdict\.json/);
    await expect(shrinkMain([failing, '--budget', '0'])).rejects.toThrow(/--budget <seconds>' argument '0' is invalid. expected a whole number from 1/);
  });
});
