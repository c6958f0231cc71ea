// @ts-check
// `npm run test:mutation:checker`, CI's share (.ci/run): the checker's verdict logic only, failing
// below the break threshold. It starts from the committed stryker/incremental.json (the full run's
// results, same tests), so only mutants whose code or covering tests changed since are tested again;
// it works on a copy under out/mutation/, so that this partial run never overwrites the full run's
// file. Whoever changes the checker refreshes stryker/incremental.json with `npm run test:mutation`
// and commits it (docs/testing.md), or CI pays for the difference.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { base } from './all.config.mjs';
import { CHECKER_CORE } from './scope.mjs';

// Only CI's files: Stryker reports (and holds to the threshold) every file of its incremental file,
// also those it was not asked to mutate.
const incrementalFile = 'out/mutation/checker.incremental.json';
mkdirSync('out/mutation', { recursive: true });
if (existsSync('stryker/incremental.json')) {
  const report = JSON.parse(readFileSync('stryker/incremental.json', 'utf8'));
  report.files = Object.fromEntries(Object.entries(report.files).filter(([file]) => CHECKER_CORE.includes(file)));
  writeFileSync(incrementalFile, JSON.stringify(report));
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: CHECKER_CORE,
  incrementalFile,
  htmlReporter: { fileName: 'out/mutation/checker.html' },
  jsonReporter: { fileName: 'out/mutation/checker.json' },
  thresholds: { high: 90, low: 80, break: 90 },
};
