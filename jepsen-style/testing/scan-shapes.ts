// Client events of every shape the contract allows (docs/contract/history-format.md), as JSON.stringify
// writes them: the fast scanner's tests (fast-scan.shapes.test.ts, fast-scan.edits.test.ts), and how
// those tests read a line both ways.
import { OpTableBuilder } from '../analysis/ops.ts';
import { FastEventScanner } from '../fast-scan.ts';
import { HistoryLineParser } from '../reader.ts';

export const ev = (index: number, type: string, f: string, value: unknown, extra: object = {}) => JSON.stringify({ index, time: 10 * index, process: 3, type, f, value, ...extra });

/** Pairs of invoke and completion for every f and value shape of the contract. */
export const PAIRS: [string, string[]][] = [
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
  ['a subscription', [ev(0, 'invoke', 'subscribe', [2, 0]), ev(1, 'ok', 'subscribe', [2, 0])]],
  ['an error with escapes', [ev(0, 'invoke', 'poll', [['poll']]), ev(1, 'fail', 'poll', null, { error: 'q" b\\ é \u0001 \t ✓' })]],
  ['a crash', [ev(0, 'invoke', 'crash', null), ev(1, 'info', 'crash', null)]],
  ['large numbers (15 digits)', [JSON.stringify({ index: 0, time: 999999999999999, process: 123456789012345, type: 'invoke', f: 'send', value: [['send', 999999999999999, -999999999999999]] })]],
];

/** The same text with whitespace JSON allows between its tokens. */
export const spaced = (line: string, space: string) => line.replace(/([,:[\]{}])/g, `${space}$1${space}`);

/** The outcome of reading `lines` one way (the fast scanner's sink or JSON.parse only): the op table and summary, or the refusal. */
export function readOutcome(lines: string[], fast: boolean) {
  const b = new OpTableBuilder();
  let scanned = 0;
  try {
    const p = new HistoryLineParser((e) => b.add(e), fast ? (s) => { scanned++; b.addScanned(s); } : undefined);
    p.push(lines.join('\n') + '\n');
    return { summary: p.end(), table: b.finish(), scanned: fast ? scanned : undefined };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Whether the fast scanner takes the line (false: it leaves the line to JSON.parse). */
export const scans = (line: string) => {
  const bytes = Buffer.from(line);
  return new FastEventScanner().scan(bytes, 0, bytes.length);
};
