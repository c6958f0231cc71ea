// What StrykerJS mutates (docs/testing.md): the checker, jepsen-style/, but not its test helpers
// (testing/: they build histories for tests) nor its tests; the model's rules: the *.rules.ts
// decision tables and the guards of every machine (the `guards: { ... }` block of each
// `setup({...})`, found here by reading the file, so that the ranges follow the model's edits).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CHECKER = ['jepsen-style/**/*.ts', 'jepsen-style/**/*.mjs', '!jepsen-style/**/*.test.ts', '!jepsen-style/testing/**'];

/** The files of the verdict logic, read from the folders so that a new analysis joins by itself. */
function verdictFiles() {
  const dir = (d) => readdirSync(d).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort().map((n) => `${d}/${n}`);
  return ['jepsen-style/checker.ts', 'jepsen-style/rules.ts', 'jepsen-style/anomaly.ts', ...dir('jepsen-style/analysis'), ...dir('jepsen-style/graph')];
}

/**
 * CI's share: the whole verdict logic (what decides valid or invalid: checker.ts, rules.ts,
 * anomaly.ts, analysis/, graph/), every file measured at 90 % or more since 2026-12-08 (docs/testing.md),
 * with a result for every mutant in stryker/incremental.json, so CI retests only what a change touched.
 * The reader and the conformance replay are measured by the full run (the nightly).
 */
export const CHECKER_CORE = verdictFiles();

/** The whole verdict logic (what decides valid or invalid, without the file reading and threads). */
export const VERDICT_LOGIC = ['jepsen-style/checker.ts', 'jepsen-style/rules.ts', 'jepsen-style/anomaly.ts',
  'jepsen-style/analysis/**/*.ts', 'jepsen-style/graph/**/*.ts', '!jepsen-style/**/*.test.ts'];

/** `file:from-to` line ranges of each machine's `guards: { ... }` block. */
export function guardRanges(dir = 'model') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!/^\s*guards:\s*\{\s*$/.test(line)) return;
      let depth = 0;
      for (let j = i; j < lines.length; j++) {
        for (const c of lines[j]) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
        if (depth === 0) { out.push(`${dir}/${name}:${i + 2}-${j}`); return; }
      }
    });
  }
  return out;
}

export const MODEL_RULES = ['model/**/*.rules.ts', '!model/**/*.test.ts', ...guardRanges()];
