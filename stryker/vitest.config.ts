import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (stryker/*.config.mjs): the unit tests and properties of
// the checker and of the model. Left out (docs/testing.md says why, with the evidence): tests that
// check through a child process (the CLI from source, its bundle) and the one that compares the cycle
// search in a worker thread with the same search in this one. Stryker activates a mutant in the
// test's own thread, so neither ever sees one; they would only cost time.
export const CHECKER_TESTS = ['jepsen-style/**/*.test.ts', 'properties/checker.test.ts'];
export const MODEL_TESTS = ['model/**/*.test.ts', 'properties/model.*.test.ts'];
export const CHILD_PROCESS_TESTS = ['jepsen-style/check-cli.test.ts', 'jepsen-style/compiled-cli.test.ts'];
export const WORKER_ONLY_TESTS = ['jepsen-style/check-parallel.test.ts'];
/**
 * Checks JSON Schemas against the outputs of whole model runs made in a `beforeAll`. Code run outside a
 * test makes every mutant it reaches *static* for Stryker, which then runs every test against each of
 * them (with a fresh module load): with this file in, all 143 unmeasured mutants of read-cases,
 * order-cases and versions were static and none was done after a minute. What it checks is the
 * output's shape, which the checker's own tests pin too. program-file.test.ts makes a whole model run in a
 * `beforeAll` the same way: with it in, 350 of the model rules' 590 mutants were static (a run estimated
 * at 4 h 29 min). Its three tests of reading a program file then do not count for the score (docs/testing.md).
 */
export const STATIC_COVERAGE_TESTS = ['jepsen-style/contract.test.ts', 'jepsen-style/program-file.test.ts'];

/** Lower runs first: hand-made histories, then the reader's tests, then generated ones (properties). */
const rank = (file: string): number =>
  file.includes('/properties/') ? 3 : /\/(reader|reader-pool|fast-scan|conformance)\b/.test(file) ? 2 : 1;

/**
 * Vitest runs the slowest files first by default; against a mutant, with bail, the quick hand-made
 * cases usually fail first and end the run, so they go first (a surviving mutant runs everything).
 */
class QuickCasesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    include: [...CHECKER_TESTS, ...MODEL_TESTS],
    exclude: [...CHILD_PROCESS_TESTS, ...WORKER_ONLY_TESTS, ...STATIC_COVERAGE_TESTS],
    sequence: { sequencer: QuickCasesFirst },
    setupFiles: ['stryker/fixed-seed.ts'],
    testTimeout: 60_000,
  },
});
