// `kafka-eos check` end to end, as scripts see it: exit codes 0/1/2, the --json shape of the
// contract, warnings and line numbers on standard error.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryBuilder, poll, polled, send, sent } from './testing/history-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'kafka-eos-check-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', 'check', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

function history(pollIt: boolean): HistoryBuilder {
  const h = new HistoryBuilder();
  h.op(0, 'ok', 'txn', [send(0, 1), send(1, 1)], [sent(0, 0, 1), sent(1, 0, 1)]);
  if (pollIt) h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]], 1: [[0, 1]] })]);
  return h;
}

describe('kafka-eos check', () => {
  it('exits 0 on a valid history, with the contract JSON', async () => {
    const r = await check(file('valid.jsonl', history(true).toJsonl()), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).slice(0, 4)).toEqual(['valid', 'anomalyTypes', 'anomalies', 'stats']);
    expect(out).toMatchObject({ valid: true, anomalyTypes: [], anomalies: {}, stats: { ops: 2, ok: 2, fail: 0, info: 0 } });
  });

  it('exits 1 with the anomalies when invalid; the text form names them', async () => {
    const path = file('invalid.jsonl', history(false).toJsonl());
    const json = await check(path, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, anomalyTypes: ['unseen'] });
    const text = await check(path);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('INVALID');
    expect(text.stdout).toContain('unseen: 2 found');
  });

  it('exits 2 naming the line of bad input, and on a missing file or bad usage', async () => {
    const lines = history(true).toJsonl().split('\n');
    lines[1] = '{"index": 1,';
    const bad = await check(file('bad.jsonl', lines.join('\n')));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2: not valid JSON/);
    const missing = await check(join(dir, 'nope.jsonl'));
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('no such file')]);
    const usage = await check('--jsn', 'x');
    expect(usage.code).toBe(2);
  });

  it('drops a torn last line with a warning and checks the rest', async () => {
    const r = await check(file('torn.jsonl', history(true).toJsonl() + '{"index":4,"tim'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: line 5: torn last line dropped/);
  });
});
