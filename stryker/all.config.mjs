// @ts-check
// `npm run test:mutation`: StrykerJS over the checker (jepsen-style/) and the model's rules, the
// nightly's share (docs/testing.md). Prints the score per file and writes the HTML report to
// out/mutation/. Incremental: mutants whose code and covering tests are unchanged since the committed
// stryker/incremental.json keep their result (`-- --force` retests everything).
import { CHECKER, MODEL_RULES } from './scope.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const base = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker/vitest.config.ts', related: false },
  // Each mutant runs only the tests that executed its code in the initial run.
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  // Stryker leaves out /reports (its default report folder) from the sandbox, and so the project's
  // reports/; nothing the mutated code or its tests load lives there.
  ignorePatterns: ['/out', '/runs', '/.tools', '/dist', '/test/integration', '/bin'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Two cores: one runner each. A mutant that loops forever is a timeout (counted as detected).
  concurrency: 2,
  timeoutMS: 10_000,
  incremental: true,
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: [...CHECKER, ...MODEL_RULES],
  incrementalFile: 'stryker/incremental.json',
  htmlReporter: { fileName: 'out/mutation/all.html' },
  jsonReporter: { fileName: 'out/mutation/all.json' },
  thresholds: { high: 90, low: 80, break: null },
};
