import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The tests that reach jepsen-style/conformance/ among those of the full mutation run
// (stryker/vitest.config.ts): only the conformance replay's own tests import it (directly or through
// jepsen-style/index.ts, which no other test of that set imports). Every other test of the full set
// never loads a conformance module, so it cannot kill one of its mutants (docs/testing.md); leaving
// them out only saves the initial test run. Same setup, sequencer and timeout as the full run.
export const CONFORMANCE_TESTS = ['jepsen-style/conformance/**/*.test.ts'];

export default defineConfig({
  test: { ...base.test, include: CONFORMANCE_TESTS, exclude: [] },
});
