// The reader's own rules (docs/contract/history-format.md, "The file"): UTF-8 without a byte-order
// mark, one event per line; a killed run leaves at most one torn last line, dropped with a warning
// that says why; a line that is not JSON anywhere else is refused naming the line; a file that is
// nothing but one line of something else is not a history; invokes left without completion are
// named in a warning. Invisible characters in a message are written as \u escapes, so that they show.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryLineParser, parseHistoryText, readHistoryFile } from './reader.ts';
import { HistoryFormatError } from './rules.ts';

const ev = (index: number, process: number, type: string, f = 'poll', value: unknown = type === 'invoke' ? [['poll']] : [['poll', {}]]) =>
  JSON.stringify({ index, time: index, process, type, f, value });
const GOOD = [ev(0, 0, 'invoke'), ev(1, 0, 'ok')];

/** The error of reading `text` (in memory, and on the fast path), or the summary. */
function read(text: string, fast = false): { line: number; message: string } | { count: number; warnings: string[] } {
  try {
    const p = new HistoryLineParser(() => {}, fast ? () => {} : undefined);
    p.push(text);
    return p.end();
  } catch (e) {
    if (!(e instanceof HistoryFormatError)) throw e;
    return { line: e.line, message: e.message };
  }
}
/** JSON.parse's own words (they differ between Node versions). */
const why = (line: string): string => {
  try {
    JSON.parse(line);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${line} is JSON`);
};
const both = (text: string) => {
  const slow = read(text);
  expect(read(text, true)).toEqual(slow);
  return slow;
};

describe('a torn last line', () => {
  it('is dropped with a warning naming its line and why it is not JSON', () => {
    expect(both([...GOOD, '{"index":2,"ti'].join('\n'))).toEqual({ count: 2, warnings: [`line 3: torn last line dropped (${why('{"index":2,"ti')})`] });
  });

  it('may be empty or blank: an empty line', () => {
    for (const tail of ['\n', '   \n', '\t']) {
      expect(both(GOOD.join('\n') + '\n' + tail), JSON.stringify(tail)).toEqual({ count: 2, warnings: ['line 3: torn last line dropped (empty line)'] });
    }
  });

  it('must be the last: a blank or broken line followed by another is refused naming it', () => {
    expect(both([GOOD[0], '', GOOD[1]].join('\n') + '\n')).toEqual({ line: 2, message: 'line 2: not valid JSON (empty line); only the last line may be torn. Fix or remove that line' });
    expect(both([GOOD[0], '  ', GOOD[1]].join('\n') + '\n')).toMatchObject({ line: 2, message: expect.stringMatching(/^line 2: not valid JSON \(empty line\); only the last line/) });
    expect(both([GOOD[0], '{"index"', GOOD[1]].join('\n') + '\n')).toMatchObject({ line: 2, message: expect.stringMatching(/^line 2: not valid JSON \(.+\); only the last line may be torn\. Fix or remove that line$/) });
  });

  it('shows the invisible characters of its reason as \\u escapes', () => {
    const shown: [string, string][] = [['\u0000', '\\u0000'], ['\u0007', '\\u0007'], ['\u001f', '\\u001f'], ['\u007f', '\\u007f'], ['\u0085', '\\u0085'],
      ['\u009f', '\\u009f'], ['\u00ad', '\\u00ad'], ['\u200b', '\\u200b'], ['\u200f', '\\u200f'], ['\u2028', '\\u2028'], ['\u202e', '\\u202e'],
      ['\u2060', '\\u2060'], ['\u206f', '\\u206f'], ['\ufeff', '\\ufeff']];
    for (const [c, escaped] of shown) {
      const out = both(GOOD.join('\n') + '\n' + c + 'x') as { warnings: string[] };
      expect(out.warnings, escaped).toEqual([`line 3: torn last line dropped (${why(c + 'x').replaceAll(c, escaped)})`]);
      expect(out.warnings[0]).not.toContain(c);
    }
    // Visible characters stay as they are.
    for (const c of ['é', '\u00a0', '\u2030', '\u2061'.replace('\u2061', '\u2070'), '~']) {
      const out = both(GOOD.join('\n') + '\n' + c + 'x') as { warnings: string[] };
      expect(out.warnings[0], c).toContain(`Unexpected token '${c}'`);
    }
  });
});

describe('a file that is not a history', () => {
  it('of one line that is not JSON, or only blank, is refused: no event comes before it', () => {
    expect(both('hello')).toEqual({ line: 1, message: `line 1: not valid JSON (${why('hello')}), and no event comes before it: `
      + 'this is not a history (history.jsonl holds one JSON event per line, docs/contract/history-format.md)' });
    expect(both('\n')).toMatchObject({ line: 1, message: expect.stringMatching(/^line 1: not valid JSON \(empty line\), and no event/) });
  });

  it('starting with a byte-order mark is refused, saying how to remove it; U+FEFF elsewhere is an ordinary bad character', () => {
    expect(both('\ufeff' + GOOD.join('\n') + '\n')).toEqual({ line: 1, message: 'line 1: the file starts with a byte-order mark (bytes EF BB BF); history.jsonl is UTF-8 without one. '
      + "Remove it, e.g. sed -i '1s/^\xEF\xBB\xBF//' FILE" });
    expect(both([GOOD[0], '\ufeff' + GOOD[1], ev(2, 1, 'invoke')].join('\n') + '\n')).toMatchObject({ line: 2, message: expect.stringMatching(/^line 2: not valid JSON \(Unexpected token '\\ufeff'.*only the last line may be torn/) });
  });

  it('an empty file is an empty history', () => {
    expect(both('')).toEqual({ count: 0, warnings: [] });
  });
});

describe('invokes without completion', () => {
  it('are named, the first ten of them, in invoke order', () => {
    const invokes = (n: number) => Array.from({ length: n }, (_, i) => ev(i, [4, 2, 9, 0, 1, 3, 5, 6, 7, 8, 10, 11][i]!, 'invoke')).join('\n') + '\n';
    expect(both(invokes(1))).toEqual({ count: 1, warnings: ['1 invoke(s) without completion treated as info (processes 4)'] });
    expect(both(invokes(10))).toEqual({ count: 10, warnings: ['10 invoke(s) without completion treated as info (processes 4, 2, 9, 0, 1, 3, 5, 6, 7, 8)'] });
    expect(both(invokes(11))).toEqual({ count: 11, warnings: ['11 invoke(s) without completion treated as info (processes 4, 2, 9, 0, 1, 3, 5, 6, 7, 8, ...)'] });
  });
});

describe('reading in pieces', () => {
  it('takes text and bytes cut anywhere, a character split across pieces included', () => {
    const text = [ev(0, 0, 'invoke'), JSON.stringify({ index: 1, time: 1, process: 0, type: 'fail', f: 'poll', value: null, error: 'délai dépassé ✓' }),
      JSON.stringify({ index: 2, time: 2, process: 'nemesis', type: 'info', f: 'kill', value: 'nœud 1' })].join('\n') + '\n' + ev(3, 1, 'invoke');
    const whole = parseHistoryText(text);
    expect(whole.events).toHaveLength(4);
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      for (const fast of [false, true]) {
        const events: unknown[] = [];
        const p = new HistoryLineParser((e) => events.push(e), fast ? () => events.push('scanned') : undefined);
        p.push(bytes.subarray(0, cut));
        p.push(bytes.subarray(cut, cut + 50).toString('latin1') === '' ? new Uint8Array(0) : bytes.subarray(cut, cut + 50));
        p.push(bytes.subarray(cut + 50));
        expect(p.end(), `cut at ${cut}`).toEqual({ count: 4, warnings: ['1 invoke(s) without completion treated as info (processes 1)'] });
        if (!fast) expect(events).toEqual(whole.events);
      }
    }
    // Strings are pieces too.
    const p = new HistoryLineParser(() => {});
    for (const piece of text.match(/[\s\S]{1,9}/g)!) p.push(piece);
    expect(p.end().count).toBe(4);
  });

  it('from a file: the same summary and events as from memory; a missing file is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-eos-reader-rules-'));
    const path = join(dir, 'history.jsonl');
    const text = [...GOOD, ev(2, 1, 'invoke')].join('\n') + '\n{"ind';
    writeFileSync(path, text);
    const events: unknown[] = [];
    expect(await readHistoryFile(path, (e) => events.push(e))).toEqual({ count: 3, warnings: [`line 4: torn last line dropped (${why('{"ind')})`, '1 invoke(s) without completion treated as info (processes 1)'] });
    expect(events).toEqual(parseHistoryText(text).events);
    for (const parallel of [false, true]) {
      let scanned = 0;
      expect(await readHistoryFile(path, () => {}, () => { scanned++; }, { parallel, chunkBytes: 16 }), `parallel ${parallel}`).toEqual({ count: 3, warnings: expect.any(Array) });
      expect(scanned).toBe(3);
    }
    // Without a sink for scanned events there is nothing for worker threads to do: the file is read serially.
    const serialEvents: unknown[] = [];
    expect(await readHistoryFile(path, (e) => serialEvents.push(e), undefined, { parallel: true, chunkBytes: 16 })).toEqual({ count: 3, warnings: expect.any(Array) });
    expect(serialEvents).toEqual(events);
    // The file is closed after a read, and after a read that failed.
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    await readHistoryFile(path, () => {});
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, 'x\n' + GOOD.join('\n') + '\n');
    await expect(readHistoryFile(bad, () => {}, () => {})).rejects.toThrow(/line 1: not valid JSON/);
    expect(open()).toBe(before);
    await expect(readHistoryFile(join(dir, 'missing.jsonl'), () => {})).rejects.toThrow(/ENOENT/);
    await expect(readHistoryFile(join(dir, 'missing.jsonl'), () => {}, () => {})).rejects.toThrow(/ENOENT/);
  });
});
