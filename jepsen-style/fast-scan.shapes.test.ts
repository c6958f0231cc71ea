// What the fast scanner takes (fast-scan.ts): every client event of the contract's shapes
// (docs/contract/history-format.md) as JSON.stringify writes it, and the same events with whitespace
// between tokens or their fields in another order; each is decoded exactly as JSON.parse reads it
// (the same op table). What it leaves to JSON.parse (fast-scan.test.ts) is only what it cannot decide.
import { describe, expect, it } from 'vitest';
import { OpTableBuilder } from './analysis/ops.ts';
import { FastEventScanner } from './fast-scan.ts';
import { HistoryLineParser } from './reader.ts';
import { ev, PAIRS, readOutcome as outcome, scans, spaced } from './testing/scan-shapes.ts';

/** One invoke line then one completion line, read both ways; how many lines the scanner took. */
function both(lines: string[]) {
  const slow = new OpTableBuilder(), fast = new OpTableBuilder();
  let scanned = 0;
  const a = new HistoryLineParser((e) => slow.add(e));
  const b = new HistoryLineParser((e) => fast.add(e), (s) => { scanned++; fast.addScanned(s); });
  const text = lines.join('\n') + '\n';
  a.push(text); b.push(text);
  return { slow: { ...slow.finish(), summary: a.end() }, fast: { ...fast.finish(), summary: b.end() }, scanned };
}

describe('the fast scanner takes the contract\'s client events and reads them as JSON.parse does', () => {
  it.each(PAIRS)('%s, as JSON.stringify writes it', (_name, lines) => {
    const { slow, fast, scanned } = both(lines);
    expect(fast).toEqual(slow);
    expect(scanned).toBe(lines.length);
  });

  it.each(PAIRS)('%s, with whitespace between tokens', (_name, lines) => {
    for (const space of [' ', '\t', ' \r ', '  ']) {
      const { slow, fast, scanned } = both(lines.map((l) => spaced(l, space)));
      expect(fast, JSON.stringify(space)).toEqual(slow);
      expect(scanned, JSON.stringify(space)).toBe(lines.length);
    }
  });

  it.each(PAIRS)('%s, with its fields in another order', (_name, lines) => {
    for (const order of [(o: Record<string, unknown>) => Object.keys(o).reverse(), (o: Record<string, unknown>) => Object.keys(o).sort()]) {
      const moved = lines.map((l) => {
        const o = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify(Object.fromEntries(order(o).map((k) => [k, o[k]])));
      });
      const { slow, fast, scanned } = both(moved);
      expect(fast).toEqual(slow);
      expect(scanned).toBe(lines.length);
    }
  });

  it('reads every field of a line: the numbers, the type and f by name, the transactional id', () => {
    const s = new FastEventScanner();
    const at = (line: string) => {
      const bytes = Buffer.from(line);
      expect(s.scan(bytes, 0, bytes.length)).toBe(true);
      return { index: s.index, time: s.time, process: s.process, type: s.type, f: s.f, txnId: s.txnId, value: Array.from(s.scratch.subarray(0, s.length)) };
    };
    expect(at('{"index":12,"time":340,"process":7,"type":"info","f":"txn","value":[["poll"]],"error":"e","txnId":"c-1"}'))
      .toEqual({ index: 12, time: 340, process: 7, type: 3, f: 2, txnId: 'c-1', value: [3] });
    expect(at('{"txnId":"x y","value":[["send",2,[null,5]]],"f":"send","type":"fail","process":0,"time":0,"index":0}'))
      .toEqual({ index: 0, time: 0, process: 0, type: 2, f: 0, txnId: 'x y', value: [2, 2, NaN, 5] });
    // A line without a txnId after one with it has none.
    expect(at('{"index":1,"time":1,"process":1,"type":"ok","f":"assign","value":[4,5]}')).toEqual({ index: 1, time: 1, process: 1, type: 1, f: 3, txnId: undefined, value: [4, 5] });
    expect(at('{ "index" : 1 , "time" : 1 , "process" : 1 , "type" : "ok" , "f" : "subscribe" , "value" : [ ] , "txnId" : "t" }').f).toBe(4);
    expect(at('{"index":1,"time":1,"process":1,"type":"ok","f":"crash","value":null}')).toMatchObject({ type: 1, f: 5, value: [] });
  });
});

describe('the fast path never changes an outcome', () => {
  it('takes any valid JSON string as an error, with every escape and any character', () => {
    const lines = [ev(0, 'invoke', 'poll', [['poll']]),
      JSON.stringify({ index: 1, time: 10, process: 3, type: 'fail', f: 'poll', value: null, error: 'q" b\\ s/ \b\f\n\r\t é ✓ \u0001 \u001f' })
        .replace('s/', 's\\/').replace('é', '\\u00e9').replace('✓', '\\u2713')];
    expect(lines[1]).toContain('\\u00e9');
    const { scanned, ...fast } = outcome(lines, true);
    expect(fast).toEqual(outcome(lines, false));
    expect(scanned).toBe(2);
  });

  it.each([
    ['an escaped field name', '{"\\u0069ndex":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['an escaped type', '{"index":0,"time":0,"process":0,"type":"\\u0069nvoke","f":"poll","value":[["poll"]]}'],
    ['an escaped f', '{"index":0,"time":0,"process":0,"type":"invoke","f":"p\\u006fll","value":[["poll"]]}'],
    ['an escaped mop name', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["p\\u006fll"]]}'],
    ['a transactional id with an escape', '{"index":0,"time":0,"process":0,"type":"invoke","f":"txn","value":[["poll"]],"txnId":"c\\"1"}'],
    ['a transactional id beyond ASCII', '{"index":0,"time":0,"process":0,"type":"invoke","f":"txn","value":[["poll"]],"txnId":"copier-é"}'],
    ['a transactional id with a control character', '{"index":0,"time":0,"process":0,"type":"invoke","f":"txn","value":[["poll"]],"txnId":"c\\t1"}'],
    ['an exponent', '{"index":0,"time":1e3,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['an upper-case exponent', '{"index":0,"time":1E3,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a fraction in a key', '{"index":0,"time":0,"process":0,"type":"invoke","f":"send","value":[["send",1.0,2]]}'],
    ['16 digits', '{"index":0,"time":1234567890123456,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a negative key', '{"index":0,"time":0,"process":0,"type":"invoke","f":"send","value":[["send",-1,2]]}'],
    ['a negative process', '{"index":0,"time":0,"process":-2,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a negative assigned key', '{"index":0,"time":0,"process":0,"type":"invoke","f":"assign","value":[1,-2]}'],
    ['a negative polled offset', '{"index":1,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"1":[[-1,1]]}]]}'],
    ['a polled key with a leading zero', '{"index":1,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"01":[[0,1]]}]]}'],
    ['a polled key that is not a number', '{"index":1,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"a":[[0,1]]}]]}'],
    ['a send offset of -2', '{"index":1,"time":0,"process":0,"type":"ok","f":"send","value":[["send",1,[-2,1]]]}'],
    ['an empty event', '{}'],
    ['a crash with a value', '{"index":0,"time":0,"process":0,"type":"invoke","f":"crash","value":[]}'],
    ['an assign of mops', '{"index":0,"time":0,"process":0,"type":"invoke","f":"assign","value":[["poll"]]}'],
    ['a null invoke value', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":null}'],
    ['keys in a send op', '{"index":0,"time":0,"process":0,"type":"invoke","f":"send","value":[1,2]}'],
    ['a polled map in an invoke', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll",{}]]}'],
    ['an unknown mop', '{"index":0,"time":0,"process":0,"type":"invoke","f":"txn","value":[["commit"]]}'],
    ['a value that is a string', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":"poll"}'],
    ['a field after the closing brace', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]},"error":"x"}'],
    ['a second event on the line', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}{"index":1}'],
    // A mop the op may not hold (history-format.md, "Values of client ops"), wherever it sits in the value.
    ['a send in a poll invoke', '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["send",1,2]]}'],
    ['a send in a poll completion, after a polled key of one, two or three reads',
      '{"index":0,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"0":[[0,1]]}],["send",1,[2,5]]]}'],
    ['a send after a polled key of two reads', '{"index":0,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"0":[[0,1],[1,2]]}],["send",1,[2,5]]]}'],
    ['a send after a polled key of three reads', '{"index":0,"time":0,"process":0,"type":"ok","f":"poll","value":[["poll",{"0":[[0,1],[1,2],[2,3]],"4":[]}],["send",1,[2,5]]]}'],
    ['a send offset in an invoke, after a poll', '{"index":0,"time":0,"process":0,"type":"invoke","f":"txn","value":[["poll"],["send",1,[2,5]]]}'],
    // A field missing from a line written in another order: the line before it had every field.
    ['a missing time', '{"process":0,"index":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a missing index', '{"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a missing process', '{"time":0,"index":0,"type":"invoke","f":"poll","value":[["poll"]]}'],
    ['a missing type', '{"time":0,"index":0,"process":0,"f":"poll","value":[["poll"]]}'],
    ['a missing f', '{"time":0,"index":0,"process":0,"type":"invoke","value":[["poll"]]}'],
    ['a polled map in an invoke, after a poll', '{"index":0,"time":0,"process":0,"type":"invoke","f":"txn","value":[["poll"],["poll",{"0":[]}]]}'],
  ])('leaves %s to JSON.parse, which decides', (_name, line) => {
    expect(scans(line)).toBe(false);
    const { scanned, ...fast } = outcome([line], true);
    expect(fast).toEqual(outcome([line], false));
    expect(scanned ?? 0).toBe(0);
    // After a line of every field, in the same scanner.
    const before = '{"value":[["poll"]],"f":"poll","type":"invoke","process":9,"time":0,"index":0}';
    const s = new FastEventScanner(), bytes = Buffer.from(`${before}\n${line.replace('"index":0', '"index":1')}`);
    expect(s.scan(bytes, 0, before.length)).toBe(true);
    expect(s.scan(bytes, before.length + 1, bytes.length), 'after a full line').toBe(false);
  });
});
