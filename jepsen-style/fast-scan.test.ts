// The fast scanner must change nothing: the same op table as JSON.parse for every shape it takes,
// and a refusal (so that JSON.parse and the rules give the message) for every shape it does not.
import { describe, expect, it } from 'vitest';
import { OpTableBuilder } from './analysis/ops.ts';
import { FastEventScanner } from './fast-scan.ts';
import { HistoryLineParser } from './reader.ts';
import { HistoryFormatError } from './rules.ts';
import { generateHistory } from './testing/generate.ts';
import { HistoryBuilder, poll, polled, send, sent } from './testing/history-builder.ts';

function tables(text: string) {
  const slow = new OpTableBuilder(), fast = new OpTableBuilder();
  let scanned = 0;
  const a = new HistoryLineParser((e) => slow.add(e));
  const b = new HistoryLineParser((e) => fast.add(e), (s) => { scanned++; fast.addScanned(s); });
  a.push(text); b.push(text);
  return { slow: { ...slow.finish(), summary: a.end() }, fast: { ...fast.finish(), summary: b.end() }, scanned };
}

const scans = (line: string) => {
  const bytes = Buffer.from(line);
  return new FastEventScanner().scan(bytes, 0, bytes.length);
};

describe('fast scanner', () => {
  it('builds the same op table as JSON.parse on a generated history', () => {
    const text = [...generateHistory({ seed: 7, ops: 400, txnP: 0.5 })].map((e) => JSON.stringify(e)).join('\n') + '\n';
    const { slow, fast, scanned } = tables(text);
    expect(fast).toEqual(slow);
    expect(fast.n).toBeGreaterThan(300);
    expect(scanned).toBe(text.split('\n').length - 1); // every line took the fast path
  });

  it('builds the same table for every mop shape, extension field and nemesis event', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'txn', [send(0, 1), poll()], [sent(0, null, 1), polled({ 1: [], 2: [[3, 4]] })], { txnId: 'copier-0' });
    h.op(1, 'info', 'send', [send(3, 5)], null);
    h.nemesis('start-partition', 'info', { nodes: ['n1'] });
    h.op(2, 'fail', 'poll', [poll()], [poll()], { error: 'timeout "quoted" \\ é' });
    h.op(3, 'ok', 'assign', [0, 1]);
    h.op(3, 'ok', 'send', [], []);
    h.invoke(4, 'crash', null);
    h.complete(4, 'info', null);
    h.invoke(5, 'poll', [poll()]);
    const text = h.toJsonl().replace('"process":3', ' "process" : 3 ');
    const { slow, fast, scanned } = tables(text);
    expect(fast).toEqual(slow);
    expect(scanned).toBe(13); // all but the nemesis event
    expect(fast.summary.warnings).toEqual(['1 invoke(s) without completion treated as info (processes 5)']);
  });

  it.each([
    ['a nemesis event', '{"index":0,"time":0,"process":"nemesis","type":"info","f":"kill","value":null}'],
    ['an unknown field', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]],"extra":1}'],
    ['a float', '{"index":0,"time":0.5,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a leading zero', '{"index":00,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a negative time', '{"index":0,"time":-1,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a send offset in an invoke', '{"index":0,"time":0,"process":0,"type":"invoke","f":"send","value":[["send",0,[1,2]]]}'],
    ['a poll in a send op', '{"index":0,"time":0,"process":0,"type":"invoke","f":"send","value":[["poll"]]}'],
    ['a missing value', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll"}'],
    ['a bad escape', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]],"error":"\\x"}'],
    ['trailing garbage', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]} x'],
    ['a duplicate field', '{"index":0,"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    // JSON.parse lists integer keys in ascending order and keeps the last of duplicates: its path decides.
    ['polled keys out of order', '{"index":1,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"2":[[0,1]],"1":[[0,1]]}]]}'],
    ['a repeated polled key', '{"index":1,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"1":[[0,1]],"1":[[1,2]]}]]}'],
    ['a negative polled key', '{"index":1,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"-1":[[0,1]]}]]}'],
    ['a \\u escape without four hex digits', '{"index":1,"time":0,"process":0,"type":"fail","f":"poll","value":[["poll"]],"error":"\\u12"}'],
  ])('leaves %s to JSON.parse', (_name, line) => {
    expect(scans(line)).toBe(false);
  });

  it('reads the same events whatever the chunk boundaries (lines split anywhere, long lines)', () => {
    const events = [...generateHistory({ seed: 3, ops: 300, txnP: 0.5 })];
    // A poll far longer than the scanner's first window (it must fall back, then grow).
    events.push({ index: events.length, time: 1e9, process: 999, type: 'invoke', f: 'poll', value: [['poll']] },
      { index: events.length + 1, time: 1e9, process: 999, type: 'ok', f: 'poll', value: [['poll', { 0: Array.from({ length: 2000 }, (_, i) => [i, i] as [number, number]) }]] });
    const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const whole = tables(text).fast;
    const bytes = Buffer.from(text);
    const chunked = new OpTableBuilder();
    const parser = new HistoryLineParser((e) => chunked.add(e), (s) => chunked.addScanned(s));
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 4001 + 1) parser.push(bytes.subarray(at, at + size));
    expect({ ...chunked.finish(), summary: parser.end() }).toEqual(whole);
    expect(whole.rKey.length).toBeGreaterThan(2000);
  });

  it('still reports rule violations with the line number on the fast path', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    const text = h.toJsonl() + '{"index":3,"time":9,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}\n';
    const parser = new HistoryLineParser(() => {}, () => {});
    expect(() => parser.push(text)).toThrow(HistoryFormatError);
    expect(() => new HistoryLineParser(() => {}, () => {}).push(text)).toThrow(/line 3: "index" is 3 but 2 was expected/);
  });
});
