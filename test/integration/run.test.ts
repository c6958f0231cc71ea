// `kafka-eos run` against a real cluster, end to end through the command line: each nemesis kind
// completes and leaves its faults in the history, a SIGKILLed run leaves a history whose every
// complete line parses, and Ctrl-C stops cleanly. Exit code 3 (harness error) is never acceptable.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepLeftovers } from '../../harness/docker/sweep.ts';
import { harnessResources } from './support.ts';

const CLI = 'bin/kafka-eos.js';

function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

const NEMESIS_OPS: Record<string, string[]> = {
  partition: ['start-partition', 'stop-partition'],
  kill: ['kill', 'restart'],
  pause: ['pause', 'resume'],
};

describe('kafka-eos run against a real cluster', () => {
  it.each(Object.keys(NEMESIS_OPS))('completes with nemesis %s and records its faults', (nemesis) => {
    const out = mkdtempSync(join(tmpdir(), `kafka-eos-run-${nemesis}-`));
    const run = spawnSync('node', [CLI, 'run', '--seed', '3', '--target', 'kafka', '--time-limit', '20',
      '--nemesis', nemesis, '--nemesis-interval', '6', '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr.slice(-2000)).toBeOneOf([0, 1]);
    const history = lines(join(out, 'kafka', 'history.jsonl'));
    const faults = history.filter((e) => e['process'] === 'nemesis');
    for (const f of NEMESIS_OPS[nemesis]!) {
      const applied = faults.filter((e) => e['f'] === f && e['type'] === 'info');
      expect(applied.length, `${f} events`).toBeGreaterThan(0);
      expect(applied.filter((e) => e['error'] !== undefined), `${f} failed to apply`).toEqual([]);
    }
    // Faults every few seconds keep the cluster busy recovering; the volume itself is the benchmark's business.
    expect(history.filter((e) => e['type'] === 'ok' && e['process'] !== 'nemesis').length).toBeGreaterThan(20);
    const verdict = JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8')) as Record<string, unknown>;
    expect(verdict['complete']).toBe(true);
    expect(verdict['valid']).toBe(run.status === 0);
    expect(existsSync(join(out, 'program.json'))).toBe(true);
    expect(run.stdout).toContain(`repro:   npx kafka-eos run --seed 3 --target kafka --time-limit 20 --nemesis ${nemesis}`);
  });

  it('after kill -9 of the harness mid-run, every complete history line parses; the next start sweeps the cluster', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kafka-eos-kill9-'));
    const file = join(out, 'kafka', 'history.jsonl');
    const child = spawn('node', [CLI, 'run', '--seed', '4', '--target', 'kafka', '--time-limit', '60', '--out', out], { stdio: 'ignore' });
    for (let waited = 0; !(existsSync(file) && readFileSync(file, 'utf8').split('\n').length > 200); waited += 500) {
      if (waited > 180_000) throw new Error('the run never wrote 200 history lines');
      await new Promise((r) => setTimeout(r, 500));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const check = spawnSync('node', [CLI, 'check', file, '--json'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBeOneOf([0, 1]); // 2 would mean a line did not parse
    const stats = (JSON.parse(check.stdout) as { stats: { ops: number } }).stats;
    expect(stats.ops).toBeGreaterThan(50);
    expect((await harnessResources()).length).toBeGreaterThan(0); // SIGKILL: nothing could clean up...
    await sweepLeftovers(); // ...until the next start
    expect(await harnessResources()).toEqual([]);
  });

  it('Ctrl-C mid-run: history kept, verdict marked incomplete, cluster removed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kafka-eos-sigint-'));
    const file = join(out, 'kafka', 'history.jsonl');
    const child = spawn('node', [CLI, 'run', '--seed', '5', '--target', 'kafka', '--time-limit', '60', '--nemesis', 'partition', '--out', out], { stdio: 'ignore' });
    for (let waited = 0; !(existsSync(file) && readFileSync(file, 'utf8').split('\n').length > 100); waited += 500) {
      if (waited > 180_000) throw new Error('the run never wrote 100 history lines');
      await new Promise((r) => setTimeout(r, 500));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(lines(file).length).toBeGreaterThan(100);
    const verdict = JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8')) as Record<string, unknown>;
    expect(verdict['complete']).toBe(false);
    expect(await harnessResources()).toEqual([]);
  });
});
