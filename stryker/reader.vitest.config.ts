import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import full, { CHILD_PROCESS_TESTS, STATIC_COVERAGE_TESTS, WORKER_ONLY_TESTS } from './vitest.config.ts';

// The tests of stryker/reader.config.mjs: those of the full mutation run (stryker/vitest.config.ts)
// that call the reader and the other files of that config. Found by following every relative import
// of each test file of the full set, then checking which tests call them:
// - the reader, the fast scanner, the tape, reader-pool.ts, check-file.ts: called by the reader's own
//   tests (reader*, fast-scan*, scan-*, json-keys*), by edge-cases.test.ts and recorded-fixtures.test.ts
//   (histories checked from text and from files, serially and through worker threads), by
//   analysis/ops.definition.test.ts (the op table built from scanned lines) and properties/checker.test.ts
//   (generated histories read back);
// - threads.ts (startWorker runs in the caller's thread): checker.verdict.test.ts's
//   checkOpTableInParallel; thread-policy.ts: the readers above (they ask it whether threads pay);
// - anomaly-meanings.ts, history.ts, program-file.ts, compiled-cli.mjs: their own in-thread tests only.
// Every other test of the full set (the verdict logic's, graph/, conformance/, the model's) builds
// histories as objects and never calls a reader: at most it loads fast-scan.ts and scan-shape.ts,
// for the constants analysis/ops.ts names in `addScanned`, which they never call. So a mutant of these
// files, even a static one (a module-level table such as the scanner's literals), changes nothing
// they execute, and under perTest coverage a test that never executes a mutant never runs against
// it: leaving them out changes no result and saves their share of the initial test run (and every
// static mutant's run over all tests). Left out as in the full config: tests that run the code in a
// child process or a worker thread (check-cli, compiled-cli.test.ts's CLI runs, check-parallel: they
// never see a mutant) and tests that make mutants static with a beforeAll (contract, program-file.test.ts).
export const READER_TESTS = [
  'jepsen-style/reader*.test.ts', 'jepsen-style/chunk-scan*.test.ts', 'jepsen-style/fast-scan*.test.ts', 'jepsen-style/scan-*.test.ts', 'jepsen-style/json-keys*.test.ts',
  'jepsen-style/edge-cases.test.ts', 'jepsen-style/recorded-fixtures.test.ts', 'jepsen-style/analysis/ops.definition.test.ts',
  'properties/checker.test.ts', 'jepsen-style/checker.verdict.test.ts', 'jepsen-style/thread*.test.ts', 'jepsen-style/check-file*.test.ts',
  'jepsen-style/anomaly-meanings*.test.ts', 'jepsen-style/history*.test.ts', 'jepsen-style/program-file.*.test.ts',
  'jepsen-style/compiled-cli.*.test.ts',
];

/**
 * `READER_TESTS=glob,glob` narrows further (e.g. to anomaly-meanings.test.ts for anomaly-meanings.ts,
 * whose table mutants are static); `READER_QUICK=1` leaves out the slow tests below (worker threads,
 * whole recorded histories, properties). A mutant only a left-out test would kill then survives, so a
 * narrowed score is a lower bound of the full one (docs/mutation/reader.md says which runs were
 * narrowed, and to what). On this shared machine a surviving mutant of the reader ran all 172 tests
 * (1.5 to 2 minutes); narrowed, the in-thread tests that state the reader's rules.
 */
const include = process.env.READER_TESTS?.split(',') ?? READER_TESTS;

/**
 * Tests that start worker threads, read files through them or check whole histories: against a mutant
 * they run last. The reader's in-thread tests go first, the hand-made cases before the properties and
 * the builds (MEDIUM: seconds each), so that a mutant (above all a static one, which runs every test)
 * dies at the quick test that states its rule before the slow ones start.
 */
const MEDIUM = /\/(fast-scan\.edits|chunk-scan|compiled-cli\.launcher)\.test\.ts$/;
export const SLOW = /\/(edge-cases|recorded-fixtures|checker\.verdict|check-file|reader-pool)\.test\.ts$|\/properties\//;

const SLOW_TESTS = ['edge-cases', 'recorded-fixtures', 'checker.verdict', 'check-file', 'reader-pool'].map((name) => `jepsen-style/${name}.test.ts`)
  .concat('properties/**');

class QuickReaderTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: string) => (SLOW.test(file) ? 2 : MEDIUM.test(file) ? 1 : 0);
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    ...full.test,
    sequence: { sequencer: QuickReaderTestsFirst },
    include,
    exclude: [...CHILD_PROCESS_TESTS, ...WORKER_ONLY_TESTS, ...STATIC_COVERAGE_TESTS, ...(process.env.READER_QUICK === '1' ? SLOW_TESTS : [])],
  },
});
