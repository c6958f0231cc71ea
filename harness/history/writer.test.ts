import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LogicalClock } from './clock.ts';
import { openHistory } from './writer.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-history-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('HistoryWriter', () => {
  it('writes one JSON line per event with gap-free indices and the clock time', () => {
    const file = path.join(tmp(), 'model', 'history.jsonl');
    const clock = new LogicalClock();
    const h = openHistory(file, clock);
    h.invoke(0, 'send', [['send', 1, 7]]);
    clock.advanceBy(500);
    h.complete(0, 'ok', 'send', [['send', 1, [0, 7]]]);
    h.nemesis('info', 'kill', { nodes: [2] });
    h.close();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'send', value: [['send', 1, 7]] },
      { index: 1, time: 500, process: 0, type: 'ok', f: 'send', value: [['send', 1, [0, 7]]] },
      { index: 2, time: 500, process: 'nemesis', type: 'info', f: 'kill', value: { nodes: [2] } },
    ]);
  });

  it('never lets time go backwards', () => {
    const file = path.join(tmp(), 'h.jsonl');
    let t = 100;
    const h = openHistory(file, { now: () => t });
    h.nemesis('info', 'a', null);
    t = 40;
    h.nemesis('info', 'b', null);
    h.close();
    const times = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).time);
    expect(times).toEqual([100, 100]);
  });

  it('enforces the per-process rules of the format', () => {
    const h = openHistory(path.join(tmp(), 'h.jsonl'), new LogicalClock());
    h.invoke(0, 'poll', [['poll']]);
    expect(() => h.invoke(0, 'poll', [['poll']])).toThrow(/not complete/);
    expect(() => h.complete(0, 'ok', 'send', [])).toThrow(/open invocation is poll/);
    h.complete(0, 'info', 'poll', [['poll']], 'timeout');
    expect(() => h.invoke(0, 'poll', [['poll']])).toThrow(/fresh process/);
    expect(() => h.complete(1, 'ok', 'poll', [])).toThrow(/none/);
    h.close();
  });

  it('refuses to append to an existing history unless told to overwrite', () => {
    const file = path.join(tmp(), 'h.jsonl');
    fs.writeFileSync(file, '{"old":true}\n');
    expect(() => openHistory(file, new LogicalClock())).toThrow(/already holds a history/);
    const h = openHistory(file, new LogicalClock(), { overwrite: true });
    h.nemesis('info', 'x', null);
    h.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"index":0,"time":0,"process":"nemesis","type":"info","f":"x","value":null}\n');
  });

  it('leaves a parseable prefix when its process is SIGKILLed mid-run', async () => {
    const file = path.join(tmp(), 'h.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'killedWriter.child.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const complete = lines.slice(0, -1); // whatever follows the last newline is a torn line, if any
    expect(complete.length).toBeGreaterThan(4000);
    const events = complete.map((l) => JSON.parse(l) as { index: number; time: number; process: number; type: string });
    events.forEach((e, i) => expect(e.index).toBe(i));
    for (let i = 1; i < events.length; i++) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);
    // Each process alternates invoke / ok within the prefix.
    const open = new Map<number, boolean>();
    for (const e of events) {
      expect(open.get(e.process) ?? false).toBe(e.type !== 'invoke');
      open.set(e.process, e.type === 'invoke');
    }
  });
});
