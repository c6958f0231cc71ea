// @ts-check
// The conformance replay (jepsen-style/conformance/) measured on its own: the same options as
// `npm run test:mutation` (stryker/all.config.mjs), but only the tests that load its modules
// (stryker/conformance.vitest.config.ts), so each run's initial test run takes seconds, not minutes.
// Its results are merged into stryker/incremental.json with stryker/merge-incremental.mjs
// (docs/testing.md). The incremental file is a working copy under out/mutation/ (pass
// --incrementalFile to use another), so that it never fights a full run over the committed one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { base } from './all.config.mjs';

const incrementalFile = 'out/mutation/conformance.incremental.json';
mkdirSync('out/mutation', { recursive: true });
if (!existsSync(incrementalFile) && existsSync('stryker/incremental.json')) {
  const report = JSON.parse(readFileSync('stryker/incremental.json', 'utf8'));
  report.files = Object.fromEntries(Object.entries(report.files).filter(([file]) => file.startsWith('jepsen-style/conformance/')));
  writeFileSync(incrementalFile, JSON.stringify(report));
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'stryker/conformance.vitest.config.ts', related: false },
  mutate: ['jepsen-style/conformance/**/*.ts', '!jepsen-style/conformance/**/*.test.ts'],
  incrementalFile,
  htmlReporter: { fileName: 'out/mutation/conformance.html' },
  jsonReporter: { fileName: 'out/mutation/conformance.json' },
  thresholds: { high: 90, low: 80, break: null },
};
