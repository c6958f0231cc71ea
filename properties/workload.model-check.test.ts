// End to end without Kafka: a generated program run against the model, judged by the checker. The
// model is Kafka without bugs, so correct clients give valid histories; the client mutations that
// break exactly-once must make the same pipeline report the anomalies they cause.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { checkHistoryFile } from '../jepsen-style/check-file.ts';
import { runModel } from '../harness/model-runner/index.ts';
import { generateProgram, MAX_SEED, type ProgramOptions } from '../harness/workload/index.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-model-check-'));
let runs = 0;
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function verdictOf(seed: number, options: ProgramOptions) {
  const r = await runModel(generateProgram(seed, options), path.join(root, String(runs++)));
  return (await checkHistoryFile(r.historyPath, { program: r.programInfo })).verdict;
}

const base: ProgramOptions = { timeLimitMs: 1_500, nemesis: ['partition', 'kill', 'pause'], nemesisIntervalMs: 400 };

describe('model runs judged by the checker', () => {
  test.prop([fc.integer({ min: 0, max: MAX_SEED })], { numRuns: 2 })('correct clients on the model give valid histories', async (seed) => {
    const v = await verdictOf(seed, base);
    expect(v.invalidTypes).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.stats.ok).toBeGreaterThan(100);
  });

  const mutants: Array<[string, string]> = [
    ['read-uncommitted', 'G1a'],
    ['unfenced-zombie', 'zombie-write'],
    ['offsets-outside-txn', 'ctp-lost-input'],
  ];
  for (const [mutate, anomaly] of mutants) {
    test(`--mutate ${mutate} is caught (${anomaly})`, async () => {
      const v = await verdictOf(11, { timeLimitMs: 1_500, mutate });
      expect(v.valid).toBe(false);
      expect(v.anomalyTypes).toContain(anomaly);
    });
  }
});
