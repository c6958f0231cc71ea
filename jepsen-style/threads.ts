// Starts the checker's worker threads (parse-worker.ts, cycle-worker.ts) from wherever this code
// runs: bundled by compiled-cli.mjs, the workers are .js files next to this module's chunk; run
// from source (tsx, vitest), they are TypeScript and need tsx registered in the new thread.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerName = 'parse-worker' | 'cycle-worker';

export function startWorker(name: WorkerName, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  // Node 20 ignores `--import tsx` in a worker's execArgv, and tsx's loader registers itself only on
  // the main thread; its API registers anywhere (the API's ESM entry, as tsx's package.json exports it).
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = JSON.stringify(pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href);
  const source = JSON.stringify(new URL(`./${name}.ts`, import.meta.url).href);
  return new Worker(`import(${api}).then((tsx) => { tsx.register(); return import(${source}); })`, { eval: true, workerData });
}
