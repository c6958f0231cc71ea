// Starts the checker's worker threads (parse-worker.ts, cycle-worker.ts) from wherever this code
// runs: bundled by compiled-cli.mjs, the workers are .js files next to this module's chunk; run
// from source (tsx, vitest), they are TypeScript and need tsx registered in the new thread.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerName = 'parse-worker' | 'cycle-worker';

/**
 * What starts worker `name` from the module at `moduleUrl`: the worker's .js file next to a bundled
 * chunk, or, from a .ts source, a script that registers tsx and then imports the worker's .ts file.
 */
export function workerSource(name: WorkerName, moduleUrl: string): { url: URL } | { script: string } {
  if (!moduleUrl.endsWith('.ts')) return { url: new URL(`./${name}.js`, moduleUrl) };
  // Node 20 ignores `--import tsx` in a worker's execArgv, and tsx's loader registers itself only on
  // the main thread; its API registers anywhere (the API's ESM entry, as tsx's package.json exports it).
  const tsxDir = dirname(createRequire(moduleUrl).resolve('tsx/package.json'));
  const api = JSON.stringify(pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href);
  const source = JSON.stringify(new URL(`./${name}.ts`, moduleUrl).href);
  return { script: `import(${api}).then((tsx) => { tsx.register(); return import(${source}); })` };
}

export function startWorker(name: WorkerName, workerData: unknown): Worker {
  const how = workerSource(name, import.meta.url);
  // Stryker disable next-line StringLiteral,ObjectLiteral: from source (every test's case) the answer is a script; the bundle's branch runs only in compiled-cli.test.ts's child process
  return 'url' in how ? new Worker(how.url, { workerData }) : new Worker(how.script, { eval: true, workerData });
}
