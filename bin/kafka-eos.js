#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript, run through tsx's loader so `npx kafka-eos` needs no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

register();
const here = dirname(fileURLToPath(import.meta.url));
await import(pathToFileURL(join(here, '..', 'harness', 'cli', 'main.ts')).href);
