// @ts-check
// The mutation score per file and per scope from an incremental report, without running anything:
// the figures docs/testing.md quotes.
//   node stryker/scores.mjs [report.json = stryker/incremental.json]
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker counts it;
// ignored mutants (a `Stryker disable` comment, each listed with its reason in docs/) and runtime or
// compile errors are left out. A file whose recorded source is not the one on disk is marked `stale`:
// its mutants were measured on other code, and the next run retests what changed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const path = process.argv[2] ?? 'stryker/incremental.json';
const report = JSON.parse(readFileSync(path, 'utf8'));
const DETECTED = ['Killed', 'Timeout'], UNDETECTED = ['Survived', 'NoCoverage'];

/** @param {Record<string, number>} c */
const score = (c) => {
  const detected = DETECTED.reduce((n, s) => n + (c[s] ?? 0), 0), undetected = UNDETECTED.reduce((n, s) => n + (c[s] ?? 0), 0);
  return { detected, undetected, text: detected + undetected === 0 ? '-' : `${((100 * detected) / (detected + undetected)).toFixed(2)} %` };
};
const scopeOf = (/** @type {string} */ file) => file.split('/')[0];

/** @type {Record<string, Record<string, number>>} */
const scopes = {};
console.log(['file', 'score', 'killed', 'timeout', 'survived', 'no coverage', 'ignored', ''].join('\t'));
for (const file of Object.keys(report.files).sort()) {
  /** @type {Record<string, number>} */
  const c = {};
  for (const m of report.files[file].mutants) c[m.status] = (c[m.status] ?? 0) + 1;
  const scope = (scopes[scopeOf(file)] ??= {});
  for (const [s, n] of Object.entries(c)) scope[s] = (scope[s] ?? 0) + n;
  const stale = !existsSync(file) || readFileSync(file, 'utf8') !== report.files[file].source;
  console.log([file, score(c).text, c.Killed ?? 0, c.Timeout ?? 0, c.Survived ?? 0, c.NoCoverage ?? 0, c.Ignored ?? 0, stale ? 'stale' : ''].join('\t'));
}
// The checker's files (stryker/scope.mjs CHECKER) that have no result at all yet.
const checkerFiles = readdirSync('jepsen-style', { recursive: true, encoding: 'utf8' })
  .map((f) => `jepsen-style/${f}`)
  .filter((f) => /\.(ts|mjs)$/.test(f) && !f.endsWith('.test.ts') && !f.startsWith('jepsen-style/testing/'));
const unmeasured = checkerFiles.filter((f) => !(f in report.files)).sort();
if (unmeasured.length > 0) console.log(`no result yet (or no mutant): ${unmeasured.join(', ')}`);
for (const [scope, c] of Object.entries(scopes)) {
  const s = score(c);
  console.log(`${scope}/: ${s.text} (${s.detected} detected of ${s.detected + s.undetected}; ignored ${c.Ignored ?? 0})`);
}
