#!/usr/bin/env node
// Install step (package.json `prepare`, run by `npm ci`; also `npm run build`): bundles the CLI for
// `kafka-eos check` into dist/check/ (jepsen-style/compiled-cli.mjs says why). A failed build is a
// warning, not a failed install: the launcher then runs the sources through tsx, only slower.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCompiledCli } from '../jepsen-style/compiled-cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
try {
  const entry = await buildCompiledCli(root);
  console.error(`kafka-eos: built the check bundle: ${fileURLToPath(entry)}`);
} catch (error) {
  console.error(`kafka-eos: warning: could not build the check bundle (${error instanceof Error ? error.message : error}); 'kafka-eos check' will run from source, slower`);
}
