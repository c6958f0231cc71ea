// The fast scanner's results for a run of lines, as a flat "tape" a worker thread can hand to the
// main thread without copying objects (reader-pool.ts, parse-worker.ts). Each line becomes
// one record, in file order:
//   SCANNED index time process type f valueKind txnIdRef length value...   (a common-shape client event)
//   RAW start end                                                       (any other line: its bytes)
// The worker decides exactly as the serial reader does (reader.ts `lines`): the same scanner, the
// same per-line attempts, so the main thread that replays a tape takes the same path for every line.
// Rules, line numbers, JSON.parse and its errors stay with the main thread, in file order.
import { FastEventScanner } from './fast-scan.ts';

export const SCANNED = 0, RAW = 1;
/** Numbers of a SCANNED record before its value. */
export const HEAD = 9;

export interface Tape {
  nums: Float64Array<ArrayBuffer>;
  /** Numbers used in `nums`. */
  n: number;
  /** Bytes of RAW lines, which RAW records index. */
  raw: Uint8Array<ArrayBuffer>;
  /** txnId strings, which SCANNED records index (-1: none). */
  strings: string[];
}

/** Builds a tape; arrays grow by doubling (a worker reuses one writer per chunk). */
export class TapeWriter {
  nums = new Float64Array(1 << 16);
  n = 0;
  raw = new Uint8Array(1 << 12);
  rawN = 0;
  // Stryker disable next-line ArrayDeclaration: a record's txnId is the index push() returns less one, whatever the list held before, and reset() runs before every chunk
  strings: string[] = [];

  // Stryker disable next-line ArrayDeclaration: a record's txnId is the index push() returns less one, whatever the list held before, and reset() runs before every chunk
  reset(): void { this.n = 0; this.rawN = 0; this.strings = []; }

  scanned(s: FastEventScanner): void {
    const length = s.length;
    // Stryker disable next-line EqualityOperator: growing one number early, or to another size that still holds the record (grow doubles), changes only memory
    if (this.n + HEAD + length > this.nums.length) this.nums = grow(this.nums, this.n + HEAD + length);
    const t = this.nums, n = this.n, scratch = s.scratch;
    t[n] = SCANNED; t[n + 1] = s.index; t[n + 2] = s.time; t[n + 3] = s.process; t[n + 4] = s.type;
    t[n + 5] = s.f; t[n + 6] = s.valueKind;
    // Stryker disable next-line ConditionalExpression: an undefined txnId pushed is read back as undefined
    t[n + 7] = s.txnId === undefined ? -1 : this.strings.push(s.txnId) - 1;
    t[n + 8] = length;
    // Stryker disable next-line EqualityOperator: one number more is written past the record, where the next record or take()'s slice ends
    for (let i = 0; i < length; i++) t[n + HEAD + i] = scratch[i]!;
    this.n = n + HEAD + length;
  }

  rawLine(b: Uint8Array, start: number, end: number): void {
    // Stryker disable next-line EqualityOperator: growing one number early, or to another size that still holds the record (grow doubles), changes only memory
    if (this.n + 3 > this.nums.length) this.nums = grow(this.nums, this.n + 3);
    const len = end - start;
    // Stryker disable next-line EqualityOperator: growing one number early, or to another size that still holds the record (grow doubles), changes only memory
    if (this.rawN + len > this.raw.length) {
      // Stryker disable next-line ArithmeticOperator: growing one number early, or to another size that still holds the record (grow doubles), changes only memory
      const bigger = new Uint8Array(Math.max(2 * this.raw.length, this.rawN + len));
      bigger.set(this.raw.subarray(0, this.rawN));
      this.raw = bigger;
    }
    this.raw.set(b.subarray(start, end), this.rawN);
    this.nums[this.n] = RAW; this.nums[this.n + 1] = this.rawN; this.nums[this.n + 2] = this.rawN + len;
    this.n += 3;
    this.rawN += len;
  }

  /** The tape so far, in fresh arrays of the used length (to be transferred). */
  take(): Tape {
    return { nums: this.nums.slice(0, this.n), n: this.n, raw: this.raw.slice(0, this.rawN), strings: this.strings };
  }
}

function grow(a: Float64Array, atLeast: number): Float64Array<ArrayBuffer> {
  // Stryker disable next-line MethodExpression,ArithmeticOperator: growing one number early, or to another size that still holds the record (grow doubles), changes only memory (every caller asks for at least what the record needs)
  const b = new Float64Array(Math.max(2 * a.length, atLeast));
  b.set(a.subarray(0, a.length));
  return b;
}

/**
 * Scans the lines of b[0, n) as reader.ts `lines` would, then, if `atEnd`, the unterminated piece
 * after the last newline (a torn last line) as a RAW record, as the serial reader's `end` hands it
 * to the JSON path.
 */
export function scanToTape(scanner: FastEventScanner, out: TapeWriter, b: Uint8Array, n: number, atEnd: boolean): void {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,UnaryOperator: the scanLine path is a speed path: a line it does not take goes to scanner.scan below, which decides the same (for n = 0 the loop does not run)
  const last = n > 0 ? b.lastIndexOf(10, n - 1) : -1;
  let start = 0;
  while (start < n) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the scanLine path is a speed path: a line it does not take goes to scanner.scan below, which decides the same
    if (start <= last) {
      const end = scanner.scanLine(b, start, last);
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BlockStatement: the scanLine path is a speed path: a line it does not take goes to scanner.scan below, which decides the same; end is a newline or -1 (the limit is the last newline)
      if (end >= 0 && b[end] === 10) { out.scanned(scanner); start = end + 1; continue; }
    }
    let nl = b.indexOf(10, start);
    // Stryker disable next-line EqualityOperator: a newline at n is past the data: the last chunk's piece is taken to n anyway, and other chunks end at a newline before n
    if (nl === -1 || nl >= n) {
      if (!atEnd) throw new Error('a chunk must end at a newline or at the end of the file');
      nl = n;
    }
    if (scanner.scan(b, start, nl)) out.scanned(scanner);
    else out.rawLine(b, start, nl);
    start = nl + 1;
  }
}

/**
 * Chunk k of a file cut at nominal size `chunk`: [boundary(k), boundary(k+1)), where boundary(k)
 * is just past the first newline at or after k·chunk − 1 (0 for k = 0, the file size when no
 * newline follows). Every worker computes the same boundaries on its own, so chunks tile the file.
 */
export function boundaryAfter(firstNewlineFrom: (position: number) => number, k: number, chunk: number, size: number): number {
  if (k === 0) return 0;
  if (k * chunk - 1 >= size) return size;
  const nl = firstNewlineFrom(k * chunk - 1);
  return nl < 0 ? size : nl + 1;
}
