// `kafka-eos check` runs from the bundle built at install (compiled-cli.mjs); it must print exactly what
// the CLI run from source prints, exit code and standard error included, on good, bad and torn files,
// and looking for it at run time writes nothing (no cache in node_modules, no build).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript (it runs before any TypeScript loader), without type declarations
import { buildCompiledCli, compiledCli } from './compiled-cli.mjs';
import { generateHistory } from './testing/generate.ts';
import { INJECTIONS } from './testing/inject.ts';

const dir = mkdtempSync(join(tmpdir(), 'kafka-eos-compiled-'));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
}

describe('the bundled check command', () => {
  it('is built by the install step and then found', async () => {
    const built = await buildCompiledCli(resolve('.'));
    expect(built).toMatch(/^file:.*\/dist\/check\/.*\/main\.js$/);
    expect(compiledCli(resolve('.'))).toBe(built);
  }, 60_000);

  it('is not built at run time: without a bundle, or with a stale one, the lookup answers nothing and writes nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'kafka-eos-nobundle-'));
    expect(compiledCli(root)).toBeUndefined();
    expect(existsSync(join(root, 'dist'))).toBe(false);
    expect(existsSync(join(root, 'node_modules'))).toBe(false);
    // A bundle whose source has changed since (its recorded signature no longer matches) is not used.
    mkdirSync(join(root, 'dist', 'check', 'b-1', ''), { recursive: true });
    writeFileSync(join(root, 'dist', 'check', 'b-1', 'main.js'), '');
    writeFileSync(join(root, 'source.ts'), 'edited');
    writeFileSync(join(root, 'dist', 'check', 'current.json'), JSON.stringify({ dir: 'b-1', inputs: { 'source.ts': '1:1' } }));
    expect(compiledCli(root)).toBeUndefined();
  });

  it('prints what the CLI run from source prints', async () => {
    const events = [...generateHistory({ seed: 2, ops: 300, keys: 4, concurrency: 4, txnP: 0.5 })];
    const lines = events.map((e) => JSON.stringify(e));
    const bad = INJECTIONS.duplicate(events.map((e) => structuredClone(e)), () => 0)!.map((e) => JSON.stringify(e));
    const files = {
      valid: lines.join('\n') + '\n',
      invalid: bad.join('\n') + '\n',
      torn: lines.join('\n') + '\n{"index":',
      unusable: [...lines.slice(0, 5), '{"index": 5,', ...lines.slice(5)].join('\n') + '\n',
      bom: '\ufeff' + lines.join('\n') + '\n',
      'huge-value': [...lines, '{"index":' + lines.length + ',"time":1e9,"process":9999,"type":"invoke","f":"send","value":[["send",0,9007199254740993]]}'].join('\n') + '\n',
      'one-line': 'not a history\n',
    };
    const codes: number[] = [];
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, `${name}.jsonl`);
      writeFileSync(path, text);
      const bundled = await run(['bin/kafka-eos.js', 'check', path, '--json']);
      expect(bundled).toEqual(await run(['--import', 'tsx', 'harness/cli/main.ts', 'check', path, '--json']));
      codes.push(bundled.code);
    }
    expect(codes).toEqual([0, 1, 0, 2, 2, 2, 2]);
  }, 120_000);
});
