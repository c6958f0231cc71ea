// Plain JavaScript on purpose: it runs before any TypeScript loader exists. `kafka-eos check` is
// timed by users on large histories, and loading the CLI through tsx (a loader thread, a transpile
// round trip per module) costs about 0.4 CPU s per check, half the time of a 100k-op check. So the
// launcher runs `check` from one esbuild bundle of harness/cli/main.ts (split at its dynamic
// imports; the checker's worker threads run parse-worker.js and cycle-worker.js from the same build).
// The bundle is built at install (`npm ci` runs the `prepare` script: scripts/build-check-bundle.mjs)
// into dist/check/, never at run time: an installed harness may live in a read-only place, and nothing
// is written into node_modules. At run time it is used only while every source it was built from is
// unchanged (size and mtime); after an edit the launcher runs the sources through tsx until
// `npm run build` rebuilds it.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function bundleDir(root) {
  return join(root, 'dist', 'check');
}

/** file URL of the bundled CLI entry (harness/cli/main.ts), up to date with the sources; or undefined. */
export function compiledCli(root) {
  try {
    const cache = bundleDir(root);
    // Stryker disable next-line StringLiteral: without an encoding the file is a Buffer, which JSON.parse reads as UTF-8 all the same
    const current = JSON.parse(readFileSync(join(cache, 'current.json'), 'utf8'));
    if (upToDate(root, current.inputs) && existsSync(join(cache, current.dir, 'main.js'))) {
      return pathToFileURL(join(cache, current.dir, 'main.js')).href;
    }
  } catch {
    // no bundle, or an unreadable one: the sources it is
  }
  return undefined;
}

/**
 * The sources of the outputs `check` loads (the entry, the check command's chunk, the workers, and
 * what they import statically): other engineers' edits elsewhere (run, cluster, ...) leave the
 * bundle as it is, since `check` never loads those chunks.
 */
function checkInputs(metafile) {
  const roots = new Set(['harness/cli/main.ts', 'harness/cli/check.ts', 'jepsen-style/parse-worker.ts', 'jepsen-style/cycle-worker.ts']);
  const outputs = metafile.outputs;
  const todo = Object.keys(outputs).filter((o) => roots.has(outputs[o].entryPoint));
  const seen = new Set(todo), files = new Set();
  while (todo.length > 0) {
    const out = outputs[todo.pop()];
    for (const file of Object.keys(out.inputs)) files.add(file);
    for (const i of out.imports) {
      // Stryker disable next-line CallExpression: without seen.add a chunk imported twice is visited twice, adding the same inputs (esbuild's chunks import no cycle)
      if (i.kind === 'import-statement' && outputs[i.path] && !seen.has(i.path)) { seen.add(i.path); todo.push(i.path); }
    }
  }
  return files;
}

function signature(path) {
  const s = statSync(path);
  return `${s.size}:${s.mtimeMs}`;
}

function upToDate(root, inputs) {
  for (const [file, sig] of Object.entries(inputs)) {
    let now;
    // Stryker disable next-line BlockStatement: with the try block emptied, now stays undefined, which is no signature: false all the same
    try { now = signature(resolve(root, file)); } catch { return false; }
    if (now !== sig) return false;
  }
  return true;
}

/** Builds the bundle into dist/check/ (the install step); answers the entry's file URL. */
export async function buildCompiledCli(root) {
  const cache = bundleDir(root);
  const pointer = join(cache, 'current.json');
  const { build: esbuild } = await import('esbuild');
  // Signatures are taken before the build reads the files: a file edited during the build then
  // looks changed next time, never the other way round.
  const before = new Map();
  const dir = `b-${process.pid}-${Date.now()}`;
  mkdirSync(join(cache, dir), { recursive: true });
  const result = await esbuild({
    entryPoints: { main: join(root, 'harness', 'cli', 'main.ts'), 'parse-worker': join(root, 'jepsen-style', 'parse-worker.ts'), 'cycle-worker': join(root, 'jepsen-style', 'cycle-worker.ts') }, outdir: join(cache, dir),
    bundle: true, splitting: true, packages: 'external', absWorkingDir: root, metafile: true, tsconfig: join(root, 'tsconfig.json'),
    // Stryker disable next-line StringLiteral: the sources import only node: built-ins (external on any platform) and packages (external)
    platform: 'node',
    // Stryker disable next-line StringLiteral: esm is esbuild's format when splitting, and the target only lowers syntax newer than Node 20, which the sources do not use
    format: 'esm', target: 'node20',
    // Stryker disable next-line StringLiteral: only what esbuild prints
    logLevel: 'silent',
    // Stryker disable next-line all: differs from the signature taken after the build (below) only for a file edited while the build runs
    plugins: [{ name: 'signatures', setup(b) { b.onLoad({ filter: /.*/ }, (args) => { before.set(args.path, signature(args.path)); return undefined; }); } }],
  });
  const inputs = {};
  for (const file of checkInputs(result.metafile)) {
    const abs = resolve(root, file);
    // Stryker disable next-line LogicalOperator: as the plugin above, only for a file edited while the build runs
    inputs[relative(root, abs)] = before.get(abs) ?? signature(abs);
  }
  // Another process may build at the same time: each writes its own directory, and the pointer
  // is replaced atomically, so a reader sees one complete build or the other.
  const tmp = `${pointer}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ dir, inputs }));
  renameSync(tmp, pointer);
  // Older builds may still be loading their chunks in a running check: only day-old ones go.
  for (const old of readdirSync(cache)) {
    const path = join(cache, old);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BooleanLiteral: the build just made is never a day old; a day to the
    // millisecond is no edge a test can time; force only matters when another process removes the same directory meanwhile
    if (old.startsWith('b-') && old !== dir && Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
  return pathToFileURL(join(cache, dir, 'main.js')).href;
}
