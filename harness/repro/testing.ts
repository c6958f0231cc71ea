// Test fixtures: real (model) run directories, made the way `kafka-eos run --target model` makes them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { programFor, reproCommand, type RunSettings as ParsedRun } from '../run/settings.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/image.ts';
import { runProgram } from '../run/run.ts';

export const tempDir = (name: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `kafka-eos-${name}-`));

/** Small, fast model runs: `read-uncommitted` seed 3 finds G1a and precommitted-read; no mutation is valid. */
export function smallRun(seed: number, mutate: string | null = null): ParsedRun {
  return mutate === null
    ? { seed, target: 'model', timeLimitSeconds: 1, nemesis: [], mutate, kafkaVersion: DEFAULT_KAFKA_VERSION, txnVersion: 2,
      rateHz: undefined, workers: undefined, nemesisIntervalSeconds: undefined, out: undefined, clientFixes: [], workload: 'standard' }
    : { seed, target: 'model', timeLimitSeconds: 2, nemesis: [], mutate, kafkaVersion: DEFAULT_KAFKA_VERSION, txnVersion: 2,
      rateHz: 20, workers: 2, nemesisIntervalSeconds: undefined, out: undefined, clientFixes: [], workload: 'standard' };
}

export async function modelRunDir(parsed: ParsedRun, dir = tempDir(`run-${parsed.seed}`)): Promise<string> {
  await runProgram({ program: programFor(parsed), target: 'model', outDir: dir, kafkaVersion: DEFAULT_KAFKA_VERSION,
    repro: reproCommand(parsed), log: () => {}, progress: () => {} });
  return dir;
}
