// @ts-check
// The rest of the verdict logic, measured file by file (docs/testing.md): the full run's options with
// the tests that can reach these files only (stryker/verdict.vitest.config.ts), and an incremental file
// of its own, so that a run never fights another one over stryker/incremental.json. Its results go
// into the committed file with `node stryker/merge-incremental.mjs out/mutation/verdict.incremental.json`.
//   bash scripts/node-lts.sh npx stryker run stryker/verdict.config.mjs --mutate jepsen-style/anomaly.ts
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { base } from './all.config.mjs';
import { VERDICT_LOGIC } from './scope.mjs';

const incrementalFile = 'out/mutation/verdict.incremental.json';
mkdirSync('out/mutation', { recursive: true });
if (!existsSync(incrementalFile) && existsSync('stryker/incremental.json')) copyFileSync('stryker/incremental.json', incrementalFile);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'stryker/verdict.vitest.config.ts', related: false },
  mutate: VERDICT_LOGIC,
  incrementalFile,
  htmlReporter: { fileName: 'out/mutation/verdict.html' },
  jsonReporter: { fileName: 'out/mutation/verdict.json' },
  thresholds: { high: 90, low: 80, break: null },
};
