// actionlint for the workflow test: the one pinned version, built from the Go module proxy with
// `go install` once and kept outside the repository (~/.cache/kafka-eos/actionlint-<version>/), so the
// suite needs Go the first time only. Without Go (and without that binary) it fails with the fix, as
// any test that needs a toolchain must; it never skips.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ACTIONLINT_VERSION = 'v1.7.12';
const MODULE = 'github.com/rhysd/actionlint/cmd/actionlint';

export function actionlintPath(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['XDG_CACHE_HOME'] || path.join(env['HOME'] || os.homedir(), '.cache');
  return path.join(cache, 'kafka-eos', `actionlint-${ACTIONLINT_VERSION}`, 'actionlint');
}

/** The binary's path, installing it first when missing. Throws a message naming the fix. */
export function ensureActionlint(env: NodeJS.ProcessEnv = process.env): string {
  const bin = actionlintPath(env);
  if (fs.existsSync(bin)) return bin;
  const install = `go install ${MODULE}@${ACTIONLINT_VERSION}`;
  const go = spawnSync('go', ['version'], { env, encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(`the workflow test needs actionlint ${ACTIONLINT_VERSION}, built with Go (${install}), and no working \`go\` is on PATH ` +
      `(${go.error?.message ?? go.stderr.trim()}): install Go 1.24 or newer (https://go.dev/dl, or your package manager) and run the tests again, ` +
      `or put an actionlint ${ACTIONLINT_VERSION} binary at ${bin}`);
  }
  // Into a fresh directory, then renamed into place: a second test run never sees a half-written binary.
  fs.mkdirSync(path.dirname(path.dirname(bin)), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(path.dirname(bin)), '.actionlint-'));
  try {
    execFileSync('go', ['install', `${MODULE}@${ACTIONLINT_VERSION}`], {
      env: { ...env, GOBIN: staging }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000,
    });
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.renameSync(path.join(staging, 'actionlint'), bin);
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').slice(-5).join('\n');
    throw new Error(`\`${install}\` failed (${stderr || (error as Error).message}); check that the Go module proxy is reachable (go env GOPROXY)`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return bin;
}

/** Lints one workflow file. Shellcheck and pyflakes are off, so the verdict does not depend on what else is installed. */
export function actionlint(bin: string, file: string): { code: number; output: string } {
  const r = spawnSync(bin, ['-no-color', '-shellcheck=', '-pyflakes=', file], { encoding: 'utf8' });
  if (r.error) throw new Error(`could not run ${bin}: ${r.error.message}`);
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}`.trim() };
}
