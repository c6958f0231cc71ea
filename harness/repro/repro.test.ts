// `kafka-eos repro`: re-runs exactly what a run directory recorded and compares anomaly types; the exit
// code follows the contract (1 anomalies came back, 0 valid, 2 bad DIR, 3 could not run).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRepro, main as reproMain, reproExitCode } from '../cli/repro.ts';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import type { RunVerdict } from '../run/verdict-file.ts';
import { serializeProgram } from '../workload/index.ts';
import { compareAnomalies, repro, reproLineOf, type ReproResult } from './repro.ts';
import { freshSubdir, readRunDir } from './run-dir.ts';
import { modelRunDir, smallRun, tempDir } from './testing.ts';

const verdictOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as RunVerdict;

describe('compareAnomalies', () => {
  it.each([
    [['G1a'], ['G1a'], 'same'],
    [['G1a', 'duplicate'], ['G1a'], 'partial'],
    [['G1a'], ['G1a', 'lost-write'], 'partial'],
    [['G1a'], ['lost-write'], 'different'],
    [[], ['lost-write'], 'different'],
    [['G1a'], [], 'none'],
  ])('recorded %j, found %j: %s', (recorded, found, match) => {
    const c = compareAnomalies(recorded, found);
    expect(c.match).toBe(match);
    expect([...c.cameBack, ...c.missing].sort()).toEqual([...recorded].sort());
    expect(c.extra.every((t) => !recorded.includes(t) && found.includes(t))).toBe(true);
  });
});

describe('kafka-eos repro', () => {
  it('re-runs a failing run into DIR/repro-1, DIR/repro-2: the same anomaly types come back, exit 1', async () => {
    const dir = await modelRunDir(smallRun(3, 'read-uncommitted'));
    const recorded = verdictOf(dir).anomalyTypes;
    expect(recorded).toContain('G1a');
    const first = await repro(dir);
    expect(first.runDir).toBe(path.join(dir, 'repro-1'));
    expect(first.match).toBe('same');
    expect(first.found).toEqual(recorded);
    expect(reproExitCode(first)).toBe(EXIT.invalid);
    expect(describeRepro(first)).toMatch(/^REPRODUCED: the same anomaly types came back \(.*G1a/);
    expect(fs.readFileSync(path.join(first.runDir, 'program.json'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'program.json'), 'utf8'));
    expect(verdictOf(first.runDir).repro).toBe(verdictOf(dir).repro); // the seed line still regenerates it
    expect(await reproMain([dir])).toBe(EXIT.invalid);
    expect(fs.existsSync(path.join(dir, 'repro-2', 'verdict.json'))).toBe(true);
  });

  it('a valid run stays valid: exit 0', async () => {
    const dir = await modelRunDir(smallRun(1));
    expect(verdictOf(dir).valid).toBe(true);
    expect(await reproMain([dir])).toBe(EXIT.valid);
  });

  it('re-runs the recorded program, not the seed: an edited program is what runs, with a repro line naming DIR', async () => {
    const dir = await modelRunDir(smallRun(1));
    expect(verdictOf(dir).anomalyTypes).toEqual([]);
    const edited = { ...readRunDir(dir, 'test').program, mutate: 'read-uncommitted' };
    fs.writeFileSync(path.join(dir, 'program.json'), serializeProgram(edited));
    const run = readRunDir(dir, 'test');
    expect(run.fromSeed).toBe(false);
    expect(reproLineOf(run)).toBe(`npx kafka-eos repro ${dir}`);
    const r = await repro(dir);
    expect(r.found).toContain('G1a'); // the seed alone would have regenerated the valid program
    expect(r.match).toBe('different');
    expect(reproExitCode(r)).toBe(EXIT.invalid);
    expect(describeRepro(r)).toMatch(/^DIFFERENT ANOMALIES: .*G1a.* \(the recorded run had: none recorded\)/);
    expect(verdictOf(r.runDir).repro).toBe(`npx kafka-eos repro ${dir}`);
  });

  it('a directory without program.json is a usage error (exit 2) that says what to give', async () => {
    const empty = tempDir('empty');
    await expect(reproMain([empty])).rejects.toSatisfy((e: unknown) =>
      e instanceof CliError && e.exitCode === EXIT.usage && /holds no program\.json/.test(e.message));
    await expect(reproMain([path.join(empty, 'missing')])).rejects.toThrow(/does not exist/);
    await expect(reproMain([])).rejects.toThrow(/missing required argument 'dir'/);
  });

  it('exit 3 when the re-run could not finish and found nothing; anomalies win over an incomplete run', () => {
    const base = { found: [], recorded: ['G1a'], cameBack: [], missing: ['G1a'], extra: [], match: 'none' } as unknown as ReproResult;
    const v = (extra: Partial<RunVerdict>) => ({ outcome: 'valid', complete: true, ...extra }) as RunVerdict;
    expect(reproExitCode({ ...base, verdict: v({ outcome: 'harness-error', complete: false, harnessError: 'cluster did not come up' }) })).toBe(EXIT.harnessError);
    expect(reproExitCode({ ...base, verdict: v({ complete: false }) })).toBe(EXIT.harnessError);
    expect(reproExitCode({ ...base, found: ['G1a'], verdict: v({ outcome: 'anomalies', complete: false }) })).toBe(EXIT.invalid);
    expect(reproExitCode({ ...base, verdict: v({}) })).toBe(EXIT.valid);
  });

  it('freshSubdir counts past the highest existing repro-<n>', () => {
    const dir = tempDir('fresh');
    expect(freshSubdir(dir, 'repro')).toBe(path.join(dir, 'repro-1'));
    fs.mkdirSync(path.join(dir, 'repro-1'));
    fs.mkdirSync(path.join(dir, 'repro-7'));
    fs.mkdirSync(path.join(dir, 'repro-x'));
    expect(freshSubdir(dir, 'repro')).toBe(path.join(dir, 'repro-8'));
  });
});
