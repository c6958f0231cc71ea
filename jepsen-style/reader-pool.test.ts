// The parallel reader must be indistinguishable from the serial one: the same op table, warnings and
// counts on any history, and the same HistoryFormatError (line and message) on any bad input. The
// tape logic is checked in-process on many random cuts; the worker plumbing on a few real files.
import { fc, test } from '@fast-check/vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpTableBuilder } from './analysis/ops.ts';
import { FastEventScanner } from './fast-scan.ts';
import { HistoryLineParser, readHistoryFile } from './reader.ts';
import { boundaryAfter, scanToTape, TapeWriter } from './scan-tape.ts';
import { generateHistory } from './testing/generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'kafka-eos-reader-pool-'));

/** Outcome of reading `text` one way: the op table and summary, or the error's line and message. */
type Outcome = { table: unknown; count: number; warnings: string[] } | { line: number | undefined; message: string };

function outcome(run: (b: OpTableBuilder) => { count: number; warnings: string[] }): Outcome {
  const b = new OpTableBuilder();
  try {
    const { count, warnings } = run(b);
    return { table: b.finish(), count, warnings };
  } catch (error) {
    return { line: (error as { line?: number }).line, message: (error as Error).message };
  }
}

function serial(text: string): Outcome {
  return outcome((b) => {
    const p = new HistoryLineParser((e) => b.add(e), (s) => b.addScanned(s));
    p.push(text);
    return p.end();
  });
}

/** What the workers do, on one thread: chunks cut by `boundaryAfter`, scanned to tapes, replayed in order. */
function chunked(text: string, chunk: number): Outcome {
  const bytes = Buffer.from(text);
  const size = bytes.length, chunks = Math.max(1, Math.ceil(size / chunk));
  const newline = (p: number) => bytes.indexOf(10, p);
  return outcome((b) => {
    const p = new HistoryLineParser((e) => b.add(e), (s) => b.addScanned(s));
    const scanner = new FastEventScanner(), tape = new TapeWriter();
    for (let k = 0; k < chunks; k++) {
      const lo = boundaryAfter(newline, k, chunk, size), hi = boundaryAfter(newline, k + 1, chunk, size);
      tape.reset();
      // A copy, as a worker reads its chunk into its own buffer.
      scanToTape(scanner, tape, Uint8Array.from(bytes.subarray(lo, hi)), hi - lo, hi === size);
      p.replay(tape.take());
    }
    return p.end();
  });
}

function historyText(seed: number, ops: number): string[] {
  return [...generateHistory({ seed, ops, keys: 6, concurrency: 5, txnP: 0.4, failP: 0.1, infoP: 0.05 })].map((e) => JSON.stringify(e));
}

/** Edits that the reader must treat exactly as the serial reader does (mostly bad input). */
const EDITS: ((lines: string[], at: number) => string)[] = [
  (l) => l.join('\n') + '\n',
  (l) => l.join('\n'), // no final newline
  (l, at) => l.join('\n') + '\n' + l[at]!.slice(0, 15), // torn last line
  (l, at) => l.join('\n') + '\n' + l[at]!.slice(0, 15) + '\n', // torn last line, newline after
  (l, at) => [...l.slice(0, at), '{"index": oops', ...l.slice(at)].join('\n') + '\n', // bad line inside
  (l, at) => [...l.slice(0, at), '', ...l.slice(at)].join('\n') + '\n', // empty line inside
  (l) => l.join('\n') + '\n\n', // empty last line
  (l, at) => [...l.slice(0, at), ...l.slice(at + 1)].join('\n') + '\n', // index gap
  (l, at) => l.map((x, i) => (i >= at ? x.replace(/,/g, ', ') : x)).join('\n') + '\n', // JSON.parse path
  (l, at) => l.map((x, i) => (i === at ? x.replace('"time":', '"txnId":"t-1","time":') : x)).join('\n') + '\n',
  (l) => l.join('\r\n') + '\r\n',
];

describe('parallel history reader', () => {
  test.prop([fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: EDITS.length - 1 }), fc.integer({ min: 1, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: 150 })(
    'replaying chunk tapes in order reads any history (and any bad input) as the serial reader does',
    (seed, edit, chunk, where) => {
      const lines = historyText(seed, 30);
      const text = EDITS[edit]!(lines, Math.floor(where * (lines.length - 1)));
      expect(chunked(text, chunk)).toEqual(serial(text));
    },
  );

  it('reads files through worker threads as the serial reader does: good, torn and bad ones', async () => {
    const lines = historyText(7, 400);
    // A line longer than a chunk, so that some chunks are empty.
    const long = JSON.stringify({ index: lines.length, time: 1e9, process: 999, type: 'invoke', f: 'send', value: Array.from({ length: 2000 }, (_, i) => ['send', 1, 1e6 + i]) });
    const cases = [EDITS[0]!([...lines, long], 0), EDITS[2]!(lines, 100), EDITS[4]!(lines, 300), EDITS[8]!(lines, 200)];
    for (const [i, text] of cases.entries()) {
      const path = join(dir, `case-${i}.jsonl`);
      writeFileSync(path, text);
      const read = (parallel: boolean) => outcomeAsync((b) => readHistoryFile(path, (e) => b.add(e), (s) => b.addScanned(s), { parallel, workers: 2, chunkBytes: 8192 }));
      expect(await read(true)).toEqual(await read(false));
    }
  }, 60_000);
});

async function outcomeAsync(run: (b: OpTableBuilder) => Promise<{ count: number; warnings: string[] }>): Promise<Outcome> {
  const b = new OpTableBuilder();
  try {
    const { count, warnings } = await run(b);
    return { table: b.finish(), count, warnings };
  } catch (error) {
    return { line: (error as { line?: number }).line, message: (error as Error).message };
  }
}
