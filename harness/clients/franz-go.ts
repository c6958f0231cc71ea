// The franz-go driver (drivers/franz-go): github.com/twmb/franz-go at any version on the Go module
// proxy, built with `go build` once per (version, driver source) into ~/.cache/kafka-eos/drivers; one
// driver process per worker slot.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT, harnessError } from '../cli/exit-codes.ts';
import type { ClientKind } from './client.ts';
import { driverClient } from './driver/driver-client.ts';
import type { DriverCommand } from './driver/driver-process.ts';
import { CARRY_ON_LABEL, DEFAULT_FRANZ_GO_VERSION } from './spec.ts';
import { buildOnce, driverCacheRoot, requireTools, runStep, sourcesDigest, tailOf } from './toolchain.ts';

const DRIVER_DIR = fileURLToPath(new URL('../../drivers/franz-go', import.meta.url));

/** `v1.22.1`, also given as `1.22.1`. */
export function franzGoVersion(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}

const cacheDir = (version: string) => path.join(driverCacheRoot(), `franz-go-${version}-${sourcesDigest(DRIVER_DIR)}`);

/** One driver's command line (the driver must be built). */
export function franzGoDriverCommand(requested: string): DriverCommand {
  return { command: path.join(cacheDir(franzGoVersion(requested)), 'driver'), args: [] };
}

export function franzGoClient(requested = DEFAULT_FRANZ_GO_VERSION, carryOn = false): ClientKind {
  const version = franzGoVersion(requested);
  const dir = cacheDir(version);
  return driverClient({
    description: { name: 'franz-go', version, label: `franz-go ${version}${carryOn ? ` ${CARRY_ON_LABEL}` : ''}` },
    carryOn,
    prepare: (log) => buildFranzGoDriver(version, dir, log),
    command: () => franzGoDriverCommand(version),
  });
}

async function buildFranzGoDriver(version: string, dir: string, log: (line: string) => void): Promise<void> {
  if (fs.existsSync(path.join(dir, 'READY'))) return;
  requireTools(`franz-go@${version}`, [
    { command: 'go', versionArgs: ['version'], install: 'install Go 1.24 or newer (https://go.dev/dl/, or Debian: apt-get install golang); franz-go comes from the Go module proxy' },
  ]);
  const started = Date.now();
  log(`building the franz-go driver for ${version} (once; cached in ${dir})`);
  await buildOnce(dir, async (into) => {
    const src = path.join(into, 'src');
    fs.mkdirSync(src);
    for (const f of fs.readdirSync(DRIVER_DIR)) fs.copyFileSync(path.join(DRIVER_DIR, f), path.join(src, f));
    const env = { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    // `go get` first: franz-go's own requirements (kmsg, kerr) come at the versions it was released
    // with, and the tidy after it keeps them, so an old franz-go speaks the protocol versions it knew.
    const get = await runStep('go', ['get', `github.com/twmb/franz-go@${version}`], { cwd: src, env, timeoutMs: 300_000 });
    if (get.code !== 0) {
      if (/unknown revision|invalid version|no matching versions|not found|not available|410 Gone/.test(get.output)) {
        throw new CliError(`--client franz-go@${version}: no such franz-go version on the Go module proxy. Fix: pick a released version, ` +
          `e.g. ${DEFAULT_FRANZ_GO_VERSION} (list: go list -m -versions github.com/twmb/franz-go). Go said: ${tailOf(get.output, 2)}`, EXIT.usage);
      }
      throw harnessError(`go could not fetch franz-go ${version}. Fix: check that the Go module proxy is reachable (go env GOPROXY). Go said:\n  ${tailOf(get.output)}`);
    }
    for (const step of [['mod', 'tidy'], ['build', '-trimpath', '-o', path.join(into, 'driver'), '.']]) {
      const ran = await runStep('go', step, { cwd: src, env, timeoutMs: 300_000 });
      if (ran.code !== 0) throw harnessError(`go ${step[0]} of the franz-go driver against ${version} failed:\n  ${tailOf(ran.output, 12)}`);
    }
  });
  log(`franz-go driver for ${version} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
