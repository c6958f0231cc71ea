// The repro line printed by `run` and stored in verdict.json must regenerate the very same program when
// pasted: parse it back with the run command's own flag parser and compare program.json bytes.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseRunFlags } from '../cli/run.ts';
import { MUTATIONS, WORKLOADS, programFor, reproCommand, type RunSettings as ParsedRun } from '../run/settings.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/image.ts';
import { CLIENT_FIXES } from '../kafka-runner/client-fixes.ts';
import { NEMESIS_FAMILIES, serializeProgram } from '../workload/index.ts';

const parsedRunArb: fc.Arbitrary<ParsedRun> = fc.record({
  seed: fc.integer({ min: 0, max: 0xffff_ffff }),
  target: fc.constantFrom('model', 'kafka', 'both'),
  timeLimitSeconds: fc.integer({ min: 1, max: 4 }),
  nemesis: fc.subarray([...NEMESIS_FAMILIES]),
  mutate: fc.option(fc.constantFrom(...MUTATIONS), { nil: null }),
  kafkaVersion: fc.constantFrom(DEFAULT_KAFKA_VERSION, '3.9.2'),
  txnVersion: fc.constantFrom(1 as const, 2 as const),
  rateHz: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  workers: fc.option(fc.integer({ min: 2, max: 8 }), { nil: undefined }),
  nemesisIntervalSeconds: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  out: fc.constant(undefined),
  clientFixes: fc.subarray([...CLIENT_FIXES]),
  workload: fc.constantFrom(...WORKLOADS),
}).map((p): ParsedRun => ({
  // Only settings the command line accepts: it refuses flags that cannot apply.
  ...p,
  ...(p.target === 'model' ? { kafkaVersion: DEFAULT_KAFKA_VERSION, clientFixes: [] } : {}),
  ...(p.nemesis.length === 0 && p.workload === 'standard' ? { nemesisIntervalSeconds: undefined } : {}),
}));

const argvOf = (line: string): string[] => {
  expect(line.startsWith('npx kafka-eos run ')).toBe(true);
  return line.slice('npx kafka-eos run '.length).split(' ');
};

describe('the repro line round-trips through the run flags', () => {
  test.prop([parsedRunArb], { numRuns: 25 })('parseRunFlags(reproCommand(p)) gives p and the same program bytes', (p) => {
    const back = parseRunFlags('run', argvOf(reproCommand(p)));
    expect(back).toEqual({ ...p, out: undefined });
    expect(serializeProgram(programFor(back))).toBe(serializeProgram(programFor(p)));
  });

  it('a flag the line dropped would change the program: the comparison can fail', () => {
    const p: ParsedRun = { seed: 7, target: 'model', timeLimitSeconds: 2, nemesis: ['kill'], mutate: null, kafkaVersion: DEFAULT_KAFKA_VERSION,
      txnVersion: 2, rateHz: 50, workers: 3, nemesisIntervalSeconds: 1, out: undefined, clientFixes: [], workload: 'standard' };
    const lossy = reproCommand(p).replace(' --workers 3', '');
    expect(serializeProgram(programFor(parseRunFlags('run', argvOf(lossy))))).not.toBe(serializeProgram(programFor(p)));
  });
});
