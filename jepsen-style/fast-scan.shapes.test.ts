// What the fast scanner takes (fast-scan.ts): every client event of the contract's shapes
// (docs/contract/history-format.md) as JSON.stringify writes it, and the same events with whitespace
// between tokens or their fields in another order; each is decoded exactly as JSON.parse reads it
// (the same op table). What it leaves to JSON.parse (fast-scan.test.ts) is only what it cannot decide.
import { describe, expect, it } from 'vitest';
import { OpTableBuilder } from './analysis/ops.ts';
import { FastEventScanner } from './fast-scan.ts';
import { HistoryLineParser } from './reader.ts';

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

const ev = (index: number, type: string, f: string, value: unknown, extra: object = {}) => JSON.stringify({ index, time: 10 * index, process: 3, type, f, value, ...extra });

/** Pairs of invoke and completion for every f and value shape of the contract. */
const PAIRS: [string, string[]][] = [
  ['a send, acknowledged with its offset', [ev(0, 'invoke', 'send', [['send', 0, 1], ['send', 2, -7]]), ev(1, 'ok', 'send', [['send', 0, [5, 1]], ['send', 2, [0, -7]]])]],
  ['a send whose offset is unknown (null, or -1)', [ev(0, 'invoke', 'send', [['send', 0, 1], ['send', 1, 2]]), ev(1, 'ok', 'send', [['send', 0, [null, 1]], ['send', 1, [-1, 2]]])]],
  ['a send that never returned, in an info op', [ev(0, 'invoke', 'send', [['send', 4, 9]]), ev(1, 'info', 'send', [['send', 4, 9]], { error: 'timeout' })]],
  ['a poll and its map (empty lists, keys in order)', [ev(0, 'invoke', 'poll', [['poll']]), ev(1, 'ok', 'poll', [['poll', { 0: [[0, 1], [1, 2]], 2: [], 10: [[7, 3]] }]])]],
  ['a poll that returned nothing', [ev(0, 'invoke', 'poll', [['poll']]), ev(1, 'ok', 'poll', [['poll', {}]])]],
  ['a failed poll, its invoke kept', [ev(0, 'invoke', 'poll', [['poll']]), ev(1, 'fail', 'poll', [['poll']], { error: 'x' })]],
  ['a transaction with a transactional id', [ev(0, 'invoke', 'txn', [['poll'], ['send', 1, 5]], { txnId: 'copier-0' }), ev(1, 'ok', 'txn', [['poll', { 0: [[3, 4]] }], ['send', 1, [2, 5]]], { txnId: 'copier-0' })]],
  ['a completion whose value is null', [ev(0, 'invoke', 'txn', [['send', 1, 5]]), ev(1, 'info', 'txn', null)]],
  ['an empty op', [ev(0, 'invoke', 'send', []), ev(1, 'ok', 'send', [])]],
  ['an assignment', [ev(0, 'invoke', 'assign', [0, 12, 3]), ev(1, 'ok', 'assign', [0, 12, 3])]],
  ['an empty subscription', [ev(0, 'invoke', 'subscribe', []), ev(1, 'ok', 'subscribe', [])]],
  ['a crash', [ev(0, 'invoke', 'crash', null), ev(1, 'info', 'crash', null)]],
  ['large numbers (15 digits)', [JSON.stringify({ index: 0, time: 999999999999999, process: 123456789012345, type: 'invoke', f: 'send', value: [['send', 999999999999999, -999999999999999]] })]],
];

/** The same text with whitespace JSON allows between its tokens. */
const spaced = (line: string, space: string) => line.replace(/([,:[\]{}])/g, `${space}$1${space}`);

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
