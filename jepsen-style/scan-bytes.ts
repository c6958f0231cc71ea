// Byte-level pieces of the fast scanner (fast-scan.ts): byte codes, literals compared four bytes at
// a time, whitespace and strings. Each either returns the position after what it read or throws
// FAIL, which the scanner turns into "not the common shape" (the line then goes to JSON.parse).

export const NEWLINE = 10, Q = 34, COMMA = 44, COLON = 58, LBRACK = 91, RBRACK = 93, LBRACE = 123, RBRACE = 125;
export const MINUS = 45, BACKSLASH = 92;

export const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

class Fail extends Error {}
export const FAIL = new Fail();

const ESCAPE = new Uint8Array(256), HEX = new Uint8Array(256), U = 117;
for (const c of '"\\/bfnrtu') ESCAPE[c.charCodeAt(0)] = 1;
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/**
 * A byte string compared four bytes at a time (DataView loads compile to single machine loads): the
 * keys of the usual field order, so that a line written by JSON.stringify needs no key matching.
 */
export class Literal {
  readonly length: number;
  private readonly offsets: Int32Array;
  private readonly words: Int32Array;

  constructor(readonly text: string) {
    const bytes = enc(text);
    this.length = bytes.length;
    // Words at 0, 4, 8, ... and one ending at the last byte (overlapping the one before it).
    // Stryker disable next-line ArithmeticOperator: for the scanner's literals (at most 11 bytes) 4 / i leaves the same words to compare
    const starts = [...Array.from({ length: Math.floor(bytes.length / 4) }, (_, i) => 4 * i), bytes.length - 4];
    this.offsets = Int32Array.from(new Set(starts));
    const view = new DataView(bytes.buffer);
    // Stryker disable next-line ArrowFunction,BooleanLiteral: a literal that fails to match only sends the line to the scanner's general path (fast-scan.ts `fields`), which reads the same fields: a speed path
    this.words = this.offsets.map((i) => view.getInt32(i, true));
  }

  /** Whether the literal is at p (and ends before `end`). */
  // Stryker disable next-line BlockStatement: a literal that fails to match only sends the line to the scanner's general path (fast-scan.ts `fields`), which reads the same fields: a speed path
  matches(dv: DataView, p: number, end: number): boolean {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BooleanLiteral: a literal that fails to match only sends the line to the scanner's general path (fast-scan.ts `fields`), which reads the same fields: a speed path; a literal taken past the end is followed by no digits and is refused
    if (p + this.length > end) return false;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BooleanLiteral,UpdateOperator: a literal that fails to match only sends the line to the scanner's general path (fast-scan.ts `fields`), which reads the same fields: a speed path
    for (let i = 0; i < this.offsets.length; i++) if (dv.getInt32(p + this.offsets[i]!, true) !== this.words[i]) return false;
    // Stryker disable next-line BooleanLiteral: a literal that fails to match only sends the line to the scanner's general path (fast-scan.ts `fields`), which reads the same fields: a speed path
    return true;
  }
}

export function ws(b: Uint8Array, p: number): number {
  let c = b[p];
  while (c === 32 || c === 9 || c === 13) c = b[++p];
  return p;
}

/** Position after `c` at p (whitespace allowed before it), or a throw. */
export function after(b: Uint8Array, p: number, c: number): number {
  // Stryker disable next-line ConditionalExpression: the check below repeats it after the whitespace (a speed path)
  if (b[p] === c) return p + 1;
  p = ws(b, p);
  if (b[p] !== c) throw FAIL;
  return p + 1;
}

export function same(b: Uint8Array, start: number, end: number, w: Uint8Array): boolean {
  if (w.length !== end - start) return false;
  for (let j = 0; j < w.length; j++) if (b[start + j] !== w[j]) return false;
  return true;
}

/** The string at p, one of `words`, by number (its bytes end at p + 2 + its length); else a throw. */
export function wordAt(b: Uint8Array, p: number, end: number, words: Uint8Array[]): number {
  if (b[p] !== Q) throw FAIL;
  const start = p + 1;
  p = start;
  // Stryker disable next-line EqualityOperator: a string read past the line's end leaves the scanner past it, and an event that does not end at the line's end is refused (fast-scan.ts `ends`)
  while (p < end && b[p] !== Q) if (b[p++] === BACKSLASH) throw FAIL;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a string read past the line's end leaves the scanner past it, and an event that does not end at the line's end is refused (fast-scan.ts `ends`)
  if (p >= end) throw FAIL;
  for (let i = 0; i < words.length; i++) if (same(b, start, p, words[i]!)) return i;
  throw FAIL;
}

/** A string of printable ASCII without escapes at p (its bytes end at p + 2 + its length). */
export function plainString(b: Uint8Array, p: number, end: number): string {
  if (b[p] !== Q) throw FAIL;
  let s = '';
  for (let c = b[++p]!; c !== Q; c = b[++p]!) {
    if (c === BACKSLASH || c < 32) throw FAIL;
    // Stryker disable next-line EqualityOperator: byte 128 never starts a UTF-8 character (its lead byte, 0xC2 or more, fails first); a string read past the line's end leaves the scanner past it, and an event that does not end at the line's end is refused (fast-scan.ts `ends`)
    if (c >= 128 || p >= end) throw FAIL;
    s += String.fromCharCode(c);
  }
  return s;
}

/** Any valid JSON string at p; the position after it. */
export function skipString(b: Uint8Array, p: number, end: number): number {
  if (b[p] !== Q) throw FAIL;
  p++;
  // Stryker disable next-line EqualityOperator: a string read past the line's end leaves the scanner past it, and an event that does not end at the line's end is refused (fast-scan.ts `ends`)
  while (p < end && b[p] !== Q) {
    const c = b[p]!;
    if (c < 32) throw FAIL;
    if (c !== BACKSLASH) { p++; continue; }
    const e = b[p + 1]!;
    if (!ESCAPE[e]) throw FAIL;
    if (e === U) {
      for (let j = p + 2; j < p + 6; j++) if (!HEX[b[j]!]) throw FAIL;
      p += 6;
    } else p += 2;
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a string read past the line's end leaves the scanner past it, and an event that does not end at the line's end is refused (fast-scan.ts `ends`)
  if (p >= end) throw FAIL;
  return p + 1;
}
