// A byte-level scanner for the common shape of a client event line, which writes mops as numbers into
// a scratch array instead of building objects: JSON.parse of a million-op history spends most of its
// time allocating [offset, value] pairs the checker immediately flattens. It accepts a subset of
// what the contract allows (no escapes in keys, no unknown fields, no nemesis events, no value whose
// shape is wrong); anything else returns false and the line takes the JSON.parse path, which also
// produces the error messages. So the fast path never changes what is accepted or rejected.

export const SEND_PLAIN = 1, SEND_PAIR = 2, POLL = 3, POLL_MAP = 4;
/** `value` kinds. */
export const V_MISSING = 0, V_NULL = 1, V_MOPS = 2, V_KEYS = 3, V_EMPTY = 4;
export const TYPE_NAMES = ['invoke', 'ok', 'fail', 'info'] as const;
export const F_NAMES = ['send', 'poll', 'txn', 'assign', 'subscribe', 'crash'] as const;

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const KEYS = ['index', 'time', 'process', 'type', 'f', 'value', 'error', 'txnId'].map(enc);
const TYPES = TYPE_NAMES.map(enc);
const FS = F_NAMES.map(enc);
const SEND = enc('send'), POLL_S = enc('poll');
const Q = 34, COMMA = 44, COLON = 58, LBRACK = 91, RBRACK = 93, LBRACE = 123, RBRACE = 125, MINUS = 45, BACKSLASH = 92;

const ESCAPES = new Set(Array.from('"\\/bfnrtu', (c) => c.charCodeAt(0)));

class Fail extends Error {}
const FAIL = new Fail();

export class FastEventScanner {
  index = 0; time = 0; process = 0; type = 0; f = 0; valueKind = V_MISSING;
  txnId: string | undefined;
  scratch = new Float64Array(1 << 12);
  length = 0;
  private b: Uint8Array = new Uint8Array(0);
  private p = 0;

  /** Scans b[start, end); true when the line is a client event of the common shape. */
  scan(b: Uint8Array, start: number, end: number): boolean {
    this.b = b; this.p = start; this.length = 0; this.valueKind = V_MISSING; this.txnId = undefined;
    let seen = 0;
    try {
      this.ws(); this.expect(LBRACE); this.ws();
      if (this.b[this.p] === RBRACE) return false;
      for (;;) {
        const key = this.word(KEYS);
        if (seen & (1 << key)) return false;
        seen |= 1 << key;
        this.ws(); this.expect(COLON); this.ws();
        switch (key) {
          case 0: this.index = this.int(); if (this.index < 0) return false; break;
          case 1: this.time = this.int(); if (this.time < 0) return false; break;
          case 2: this.process = this.int(); if (this.process < 0) return false; break;
          case 3: this.type = this.word(TYPES); break;
          case 4: this.f = this.word(FS); break;
          case 5: this.value(); break;
          case 6: this.skipString(); break;
          case 7: this.txnId = this.plainString(); break;
        }
        this.ws();
        if (this.b[this.p] === COMMA) { this.p++; this.ws(); continue; }
        this.expect(RBRACE);
        break;
      }
      this.ws();
      return this.p === end && (seen & 0b111111) === 0b111111 && this.shapeFits();
    } catch (e) {
      if (e === FAIL) return false;
      throw e;
    }
  }

  /** The value's shape must suit `f` and whether this is an invoke (history-format.md §1). */
  private shapeFits(): boolean {
    const f = F_NAMES[this.f]!, invoke = this.type === 0, kind = this.valueKind;
    if (f === 'crash') return kind === V_NULL;
    if (f === 'assign' || f === 'subscribe') return kind === V_KEYS || kind === V_EMPTY;
    if (kind === V_EMPTY) return true;
    if (kind === V_NULL) return !invoke;
    if (kind !== V_MOPS) return false;
    const s = this.scratch;
    for (let i = 0; i < this.length;) {
      const m = s[i]!;
      if (m === SEND_PLAIN || m === SEND_PAIR) {
        if (f === 'poll' || (invoke && m === SEND_PAIR)) return false;
        i += m === SEND_PLAIN ? 3 : 4;
      } else {
        if (f === 'send' || (invoke && m === POLL_MAP)) return false;
        if (m === POLL) { i++; continue; }
        const keys = s[i + 1]!;
        i += 2;
        for (let k = 0; k < keys; k++) i += 2 + 2 * s[i + 1]!;
      }
    }
    return true;
  }

  private push(x: number): void {
    if (this.length === this.scratch.length) {
      const bigger = new Float64Array(this.scratch.length * 2);
      bigger.set(this.scratch);
      this.scratch = bigger;
    }
    this.scratch[this.length++] = x;
  }

  private value(): void {
    const b = this.b;
    if (b[this.p] === 110) { this.literal('null'); this.valueKind = V_NULL; return; }
    this.expect(LBRACK); this.ws();
    if (b[this.p] === RBRACK) { this.p++; this.valueKind = V_EMPTY; return; }
    this.valueKind = b[this.p] === LBRACK ? V_MOPS : V_KEYS;
    for (;;) {
      if (this.valueKind === V_KEYS) {
        const k = this.int();
        if (k < 0) throw FAIL;
        this.push(k);
      } else this.mop();
      this.ws();
      if (b[this.p] === COMMA) { this.p++; this.ws(); continue; }
      this.expect(RBRACK);
      return;
    }
  }

  private mop(): void {
    this.expect(LBRACK); this.ws();
    const name = this.word([SEND, POLL_S]);
    this.ws();
    if (name === 0) {
      this.expect(COMMA); this.ws();
      const k = this.int();
      if (k < 0) throw FAIL;
      this.ws(); this.expect(COMMA); this.ws();
      if (this.b[this.p] === LBRACK) {
        this.p++; this.ws();
        let o = NaN;
        if (this.b[this.p] === 110) this.literal('null'); else o = this.int();
        this.ws(); this.expect(COMMA); this.ws();
        const v = this.int();
        this.ws(); this.expect(RBRACK);
        this.push(SEND_PAIR); this.push(k); this.push(o); this.push(v);
      } else {
        const v = this.int();
        this.push(SEND_PLAIN); this.push(k); this.push(v);
      }
      this.ws();
    } else if (this.b[this.p] === COMMA) {
      this.p++; this.ws();
      this.pollMap();
      this.ws();
    } else {
      this.push(POLL);
    }
    this.expect(RBRACK);
  }

  private pollMap(): void {
    this.expect(LBRACE); this.ws();
    this.push(POLL_MAP);
    const countAt = this.length;
    this.push(0);
    if (this.b[this.p] === RBRACE) { this.p++; return; }
    for (;;) {
      this.expect(Q);
      const k = this.int();
      this.expect(Q);
      this.ws(); this.expect(COLON); this.ws(); this.expect(LBRACK); this.ws();
      this.push(k);
      const pairsAt = this.length;
      this.push(0);
      let pairs = 0;
      if (this.b[this.p] !== RBRACK) {
        for (;;) {
          this.expect(LBRACK); this.ws();
          const o = this.int();
          if (o < 0) throw FAIL;
          this.ws(); this.expect(COMMA); this.ws();
          const v = this.int();
          this.ws(); this.expect(RBRACK); this.ws();
          this.push(o); this.push(v); pairs++;
          if (this.b[this.p] === COMMA) { this.p++; this.ws(); continue; }
          break;
        }
      }
      this.expect(RBRACK);
      this.scratch[pairsAt] = pairs;
      this.scratch[countAt]!++;
      this.ws();
      if (this.b[this.p] === COMMA) { this.p++; this.ws(); continue; }
      this.expect(RBRACE);
      return;
    }
  }

  /** A JSON integer (no sign for keys, no fraction or exponent, at most 15 digits). */
  private int(): number {
    const b = this.b;
    let p = this.p, neg = false, x = 0;
    if (b[p] === MINUS) { neg = true; p++; }
    const start = p;
    for (let c = b[p]! - 48; c >= 0 && c <= 9; c = b[p]! - 48) { x = x * 10 + c; p++; }
    const digits = p - start, next = b[p];
    if (digits === 0 || digits > 15 || (digits > 1 && b[start] === 48) || next === 46 || next === 101 || next === 69) throw FAIL;
    this.p = p;
    return neg ? -x : x;
  }

  private word(words: Uint8Array[]): number {
    this.expect(Q);
    const start = this.p;
    while (this.b[this.p] !== Q) if (this.b[this.p++] === BACKSLASH || this.p >= this.b.length) throw FAIL;
    const k = this.match(words, start, this.p);
    this.p++;
    if (k < 0) throw FAIL;
    return k;
  }

  private match(words: Uint8Array[], start: number, end: number): number {
    outer: for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w.length !== end - start) continue;
      for (let j = 0; j < w.length; j++) if (this.b[start + j] !== w[j]) continue outer;
      return i;
    }
    return -1;
  }

  private plainString(): string {
    this.expect(Q);
    let s = '';
    while (this.b[this.p] !== Q) {
      const c = this.b[this.p++]!;
      if (c === BACKSLASH || c >= 128 || c < 32 || this.p >= this.b.length) throw FAIL;
      s += String.fromCharCode(c);
    }
    this.p++;
    return s;
  }

  private skipString(): void {
    this.expect(Q);
    const b = this.b;
    while (this.p < b.length && b[this.p] !== Q) {
      const c = b[this.p]!;
      if (c < 32) throw FAIL;
      if (c === BACKSLASH && !ESCAPES.has(b[this.p + 1]!)) throw FAIL;
      this.p += c === BACKSLASH ? 2 : 1;
    }
    this.expect(Q);
  }

  private literal(word: string): void {
    for (let i = 0; i < word.length; i++) if (this.b[this.p++] !== word.charCodeAt(i)) throw FAIL;
  }

  private expect(c: number): void {
    if (this.b[this.p] !== c) throw FAIL;
    this.p++;
  }

  private ws(): void {
    const b = this.b;
    let p = this.p, c = b[p];
    while (c === 32 || c === 9 || c === 13) c = b[++p];
    this.p = p;
  }
}
