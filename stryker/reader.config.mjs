// @ts-check
// The history reader and the rest of jepsen-style/ outside the verdict logic and the replay (the
// reader, the fast scanner and its tape, the worker-thread plumbing, the program file, the anomaly
// sentences, the bundled CLI's launcher), measured on their own: the full run's options
// (stryker/all.config.mjs) with only the tests that can reach these files
// (stryker/reader.vitest.config.ts), and an incremental file of its own, so that a run never fights
// another one over stryker/incremental.json. Its results go into the committed file with
// `node stryker/merge-incremental.mjs out/mutation/reader.incremental.json`.
//   bash scripts/node-lts.sh npx stryker run stryker/reader.config.mjs --mutate jepsen-style/json-keys.ts
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { base } from './all.config.mjs';

/** The files of this config (docs/mutation/reader.md). */
export const READER_FILES = ['fast-scan', 'reader', 'program-file', 'scan-bytes', 'scan-tape', 'anomaly-meanings', 'json-keys',
  'scan-shape', 'chunk-scan', 'parse-worker', 'reader-pool', 'thread-policy', 'threads', 'check-file', 'history', 'cycle-worker', 'program-info', 'index']
  .map((name) => `jepsen-style/${name}.ts`).concat('jepsen-style/compiled-cli.mjs');

const incrementalFile = 'out/mutation/reader.incremental.json';
mkdirSync('out/mutation', { recursive: true });
if (!existsSync(incrementalFile) && existsSync('stryker/incremental.json')) copyFileSync('stryker/incremental.json', incrementalFile);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'stryker/reader.vitest.config.ts', related: false },
  mutate: READER_FILES,
  incrementalFile,
  htmlReporter: { fileName: 'out/mutation/reader.html' },
  jsonReporter: { fileName: 'out/mutation/reader.json' },
  thresholds: { high: 90, low: 80, break: null },
};
