// @ts-check
// Merges the results of some files from one Stryker incremental report into another, e.g. CI's share
// measured with `npm run test:mutation:checker` (out/mutation/checker.incremental.json) back into the
// committed stryker/incremental.json, which that run never writes (docs/testing.md).
//   node stryker/merge-incremental.mjs <from.json> [into.json = stryker/incremental.json]
// Each file of <from> replaces the same file of <into>; the other files of <into> are kept. Test ids
// are numbers local to a report, so the killing and covering tests of the merged mutants are mapped
// through (test file, test name); tests <into> lacks are added, and test files of <from> replace
// those of <into> (their tests and source are the newer ones).
// `--files a,b,...` (paths or folder prefixes) takes only those source files from <from>: a run with
// `--mutate` writes every file of its incremental file back with the source as it found it on disk, but
// keeps the old results of the files it did not mutate, so only the mutated files' results are new.
// A test file of <from> replaces <into>'s only when <from>'s is the one on disk or <into>'s is not: the
// test files are the ones the run's initial test run read, so that part is exact.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const filesAt = args.indexOf('--files');
const only = filesAt < 0 ? undefined : args.splice(filesAt, 2)[1]?.split(',');
const [fromPath, intoPath = 'stryker/incremental.json'] = args;
if (!fromPath || (only && only.length === 0)) throw new Error('usage: node stryker/merge-incremental.mjs <from.json> [into.json] [--files path,folder/,...]');
const wanted = (file) => only === undefined || only.some((o) => file === o || (o.endsWith('/') && file.startsWith(o)));
const from = JSON.parse(readFileSync(fromPath, 'utf8'));
const into = JSON.parse(readFileSync(intoPath, 'utf8'));

/** id → "file\0name" of one report. */
const keysOf = (report) => {
  const keys = new Map();
  for (const [file, tf] of Object.entries(report.testFiles ?? {})) for (const t of tf.tests) keys.set(t.id, `${file}\0${t.name}`);
  return keys;
};
const oldKeys = keysOf(into), fromKeys = keysOf(from);
const onDisk = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
/** Whether <from>'s entry of a file replaces <into>'s (see the header). */
const takes = (file, fromEntry, intoEntry) => intoEntry === undefined || fromEntry.source === onDisk(file) || intoEntry.source !== onDisk(file);
const pick = (fromMap = {}, intoMap = {}) => {
  const out = { ...intoMap };
  for (const [file, entry] of Object.entries(fromMap)) if (takes(file, entry, intoMap[file])) out[file] = entry;
  return out;
};
// Test files: ids are renumbered over the union so that none collide.
const testFiles = pick(from.testFiles, into.testFiles);
const fromTestFile = new Set(Object.keys(from.testFiles ?? {}).filter((file) => testFiles[file] === from.testFiles[file]));
const idOf = new Map();
let next = 0;
for (const tf of Object.values(testFiles)) {
  tf.tests = tf.tests.map((t) => ({ ...t, id: String(next++) }));
}
for (const [file, tf] of Object.entries(testFiles)) for (const t of tf.tests) idOf.set(`${file}\0${t.name}`, t.id);
const remap = (keys) => (ids) => ids?.map((id) => idOf.get(keys.get(id))).filter((id) => id !== undefined);
const files = { ...into.files };
for (const [file, f] of Object.entries(from.files)) if (wanted(file)) files[file] = f;
const taken = Object.keys(from.files).filter((file) => files[file] === from.files[file]);
if (only) for (const o of only) if (!taken.some((file) => file === o || (o.endsWith('/') && file.startsWith(o)))) throw new Error(`--files ${o}: no such file in ${fromPath}`);
for (const [file, f] of Object.entries(files)) {
  const map = remap(taken.includes(file) ? fromKeys : oldKeys);
  f.mutants = f.mutants.map((m) => ({ ...m, ...(m.killedBy && { killedBy: map(m.killedBy) }), ...(m.coveredBy && { coveredBy: map(m.coveredBy) }) }));
}
writeFileSync(intoPath, JSON.stringify({ ...into, files, testFiles }, null, 2));
console.log(`merged ${taken.length} file(s) of ${fromPath} into ${intoPath}; test files taken: ${fromTestFile.size}`);
