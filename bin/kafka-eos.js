#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript, run through tsx's loader so `npx kafka-eos` needs no build step.
// `check` runs from the esbuild bundle built at install instead (jepsen-style/compiled-cli.mjs: loading
// through tsx costs ~0.4 CPU s a check), falling back to tsx when there is none or the sources changed.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { compiledCli } = await import(pathToFileURL(join(root, 'jepsen-style', 'compiled-cli.mjs')).href);
const compiled = process.argv[2] === 'check' ? compiledCli(root) : undefined;
if (compiled) await import(compiled);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'harness', 'cli', 'main.ts')).href);
}
