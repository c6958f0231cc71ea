// When the harness' event loop stalls, the watchdog thread still removes the cluster and ends the process.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessResources } from './support.ts';

describe('watchdog', () => {
  it('removes the cluster, keeps the spinning stack and kills a harness whose event loop stopped', async () => {
    const clusterId = `kafka-eos-watchdog-test-${process.pid}`;
    const dir = mkdtempSync(join(tmpdir(), 'kafka-eos-watchdog-'));
    const child = spawn('node', ['--import', 'tsx', 'test/integration/fixtures/stall.ts', clusterId, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    const started = Date.now();
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect(signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(stderr).toMatch(/watchdog: the harness made no progress for \d+ s; removing cluster kafka-eos-watchdog-test/);
    // The stack is read from the spinning thread itself: the timer callback that never returns.
    expect(readFileSync(join(dir, 'stall-stack.txt'), 'utf8')).toMatch(/^at \(anonymous\).*\nat listOnTimeout/);
    expect((await harnessResources()).filter((r) => r.includes(clusterId))).toEqual([]);
  });
});
