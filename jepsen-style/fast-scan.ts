// A byte-level scanner for the common shape of a client event line, which writes mops as numbers into
// a scratch array instead of building objects: JSON.parse of a million-op history spends most of its
// time allocating [offset, value] pairs the checker immediately flattens. It accepts a subset of
// what the contract allows (no escapes in keys, no unknown fields, no nemesis events, no value whose
// shape is wrong, polled keys in ascending order as JSON.stringify writes them); anything else
// returns false and the line takes the JSON.parse path, which also produces the error messages. So
// the fast path never changes what is accepted or rejected, nor the order in which reads are seen.
// The hot loops keep the position in a local variable and numbers go to a module variable: this
// file is most of the time a large history takes to check.
import { F_NAMES, POLL, POLL_MAP, SEND_PAIR, SEND_PLAIN, shapeFits, TYPE_NAMES, V_EMPTY, V_KEYS, V_MISSING, V_MOPS, V_NULL } from './scan-shape.ts';
import { after, COLON, COMMA, enc, FAIL, LBRACE, LBRACK, Literal, MINUS, NEWLINE, plainString, Q, RBRACE, RBRACK, same, skipString, wordAt, ws } from './scan-bytes.ts';

export { F_NAMES, POLL, POLL_MAP, SEND_PAIR, SEND_PLAIN, TYPE_NAMES, V_EMPTY, V_KEYS, V_MISSING, V_MOPS, V_NULL } from './scan-shape.ts';

/** Field numbers, in the order JSON.stringify of a history event writes them. */
const K_INDEX = 0, K_TIME = 1, K_PROCESS = 2, K_TYPE = 3, K_F = 4, K_VALUE = 5, K_ERROR = 6, K_TXN_ID = 7;

const KEYS = ['index', 'time', 'process', 'type', 'f', 'value', 'error', 'txnId'].map(enc);
const TYPES = TYPE_NAMES.map(enc);
const FS = F_NAMES.map(enc);
const MOP_NAMES = [enc('send'), enc('poll')];
const NULL = enc('null');

const L_INDEX = new Literal('{"index":'), L_TIME = new Literal(',"time":'), L_PROCESS = new Literal(',"process":');
const L_TYPE = new Literal(',"type":'), L_F = new Literal(',"f":'), L_VALUE = new Literal(',"value":');
const L_SEND = new Literal('["send"'), L_POLL = new Literal('["poll"');
/** The type and f strings with their quotes: a match is the whole string. */
const Q_TYPES = TYPE_NAMES.map((x) => new Literal(`"${x}"`)), Q_FS = F_NAMES.map((x) => new Literal(`"${x}"`));

const NOT_USUAL = 0, HEADER = 1, DONE = 2;

/** The number the last `int` call read. */
let num = 0;

/** A JSON integer at p (no fraction or exponent, at most 15 digits); the position after it, or a FAIL throw. */
function int(b: Uint8Array, p: number): number {
  const neg = b[p] === MINUS;
  if (neg) p++;
  const start = p;
  let x = 0, c = b[p]! - 48;
  while (c >= 0 && c <= 9) { x = x * 10 + c; c = b[++p]! - 48; }
  // c is now the byte after the digits, less 48: '.' is -2, 'e' 53 and 'E' 21 (21 | 32 = 53).
  // Stryker disable next-line ConditionalExpression,UnaryOperator: a fraction or an exponent left unread is refused by the token check that follows every number
  if ((p - start - 1) >>> 0 >= 15 || (b[start] === 48 && p - start > 1) || c === -2 || (c | 32) === 53) throw FAIL;
  num = neg ? -x : x;
  return p;
}

export class FastEventScanner {
  index = 0; time = 0; process = 0; type = 0; f = 0; valueKind = V_MISSING;
  txnId: string | undefined;
  scratch = new Float64Array(1 << 12);
  /** Where the value's numbers start in `scratch`: 0 here; a replayed tape's record (reader.ts) points into the tape. */
  base = 0;
  length = 0;
  private b: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private p = 0;
  private end = 0;

  /** Scans b[start, end); true when the line is a client event of the common shape. */
  scan(b: Uint8Array, start: number, end: number): boolean {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a scratch array too small makes scanLine refuse the line (JSON.parse reads it), a larger one costs memory
    if (end - start + 16 > this.scratch.length) this.scratch = new Float64Array(2 * (end - start) + 16);
    return this.scanLine(b, start, end) === end;
  }

  /**
   * Scans the line that starts at `start` and ends at the next newline or at `limit`, without
   * looking for the newline first (the reader saves a search per line): the position where the
   * event ended (a newline, or `limit`), or -1 when the line is not a client event of the common
   * shape, or does not end within reach.
   */
  scanLine(b: Uint8Array, start: number, limit: number): number {
    // Stryker disable next-line ConditionalExpression: a new DataView on the same bytes (speed)
    if (b !== this.b) { this.b = b; this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength); }
    // Every number pushed takes at least two bytes of the line, so within this reach the scratch
    // array needs no check (past it, the scan fails and `scan` retries with a larger array).
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: every number takes two bytes or more, so a reach off by 32 still fits the scratch array; a shorter reach only refuses more lines
    if (limit - start + 16 > this.scratch.length) limit = start + this.scratch.length - 16;
    this.end = limit;
    try {
      const usual = this.usualHeader(start);
      // Stryker disable next-line ConditionalExpression: the general path from the start reads the usual header too (speed path)
      if (usual === NOT_USUAL) {
        this.p = start; this.length = 0; this.valueKind = V_MISSING;
        if (!this.fields(0)) return -1;
      } else if (usual === HEADER && !this.fields(0b111111)) return -1;
      return shapeFits(this.f, this.type === 0, this.valueKind, this.scratch, this.length) ? this.p : -1;
      // Stryker disable next-line BlockStatement: nothing but FAIL is thrown here; an undefined answer is no line end either
    } catch (e) {
      // Stryker disable next-line ConditionalExpression: nothing but FAIL is thrown here
      if (e === FAIL) return -1;
      throw e;
    }
  }

  /** Whether the event ended at p: the limit, or a newline. */
  private ends(p: number): boolean {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the callers take a line only where it ends at a newline or at its end (scan, lines), which repeats this check
    return p === this.end || (p < this.end && this.b[p] === NEWLINE);
  }

  /**
   * The six contract fields in JSON.stringify's order, without whitespace: DONE if the line ends
   * there, HEADER if more fields follow, NOT_USUAL (nothing decided) otherwise.
   */
  private usualHeader(start: number): number {
    const b = this.b, dv = this.dv, end = this.end;
    this.length = 0; this.valueKind = V_MISSING; this.txnId = undefined;
    // Stryker disable next-line ConditionalExpression: NOT_USUAL sends the line to the general path, which reads the same (speed path)
    if (!L_INDEX.matches(dv, start, end)) return NOT_USUAL;
    this.p = start + L_INDEX.length;
    this.index = this.nonNegative();
    // Stryker disable next-line ConditionalExpression: NOT_USUAL sends the line to the general path, which reads the same (speed path)
    if (!L_TIME.matches(dv, this.p, end)) return NOT_USUAL;
    this.p += L_TIME.length;
    this.time = this.nonNegative();
    // Stryker disable next-line ConditionalExpression: NOT_USUAL sends the line to the general path, which reads the same (speed path)
    if (!L_PROCESS.matches(dv, this.p, end)) return NOT_USUAL;
    this.p += L_PROCESS.length;
    this.process = this.nonNegative();
    // Stryker disable next-line ConditionalExpression: NOT_USUAL sends the line to the general path, which reads the same (speed path)
    if (!L_TYPE.matches(dv, this.p, end)) return NOT_USUAL;
    this.p += L_TYPE.length;
    this.type = this.quoted(Q_TYPES);
    // Stryker disable next-line ConditionalExpression: NOT_USUAL sends the line to the general path, which reads the same (speed path)
    if (!L_F.matches(dv, this.p, end)) return NOT_USUAL;
    this.p += L_F.length;
    this.f = this.quoted(Q_FS);
    // Stryker disable next-line ConditionalExpression: NOT_USUAL sends the line to the general path, which reads the same (speed path)
    if (!L_VALUE.matches(dv, this.p, end)) return NOT_USUAL;
    this.p += L_VALUE.length;
    this.value();
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator,BlockStatement: HEADER instead of DONE lets fields() read the closing brace (speed path)
    if (b[this.p] === RBRACE && this.ends(this.p + 1)) { this.p++; return DONE; }
    return HEADER;
  }

  /** Fields in any order, with whitespace; `seen` has a bit per field already read. */
  private fields(seen: number): boolean {
    const b = this.b;
    if (seen === 0) {
      this.p = ws(b, after(b, this.p, LBRACE));
      // Stryker disable next-line ConditionalExpression,BooleanLiteral: `{}` then fails at its first key, or has no value and fits no shape
      if (b[this.p] === RBRACE) return false;
    } else if (!this.nextField()) return this.ends(this.p) && (seen & 0b111111) === 0b111111;
    for (;;) {
      const key = this.word(KEYS);
      // Stryker disable next-line BooleanLiteral: a line that stops at a repeated field does not end there, which the callers refuse
      if (seen & (1 << key)) return false;
      seen |= 1 << key;
      this.p = ws(b, after(b, this.p, COLON));
      switch (key) {
        case K_INDEX: this.index = this.nonNegative(); break;
        case K_TIME: this.time = this.nonNegative(); break;
        case K_PROCESS: this.process = this.nonNegative(); break;
        case K_TYPE: this.type = this.word(TYPES); break;
        case K_F: this.f = this.word(FS); break;
        case K_VALUE: this.value(); break;
        case K_ERROR: this.p = skipString(b, this.p, this.end); break;
        case K_TXN_ID: this.txnId = plainString(b, this.p, this.end); this.p += this.txnId.length + 2; break;
      }
      if (!this.nextField()) break;
    }
    return this.ends(this.p) && (seen & 0b111111) === 0b111111;
  }

  /** After a field: true at a comma (and moves past it), false at the closing brace (moved past). */
  private nextField(): boolean {
    const b = this.b, p = ws(b, this.p);
    if (b[p] === COMMA) { this.p = ws(b, p + 1); return true; }
    this.p = ws(b, after(b, p, RBRACE));
    return false;
  }

  private nonNegative(): number {
    const p = int(this.b, this.p);
    if (num < 0) throw FAIL;
    this.p = p;
    return num;
  }

  private value(): void {
    const b = this.b, s = this.scratch;
    if (b[this.p] === 110) { this.literal(NULL); this.valueKind = V_NULL; return; }
    let p = ws(b, after(b, this.p, LBRACK));
    if (b[p] === RBRACK) { this.p = p + 1; this.valueKind = V_EMPTY; return; }
    this.valueKind = b[p] === LBRACK ? V_MOPS : V_KEYS;
    for (;;) {
      if (this.valueKind === V_KEYS) {
        p = int(b, p);
        if (num < 0) throw FAIL;
        s[this.length++] = num;
      } else {
        this.p = p;
        this.mop();
        p = this.p;
      }
      p = ws(b, p);
      if (b[p] === COMMA) { p = ws(b, p + 1); continue; }
      this.p = after(b, p, RBRACK);
      return;
    }
  }

  private mop(): void {
    const b = this.b, s = this.scratch;
    let name: number;
    // Stryker disable next-line ConditionalExpression: the general path below reads the mop's name too (speed path)
    if (L_SEND.matches(this.dv, this.p, this.end)) { name = 0; this.p += L_SEND.length; }
    // Stryker disable next-line ConditionalExpression: the general path below reads the mop's name too (speed path)
    else if (L_POLL.matches(this.dv, this.p, this.end)) { name = 1; this.p += L_POLL.length; }
    else {
      this.p = ws(b, after(b, this.p, LBRACK));
      name = this.word(MOP_NAMES);
    }
    let p = ws(b, this.p);
    if (name === 0) {
      p = int(b, ws(b, after(b, p, COMMA)));
      const k = num;
      if (k < 0) throw FAIL;
      p = ws(b, after(b, p, COMMA));
      if (b[p] === LBRACK) {
        p = ws(b, p + 1);
        let o = NaN;
        if (b[p] === 110) { this.p = p; this.literal(NULL); p = this.p; } else {
          p = int(b, p);
          // -1 is the Java client's "no offset", read as null; other negative offsets are errors, which the JSON path words.
          if (num < -1) throw FAIL;
          if (num >= 0) o = num;
        }
        p = int(b, ws(b, after(b, p, COMMA)));
        p = after(b, p, RBRACK);
        const n = this.length;
        s[n] = SEND_PAIR; s[n + 1] = k; s[n + 2] = o; s[n + 3] = num;
        this.length = n + 4;
      } else {
        p = int(b, p);
        const n = this.length;
        s[n] = SEND_PLAIN; s[n + 1] = k; s[n + 2] = num;
        this.length = n + 3;
      }
    } else if (b[p] === COMMA) {
      this.p = ws(b, p + 1);
      this.pollMap();
      p = this.p;
    } else {
      s[this.length++] = POLL;
    }
    this.p = after(b, p, RBRACK);
  }

  /** `{"k": [[offset, value], ...], ...}`: the bulk of a large history's bytes. */
  private pollMap(): void {
    const b = this.b, s = this.scratch;
    let p = ws(b, after(b, this.p, LBRACE));
    let n = this.length;
    s[n++] = POLL_MAP;
    const countAt = n;
    s[n++] = 0;
    if (b[p] === RBRACE) { this.p = p + 1; this.length = n; return; }
    let keys = 0, previous = -1;
    for (;;) {
      // JSON.parse lists integer keys in ascending order whatever the text says: leave others to it.
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: a negative key is refused anyway, by the ascending check (previous starts at -1)
      if (b[p] !== Q || b[p + 1] === MINUS) throw FAIL;
      p = int(b, p + 1);
      if (b[p] !== Q || num <= previous) throw FAIL;
      previous = num;
      p = ws(b, after(b, ws(b, after(b, p + 1, COLON)), LBRACK));
      s[n++] = num;
      const pairsAt = n++;
      let pairs = 0;
      if (b[p] !== RBRACK) {
        for (;;) {
          p = int(b, ws(b, after(b, p, LBRACK)));
          if (num < 0) throw FAIL;
          const o = num;
          p = int(b, ws(b, after(b, p, COMMA)));
          s[n] = o; s[n + 1] = num; n += 2;
          p = after(b, p, RBRACK);
          pairs++;
          // Stryker disable next-line ConditionalExpression,BlockStatement: the check after the whitespace below takes the comma too (speed path)
          if (b[p] === COMMA) { p++; continue; }
          p = ws(b, p);
          if (b[p] === COMMA) { p = ws(b, p + 1); continue; }
          break;
        }
      }
      p = after(b, p, RBRACK);
      s[pairsAt] = pairs;
      keys++;
      p = ws(b, p);
      if (b[p] === COMMA) { p = ws(b, p + 1); continue; }
      p = after(b, p, RBRACE);
      break;
    }
    s[countAt] = keys;
    this.length = n;
    this.p = p;
  }

  /** A string from `words` (quoted literals), by number; anything else throws. */
  private quoted(words: Literal[]): number {
    for (let i = 0; i < words.length; i++) {
      if (words[i]!.matches(this.dv, this.p, this.end)) { this.p += words[i]!.length; return i; }
    }
    throw FAIL;
  }

  /** A string from `words`, by number; anything else throws. */
  private word(words: Uint8Array[]): number {
    const i = wordAt(this.b, this.p, this.end, words);
    this.p += words[i]!.length + 2;
    return i;
  }

  private literal(word: Uint8Array): void {
    if (!same(this.b, this.p, this.p + word.length, word)) throw FAIL;
    this.p += word.length;
  }
}
