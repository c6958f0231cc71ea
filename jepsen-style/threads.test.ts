// How a worker thread is started (threads.ts): from the bundle (compiled-cli.mjs) the worker is the .js
// file next to the chunk that starts it; from source it is the .ts file, imported by a script that
// first registers tsx in the new thread (Node 20 ignores --import in a worker's execArgv).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startWorker, workerSource } from './threads.ts';

describe('workerSource', () => {
  it('from a bundled chunk: the worker\'s .js file beside it', () => {
    expect(workerSource('parse-worker', 'file:///opt/h/dist/check/b-1-2/chunk-X7.js')).toEqual({ url: new URL('file:///opt/h/dist/check/b-1-2/parse-worker.js') });
    expect(workerSource('cycle-worker', 'file:///opt/h/dist/check/b-1-2/main.js')).toEqual({ url: new URL('file:///opt/h/dist/check/b-1-2/cycle-worker.js') });
  });

  it('from source: a script that registers tsx\'s API, then imports the worker\'s .ts file beside this one', () => {
    const how = workerSource('cycle-worker', import.meta.url) as { script: string };
    const [, api, source] = /^import\((".*?")\)\.then\(\(tsx\) => \{ tsx\.register\(\); return import\((".*?")\); \}\)$/.exec(how.script) ?? [];
    expect(JSON.parse(source!)).toBe(new URL('./cycle-worker.ts', import.meta.url).href);
    expect(JSON.parse(api!)).toMatch(/\/node_modules\/tsx\/dist\/esm\/api\/index\.mjs$/);
    expect(existsSync(fileURLToPath(JSON.parse(api!)))).toBe(true);
  });
});

describe('startWorker', () => {
  it('starts the named worker from source, which runs its own file (a parse worker without a file fails naming it)', async () => {
    const w = startWorker('parse-worker', { path: '/nonexistent/history.jsonl', size: 10, chunk: 10, chunks: 1, first: 0, step: 1, window: 1 });
    const error = await new Promise<Error>((resolve) => w.once('error', resolve));
    expect(error.message).toMatch(/ENOENT.*\/nonexistent\/history\.jsonl/);
    await w.terminate();
  });
});
