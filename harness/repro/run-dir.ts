// Reading back what an earlier run left in its directory: the program (required: without it there is
// nothing to re-run) and its verdict (optional: a crashed run may not have one). Shared by `repro`
// and `shrink`.
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../cli/exit-codes.ts';
import type { RunVerdict, Target } from '../run/verdict-file.ts';
import { generateProgram, readProgramFile, serializeProgram, type Program } from '../workload/index.ts';

export interface RecordedRun {
  dir: string;
  program: Program;
  verdict: RunVerdict | null;
  /** True when program.json is exactly the program its seed and options generate (not shrunk or edited). */
  fromSeed: boolean;
}

export function readRunDir(dir: string, command: string): RecordedRun {
  const programFile = path.join(dir, 'program.json');
  if (!fs.existsSync(programFile)) {
    const what = fs.existsSync(dir) ? `${dir} holds no program.json` : `${dir} does not exist`;
    throw usageError(`${command}: ${what}; give the directory of an earlier \`kafka-eos run\` (it holds program.json and verdict.json)`);
  }
  const program = readProgramFile(programFile);
  const verdictFile = path.join(dir, 'verdict.json');
  let verdict: RunVerdict | null = null;
  if (fs.existsSync(verdictFile)) {
    try {
      verdict = JSON.parse(fs.readFileSync(verdictFile, 'utf8')) as RunVerdict;
    } catch (error) {
      throw usageError(`${command}: ${verdictFile} is not valid JSON (${(error as Error).message}); remove it to re-run without the recorded verdict`);
    }
  }
  return { dir, program, verdict, fromSeed: isSeedProgram(program) };
}

export function isSeedProgram(program: Program): boolean {
  try {
    return serializeProgram(generateProgram(program.seed, program.options)) === serializeProgram(program);
  } catch {
    return false;
  }
}

/** The target the recorded run used; `kafka` when its verdict does not say. */
export const recordedTarget = (run: RecordedRun): Target => run.verdict?.target ?? 'kafka';

/** Anomaly types the recorded run found, from its verdict (empty without one). */
export const recordedAnomalies = (run: RecordedRun): string[] => [...(run.verdict?.anomalyTypes ?? [])].sort();

/** `DIR/<prefix>-<n>` with n one more than the highest already there. */
export function freshSubdir(dir: string, prefix: string): string {
  const taken = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const re = new RegExp(`^${prefix}-(\\d+)$`);
  const highest = Math.max(0, ...taken.map((name) => Number(re.exec(name)?.[1] ?? 0)));
  return path.join(dir, `${prefix}-${highest + 1}`);
}
