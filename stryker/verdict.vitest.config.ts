import { defineConfig } from 'vitest/config';
import full, { CHILD_PROCESS_TESTS, STATIC_COVERAGE_TESTS, WORKER_ONLY_TESTS } from './vitest.config.ts';

// The tests of stryker/verdict.config.mjs: those of stryker/vitest.config.ts that can reach the verdict
// logic (checker.ts, rules.ts, anomaly.ts, analysis/, graph/). Left out, besides what the full config
// leaves out: the model's tests and properties (model/, properties/model.*: nothing of theirs imports
// jepsen-style/) and conformance/ (it imports only types of the checker). Under perTest coverage a
// test that never executes a mutant never runs against it, so leaving these out changes no mutant's
// result; it saves their share of the initial test run.
export const VERDICT_TESTS = ['jepsen-style/**/*.test.ts', 'properties/checker.test.ts'];

/**
 * `VERDICT_TESTS=glob,glob` narrows further, e.g. to the graph's tests for graph/: a mutant that only
 * left-out tests would kill then survives, so a narrowed score is a lower bound of the full one
 * (docs/testing.md says which runs were narrowed, and to what).
 */
const include = process.env.VERDICT_TESTS?.split(',') ?? VERDICT_TESTS;

export default defineConfig({
  test: {
    ...full.test,
    include,
    exclude: [...CHILD_PROCESS_TESTS, ...WORKER_ONLY_TESTS, ...STATIC_COVERAGE_TESTS, 'jepsen-style/conformance/**'],
  },
});
