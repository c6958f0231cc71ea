// Streams history.jsonl: rules checked as lines arrive, nothing kept but what the caller's sink
// keeps. A run that is killed leaves a torn last line (history-format.md §1), so a line that is not
// JSON is only an error once another line follows it. Lines of the common client-event shape can
// skip JSON.parse (fast-scan.ts) when the caller consumes scanned events directly.
import { open, stat } from 'node:fs/promises';
import { FastEventScanner } from './fast-scan.ts';
import type { HistoryEvent } from './history.ts';
import { readInParallel, type PoolOptions } from './reader-pool.ts';
import { repeatedKey, type RepeatedKey } from './json-keys.ts';
import { HistoryFormatError, HistoryRules } from './rules.ts';
import { HEAD, RAW, type Tape } from './scan-tape.ts';
import { threadsPay } from './thread-policy.ts';

export interface ReadSummary {
  /** Events accepted. */
  count: number;
  /** Human-readable notes (a dropped torn line, unfinished invokes). */
  warnings: string[];
}

/** Receives client events the fast scanner read (valid and already checked against the rules). */
export type ScannedSink = (s: FastEventScanner) => void;

export class HistoryLineParser {
  private readonly rules = new HistoryRules();
  private readonly scanner = new FastEventScanner();
  private line = 0;
  private events = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private torn: { line: number; reason: string } | undefined;

  constructor(private readonly sink: (event: HistoryEvent) => void, private readonly scanned?: ScannedSink) {}

  push(chunk: string | Uint8Array): void {
    // Stryker disable next-line ConditionalExpression,StringLiteral: Buffer.from copies bytes as they are, and UTF-8 is its default
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    // Stryker disable next-line ConditionalExpression: concatenating an empty carry copies the same bytes
    const buf = this.carry.length === 0 ? bytes : Buffer.concat([this.carry, bytes]);
    this.carry = buf.subarray(this.lines(buf, buf.length));
  }

  /**
   * Reads the complete lines of buf[0, n) and keeps nothing of buf (the caller may refill it):
   * returns where the first incomplete line starts. Not to be mixed with a pending `push` carry.
   */
  lines(buf: Uint8Array, n: number): number {
    // The scanner finds the end of a line it can read, so only other lines need a newline search.
    // It reads no further than the last newline: a read past the buffer would teach the compiler
    // that bytes may be undefined, which slows every later line down.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,UnaryOperator: the scanLine path is a speed path: a line it does not take goes to handle(), which scans it the same way (for n = 0 the loop does not run)
    const last = this.scanned && n > 0 ? buf.lastIndexOf(10, n - 1) : -1;
    let start = 0;
    // Stryker disable next-line EqualityOperator: at start = n no newline is found before n, which ends the loop
    while (start < n) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the scanLine path is a speed path: a line it does not take goes to handle(), which scans it the same way
      if (start <= last && !this.torn) {
        const end = this.scanner.scanLine(buf, start, last);
        // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BlockStatement: the scanLine path is a speed path: a line it does not take goes to handle(), which scans it the same way; end is a newline or -1 (the limit is the last newline)
        if (end >= 0 && buf[end] === 10) {
          this.line++;
          this.acceptScanned();
          start = end + 1;
          continue;
        }
      }
      const nl = buf.indexOf(10, start);
      if (nl === -1 || nl >= n) break;
      this.handle(buf, start, nl);
      start = nl + 1;
    }
    return start;
  }

  end(): ReadSummary {
    if (this.carry.length > 0) this.handle(this.carry, 0, this.carry.length);
    this.carry = new Uint8Array(0);
    if (this.torn && this.events === 0) {
      // A killed run leaves a valid prefix and at most one torn line; a file that is nothing but one
      // line of something else is not a history, and judging it as an empty one would mislead.
      throw new HistoryFormatError(this.torn.line, `not valid JSON (${this.torn.reason}), and no event comes before it: this is not a history `
        + '(history.jsonl holds one JSON event per line, docs/contract/history-format.md)');
    }
    const warnings: string[] = [];
    if (this.torn) warnings.push(`line ${this.torn.line}: torn last line dropped (${this.torn.reason})`);
    const unfinished = this.rules.unfinished();
    if (unfinished.length > 0) {
      warnings.push(`${unfinished.length} invoke(s) without completion treated as info (processes ${unfinished.slice(0, 10).join(', ')}${unfinished.length > 10 ? ', ...' : ''})`);
    }
    return { count: this.events, warnings };
  }

  private acceptScanned(): void {
    const s = this.scanner;
    this.rules.acceptClient(s.index, s.time, s.process, s.type, s.f, this.line);
    this.scanned!(s);
    this.events++;
  }

  /**
   * The lines a worker scanned (scan-tape.ts), in order, as `lines` would have taken them: a scanned
   * event goes where `acceptScanned` sends it, any other line through `handle`'s JSON path.
   */
  replay(t: Tape): void {
    const nums = t.nums, s = this.scanner, own = s.scratch;
    // The scanner's fields describe each record in turn; its value is read in place from the tape.
    s.scratch = nums;
    try {
      for (let i = 0; i < t.n;) {
        if (nums[i] === RAW) {
          // Stryker disable next-line BooleanLiteral: the worker's scanner refused this line; this one refuses it again
          this.handle(t.raw, nums[i + 1]!, nums[i + 2]!, false);
          i += 3;
          continue;
        }
        // Stryker disable next-line BooleanLiteral: handle throws before it would scan
        if (this.torn) this.handle(t.raw, 0, 0, false); // throws: only the last line may be torn
        const length = nums[i + 8]!, ref = nums[i + 7]!;
        s.index = nums[i + 1]!; s.time = nums[i + 2]!; s.process = nums[i + 3]!; s.type = nums[i + 4]!;
        s.f = nums[i + 5]!; s.valueKind = nums[i + 6]!; s.txnId = ref < 0 ? undefined : t.strings[ref];
        s.base = i + HEAD;
        s.length = length;
        this.line++;
        this.acceptScanned();
        i += HEAD + length;
      }
      // Stryker disable next-line BlockStatement: the parallel reader feeds the parser by replay only, so nothing scans after it
    } finally {
      s.scratch = own;
      s.base = 0;
    }
  }

  /** One line by the general path; `tryScan` false when the scanner has already refused it. */
  // Stryker disable next-line BooleanLiteral: a line not scanned goes through JSON.parse, which reads it the same (a speed path)
  private handle(buf: Uint8Array, start: number, end: number, tryScan = true): void {
    this.line++;
    if (this.torn) {
      throw new HistoryFormatError(this.torn.line, `not valid JSON (${this.torn.reason}); only the last line may be torn. Fix or remove that line`);
    }
    // Stryker disable next-line ConditionalExpression,BlockStatement: a line not scanned goes through JSON.parse, which reads it the same (a speed path)
    if (tryScan && this.scanned && this.scanner.scan(buf, start, end)) {
      this.acceptScanned();
      return;
    }
    const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
    if (this.line === 1 && text.charCodeAt(0) === 0xfeff) {
      throw new HistoryFormatError(1, 'the file starts with a byte-order mark (bytes EF BB BF); history.jsonl is UTF-8 without one. '
        + "Remove it, e.g. sed -i '1s/^\xEF\xBB\xBF//' FILE");
    }
    if (text.trim().length === 0) {
      this.torn = { line: this.line, reason: 'empty line' };
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      this.torn = { line: this.line, reason: visible((error as Error).message) };
      return;
    }
    const repeated = repeatedKey(text);
    if (repeated) throw new HistoryFormatError(this.line, repeatedMessage(repeated));
    this.sink(this.rules.accept(raw, this.line));
    this.events++;
  }
}

/** The message for a repeated key: the reader would have kept only its last occurrence. */
function repeatedMessage({ key, path }: RepeatedKey): string {
  const why = 'a JSON reader keeps only the last of repeated keys, so what came before would be lost without a word: write each key once';
  if (path === '') return `field ${JSON.stringify(key)} appears twice in the event; ${why}`;
  if (/^value\[\d+\]\[1\]$/.test(path)) return `the poll map at ${path} repeats key ${JSON.stringify(key)}; ${why} (all of a key's pairs in one list)`;
  return `the object at ${path} repeats key ${JSON.stringify(key)}; ${why}`;
}

/** Invisible characters (a byte-order mark, controls) in a message, written as \u escapes so that they show. */
const visible = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Files from this size up are scanned by worker threads (smaller ones do not repay starting them). */
export const PARALLEL_FROM_BYTES = 32 << 20;

export interface ReadOptions extends PoolOptions {
  /** Use worker threads; by default for files of PARALLEL_FROM_BYTES or more (and `scanned` given) when threads pay (thread-policy.ts). */
  parallel?: boolean;
}

/**
 * Reads a history file, streaming through one reused buffer (no allocation per chunk), or, for a
 * large file, through worker threads that scan chunks of it (reader-pool.ts): the result and any
 * HistoryFormatError (with a line number) are the same either way.
 */
export async function readHistoryFile(path: string, sink: (event: HistoryEvent) => void, scanned?: ScannedSink, options: ReadOptions = {}): Promise<ReadSummary> {
  const parser = new HistoryLineParser(sink, scanned);
  if (scanned) {
    const { size } = await stat(path);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the size from which threads are worth asking for changes only speed (the parallel reader reads the same)
    const large = size >= PARALLEL_FROM_BYTES;
    if (options.parallel ?? threadsPay(large)) {
      await readInParallel(path, size, parser, options);
      return parser.end();
    }
  }
  const file = await open(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 20), filled = 0;
    for (;;) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: growing the buffer when it is not full changes only memory
      if (filled === buf.length) buf = Buffer.concat([buf], 2 * buf.length); // a line longer than the buffer
      const { bytesRead } = await file.read(buf, filled, buf.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      const used = parser.lines(buf, filled);
      buf.copyWithin(0, used, filled);
      filled -= used;
    }
    parser.push(Buffer.from(buf.subarray(0, filled)));
  } finally {
    await file.close();
  }
  return parser.end();
}

/** Parses a whole history held in memory (tests, small files). */
export function parseHistoryText(text: string): { events: HistoryEvent[] } & ReadSummary {
  const events: HistoryEvent[] = [];
  const parser = new HistoryLineParser((e) => events.push(e));
  parser.push(text);
  return { ...parser.end(), events };
}
