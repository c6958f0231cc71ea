// Bad input must be refused with the line and the rule it broke (exit 2 in the CLI); a torn last
// line, the trace of a killed run, is dropped with a warning.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory } from './checker.ts';
import { buildOpTable, OpTableBuilder } from './analysis/ops.ts';
import { HistoryLineParser, parseHistoryText, readHistoryFile } from './reader.ts';
import { generateHistory } from './testing/generate.ts';
import { HistoryFormatError } from './rules.ts';
import { HistoryBuilder, poll, polled, send, sent } from './testing/history-builder.ts';

const line = (o: object) => JSON.stringify(o);
const ev = (index: number, process: number | 'nemesis', type: string, f: string, value: unknown, time = index) =>
  line({ index, time, process, type, f, value });

function good(): string[] {
  const h = new HistoryBuilder();
  h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
  h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
  return h.toJsonl().trimEnd().split('\n');
}

function rejects(lines: string[], lineNo: number, message: RegExp): void {
  let error: unknown;
  try {
    parseHistoryText(lines.join('\n') + '\n');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(HistoryFormatError);
  expect((error as HistoryFormatError).line).toBe(lineNo);
  expect((error as Error).message).toMatch(message);
}

describe('history reader', () => {
  it('reads a good history and reports no warnings', () => {
    const { events, warnings, count } = parseHistoryText(good().join('\n') + '\n');
    expect({ n: events.length, count, warnings }).toEqual({ n: 4, count: 4, warnings: [] });
  });

  it('drops a torn last line with a warning, with or without a newline after it', () => {
    for (const tail of ['{"index":4,"ti', '{"index":4,"ti\n']) {
      const { events, warnings } = parseHistoryText(good().join('\n') + '\n' + tail);
      expect(events).toHaveLength(4);
      expect(warnings).toEqual([expect.stringMatching(/^line 5: torn last line dropped/)]);
    }
  });

  it('refuses a line that is not JSON when another line follows it', () => {
    const lines = good();
    lines[1] = lines[1]!.slice(0, 20);
    rejects(lines, 2, /line 2: not valid JSON .*only the last line may be torn/);
  });

  it('warns about invokes without completion, which count as info', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'send', [send(0, 1)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
    const { events, warnings } = parseHistoryText(h.toJsonl());
    expect(warnings).toEqual(['1 invoke(s) without completion treated as info (processes 0)']);
    // The unfinished send was read, so it is promoted to committed: no G1a, no unseen, valid.
    expect(checkHistory(events)).toMatchObject({ valid: true, anomalyTypes: [], stats: { ops: 1, ok: 1, info: 0 } });
  });

  const cases: [string, (l: string[]) => string[], number, RegExp][] = [
    ['index gap', (l) => [l[0]!, l[1]!, l[3]!.replace('"index":3', '"index":4')], 3, /"index" is 4 but 2 was expected/],
    ['index not an integer', (l) => [l[0]!.replace('"index":0', '"index":"0"')], 1, /"index" must be an integer/],
    ['time going backwards', (l) => [l[0]!, l[1]!.replace('"time":1', '"time":5'), l[2]!.replace('"time":2', '"time":3')], 3, /"time" 3 is earlier than the previous event's 5/],
    ['unknown type', (l) => [l[0]!.replace('"invoke"', '"start"')], 1, /"type" must be one of/],
    ['unknown client f', () => [ev(0, 0, 'invoke', 'produce', [])], 1, /client op "f" must be one of/],
    ['bad process', () => [ev(0, -1, 'invoke', 'poll', [['poll']])], 1, /"process" must be a non-negative integer or "nemesis"/],
    ['invoke while pending', (l) => [l[0]!, ev(1, 0, 'invoke', 'poll', [['poll']])], 2, /process 0 invoked poll while its send from line 1 has no completion/],
    ['completion without invoke', () => [ev(0, 3, 'ok', 'poll', [['poll', {}]])], 1, /process 3 completed poll \(ok\) without a pending invoke/],
    ['completion of another f', (l) => [l[0]!, ev(1, 0, 'ok', 'poll', [['poll', {}]])], 2, /completed "poll" but invoked "send" on line 1/],
    ['invoke after info', () => [ev(0, 0, 'invoke', 'poll', [['poll']]), ev(1, 0, 'info', 'poll', null), ev(2, 0, 'invoke', 'poll', [['poll']])], 3, /invoked again after its info completion on line 2; a fresh process id/],
    ['crash completing ok', () => [ev(0, 0, 'invoke', 'crash', null), ev(1, 0, 'ok', 'crash', null)], 2, /a crash always completes "info"/],
    ['send op holding a poll', () => [ev(0, 0, 'invoke', 'send', [['poll']])], 1, /a send op may hold only/],
    ['bad send mop', () => [ev(0, 0, 'invoke', 'send', [['send', 'x', 1]])], 1, /bad send micro-operation/],
    ['bad polled pair', () => [ev(0, 0, 'invoke', 'poll', [['poll']]), ev(1, 0, 'ok', 'poll', [['poll', { 0: [[1]] }]])], 2, /expected \[offset, value\]/],
    ['polled key not decimal', () => [ev(0, 0, 'invoke', 'poll', [['poll']]), ev(1, 0, 'ok', 'poll', [['poll', { x: [] }]])], 2, /must be a decimal integer string/],
    ['assign of non-keys', () => [ev(0, 0, 'invoke', 'assign', ['a'])], 1, /assign value must be an array of non-negative integer keys/],
    ['not an object', () => ['[1,2]'], 1, /an event must be a JSON object/],
  ];
  it.each(cases)('refuses %s, naming the line', (_name, edit, lineNo, message) => {
    rejects(edit(good()), lineNo, message);
  });

  it.each(cases)('refuses %s on the fast path too, with the same message', (_name, edit, lineNo, message) => {
    const parser = new HistoryLineParser(() => {}, () => {});
    let error: unknown;
    try {
      parser.push(edit(good()).join('\n') + '\n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HistoryFormatError);
    expect((error as HistoryFormatError).line).toBe(lineNo);
    expect((error as Error).message).toMatch(message);
  });

  it('reads a file through its reused buffer as the in-memory parser reads the text (lines longer than the buffer)', async () => {
    const events = [...generateHistory({ seed: 5, ops: 200, txnP: 0.5 })];
    const pairs = Array.from({ length: 120_000 }, (_, i) => [i, i] as [number, number]); // a line over 1 MB
    events.push({ index: events.length, time: 1e9, process: 999, type: 'invoke', f: 'poll', value: [['poll']] },
      { index: events.length + 1, time: 1e9, process: 999, type: 'ok', f: 'poll', value: [['poll', { 0: pairs }]] });
    const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n{"index":';
    const path = join(mkdtempSync(join(tmpdir(), 'kafka-eos-reader-')), 'history.jsonl');
    writeFileSync(path, text);
    const fromFile = new OpTableBuilder();
    const summary = await readHistoryFile(path, (e) => fromFile.add(e), (s) => fromFile.addScanned(s));
    const fromText = parseHistoryText(text);
    expect(summary).toEqual({ count: fromText.count, warnings: fromText.warnings });
    expect(summary.warnings[0]).toMatch(/torn last line dropped/);
    expect(fromFile.finish()).toEqual(buildOpTable(fromText.events));
  });

  it('accepts nemesis events between client events without alternation rules', () => {
    const text = [ev(0, 'nemesis', 'info', 'start-partition', 'majority'), ev(1, 'nemesis', 'info', 'stop-partition', null)].join('\n');
    expect(parseHistoryText(text).events).toHaveLength(2);
  });
});
