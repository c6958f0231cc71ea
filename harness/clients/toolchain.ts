// What building and running a driver needs from the machine, and the one place that says what to
// install when it is missing (exit 3: the harness cannot do its job here, the user can fix that).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessError } from '../cli/exit-codes.ts';

export interface Tool {
  command: string;
  /** Arguments that print the version and exit 0. */
  versionArgs: string[];
  install: string;
}

/** Throws exit 3 naming every missing tool and how to install it. */
export function requireTools(client: string, tools: Tool[]): void {
  const missing = tools.filter((t) => spawnSync(t.command, t.versionArgs, { stdio: 'ignore', timeout: 30_000 }).status !== 0);
  if (missing.length === 0) return;
  throw harnessError(`--client ${client} needs ${missing.map((t) => `\`${t.command}\``).join(' and ')}, not found on PATH. ` +
    `Fix: ${missing.map((t) => t.install).join('; ')}`);
}

/** `~/.cache/kafka-eos/drivers` (XDG_CACHE_HOME respected): built drivers live outside the checkout and node_modules. */
export function driverCacheRoot(): string {
  const base = process.env['KAFKA_EOS_DRIVER_CACHE'] ?? path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'kafka-eos', 'drivers');
  fs.mkdirSync(base, { recursive: true });
  return base;
}

/** A short digest of the driver's sources: a changed driver is rebuilt, an unchanged one never. */
export function sourcesDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else hash.update(path.relative(dir, p)).update('\0').update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 12);
}

export interface Ran {
  code: number | null;
  output: string;
}

/** Runs a build step, collecting its output (stdout and stderr) for the error message. */
export function runStep(command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs: number }): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (c: Buffer) => { output = (output + c.toString()).slice(-20_000); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); resolve({ code: null, output: error.message }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

/**
 * Builds into a fresh temporary directory beside `dir` and renames it into place, so that a build
 * stopped midway, or two builds at once, never leave a half-built driver behind.
 */
export async function buildOnce(dir: string, build: (into: string) => Promise<void>): Promise<boolean> {
  if (fs.existsSync(path.join(dir, 'READY'))) return false;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await build(tmp);
    fs.writeFileSync(path.join(tmp, 'READY'), new Date().toISOString());
    // Another build may have finished meanwhile: its result is as good as ours, and may be in use.
    if (fs.existsSync(path.join(dir, 'READY'))) return true;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    return true;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The last lines of a tool's output that say something, for an error message. */
export function tailOf(output: string, lines = 8): string {
  return output.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-lines).join('\n  ');
}
