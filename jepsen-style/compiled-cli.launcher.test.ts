// The launcher's rules for the bundled `check` (compiled-cli.mjs), in this thread, on a small project
// made here: the install step bundles the check command's sources into a build directory of its own and
// points dist/check/current.json at it with the size and mtime of every source `check` loads; at run
// time the bundle is used only while each of those is unchanged and its entry exists, else the launcher
// falls back to the sources (undefined). Edits elsewhere (another command's chunk) keep the bundle;
// a build removes only other builds a day old. compiled-cli.test.ts runs the real bundle in a child
// process (left out of the mutation run: a child process never sees a mutant).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript (it runs before any TypeScript loader), without type declarations
import { buildCompiledCli, bundleDir, compiledCli } from './compiled-cli.mjs';

const FILES: Record<string, string> = {
  'tsconfig.json': '{}',
  'harness/cli/main.ts': "export const main = async (c: string) => (c === 'check' ? import('./check.ts') : import('./run.ts'));\n",
  'harness/cli/check.ts': "import { existsSync } from 'node:fs';\nimport { read } from '../../jepsen-style/reader.ts';\nexport const check = () => (existsSync('.') ? read() : '');\n",
  // A package stays a package (resolved from node_modules when run), never bundled in.
  'harness/cli/run.ts': "import { runOnly } from '../run/only.ts';\nimport { register } from 'tsx/esm/api';\nexport const run = () => [runOnly(), register];\n",
  'harness/run/only.ts': "export const runOnly = () => 'run';\n",
  'jepsen-style/reader.ts': "import { scan } from './scan.ts';\nexport const read = () => scan();\n",
  'jepsen-style/scan.ts': "export const scan = () => 'scanned';\n",
  'jepsen-style/parse-worker.ts': "import { scan } from './scan.ts';\nscan();\n",
  'jepsen-style/cycle-worker.ts': "import { cycles } from './cycles.ts';\ncycles();\n",
  'jepsen-style/cycles.ts': "export const cycles = () => [];\n",
  'unrelated.ts': "export const x = 1;\n",
};

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'kafka-eos-launcher-'));
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const pointer = (root: string) => JSON.parse(readFileSync(join(root, 'dist', 'check', 'current.json'), 'utf8')) as { dir: string; inputs: Record<string, string> };
const edit = (root: string, file: string) => writeFileSync(join(root, file), readFileSync(join(root, file), 'utf8') + '// edited\n');

describe('the bundled check command, built and looked up', () => {
  it('is built into a directory of its own under dist/check, with the signatures of every source check loads and only those', async () => {
    const root = project();
    expect(bundleDir(root)).toBe(join(root, 'dist', 'check'));
    const url = await buildCompiledCli(root);
    const { dir, inputs } = pointer(root);
    expect(dir).toMatch(new RegExp(`^b-${process.pid}-\\d+$`));
    expect(url).toBe(pathToFileURL(join(root, 'dist', 'check', dir, 'main.js')).href);
    for (const entry of ['main.js', 'parse-worker.js', 'cycle-worker.js']) expect(existsSync(join(root, 'dist', 'check', dir, entry)), entry).toBe(true);
    // The entry, the check command's chunk, both workers and what they import; not the run command's chunk.
    expect(Object.keys(inputs).sort()).toEqual(['harness/cli/check.ts', 'harness/cli/main.ts', 'jepsen-style/cycle-worker.ts', 'jepsen-style/cycles.ts',
      'jepsen-style/parse-worker.ts', 'jepsen-style/reader.ts', 'jepsen-style/scan.ts']);
    const text = FILES['jepsen-style/scan.ts']!;
    expect(inputs['jepsen-style/scan.ts']).toMatch(new RegExp(`^${Buffer.byteLength(text)}:\\d+(\\.\\d+)?$`));
    expect(compiledCli(root)).toBe(url);
    // The built entry runs: its check chunk reads through the bundled scanner.
    const { main } = await import(url) as { main: (c: string) => Promise<{ check?: () => string; run?: () => string }> };
    expect((await main('check')).check!()).toBe('scanned');
  });

  it('is used only while every source check loads is unchanged; other commands\' sources do not matter', async () => {
    const root = project();
    const url = await buildCompiledCli(root);
    edit(root, 'harness/cli/run.ts');
    edit(root, 'harness/run/only.ts');
    edit(root, 'unrelated.ts');
    expect(compiledCli(root)).toBe(url);
    for (const file of ['jepsen-style/scan.ts', 'jepsen-style/cycles.ts', 'harness/cli/main.ts']) {
      const fresh = project();
      const built = await buildCompiledCli(fresh);
      expect(compiledCli(fresh)).toBe(built);
      edit(fresh, file);
      expect(compiledCli(fresh), file).toBeUndefined();
    }
    // The same size but another mtime is a change too (an edit that kept the length).
    const touched = project();
    await buildCompiledCli(touched);
    utimesSync(join(touched, 'jepsen-style/reader.ts'), new Date(), new Date(Date.now() + 5000));
    expect(compiledCli(touched)).toBeUndefined();
    // A source that is gone.
    const removed = project();
    await buildCompiledCli(removed);
    rmSync(join(removed, 'jepsen-style/cycles.ts'));
    expect(compiledCli(removed)).toBeUndefined();
  });

  it('is not used without its entry, or with a pointer that cannot be read', async () => {
    const root = project();
    expect(compiledCli(root)).toBeUndefined();
    await buildCompiledCli(root);
    const { dir } = pointer(root);
    rmSync(join(root, 'dist', 'check', dir, 'main.js'));
    expect(compiledCli(root)).toBeUndefined();
    const other = project();
    await buildCompiledCli(other);
    writeFileSync(join(other, 'dist', 'check', 'current.json'), '{"dir": ');
    expect(compiledCli(other)).toBeUndefined();
    writeFileSync(join(other, 'dist', 'check', 'current.json'), JSON.stringify({ dir: pointer(root).dir }));
    expect(compiledCli(other)).toBeUndefined();
  });

  it('replaces the pointer at each build and removes only other builds a day old', async () => {
    const root = project();
    const first = await buildCompiledCli(root);
    const cache = join(root, 'dist', 'check');
    const dayAgo = (name: string, hours: number) => {
      mkdirSync(join(cache, name), { recursive: true });
      const t = new Date(Date.now() - hours * 3_600_000);
      utimesSync(join(cache, name), t, t);
    };
    dayAgo('b-old', 25);
    dayAgo('b-recent', 23);
    dayAgo('keep-old', 48);
    const firstDir = pointer(root).dir;
    utimesSync(join(cache, firstDir), new Date(Date.now() - 48 * 3_600_000), new Date(Date.now() - 48 * 3_600_000));
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = await buildCompiledCli(root);
    expect(second).not.toBe(first);
    expect(compiledCli(root)).toBe(second);
    expect(readdirSync(cache).sort()).toEqual([pointer(root).dir, 'b-recent', 'current.json', 'keep-old'].sort());
    // The pointer is written whole: no temporary file is left beside it.
    expect(readdirSync(cache).filter((f) => f.startsWith('current.json.'))).toEqual([]);
    expect(fileURLToPath(second)).toBe(join(cache, pointer(root).dir, 'main.js'));
  });
});
