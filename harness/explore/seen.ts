// The explorer's memory: the set of states seen, as 53-bit fingerprints in an open-addressing table of
// doubles (no boxed numbers, no per-entry objects: a JS Set of a million such numbers spends most of its
// time in the garbage collector), and the BFS tree (each state's parent and the action that reached it) in
// growable typed arrays, actions packed into one integer each.
import type { Action } from './actions.ts';

/** A set of non-negative integers below 2^53. */
export class FingerprintSet {
  private table = new Float64Array(1 << 16);
  private mask = (1 << 16) - 1;
  size = 0;

  /** Adds `f`; false if it was there already. */
  add(f: number): boolean {
    const stored = f + 1; // 0 marks an empty slot
    // The low bits are well mixed (both hash halves feed them); probe linearly.
    for (let i = (f % 4294967296) & this.mask; ; i = (i + 1) & this.mask) {
      const x = this.table[i]!;
      if (x === 0) break;
      if (x === stored) return false;
    }
    if ((this.size + 1) * 2 > this.table.length) this.grow();
    this.insert(stored);
    this.size++;
    return true;
  }

  private insert(stored: number): void {
    for (let i = ((stored - 1) % 4294967296) & this.mask; ; i = (i + 1) & this.mask) {
      if (this.table[i] === 0) { this.table[i] = stored; return; }
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    for (const x of old) if (x !== 0) this.insert(x);
  }
}

/** A growable array of 32-bit integers. */
export class IntList {
  private data = new Int32Array(1 << 16);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }

  get(i: number): number { return this.data[i]!; }
}

const KINDS = ['step', 'delay', 'timeout', 'deliver', 'failover', 'expire'] as const;

/** An action as one integer: its kind in the low 3 bits, its producer, message id or transactional id index above. */
export function packAction(a: Action, txnIds: readonly string[]): number {
  const kind = KINDS.indexOf(a.kind);
  const arg = a.kind === 'deliver' ? a.id : a.kind === 'failover' || a.kind === 'expire' ? txnIds.indexOf(a.txnId) : a.p;
  return arg * 8 + kind;
}

export function unpackAction(x: number, txnIds: readonly string[]): Action {
  const kind = KINDS[x & 7]!, arg = x >>> 3;
  switch (kind) {
    case 'deliver': return { kind, id: arg };
    case 'failover': case 'expire': return { kind, txnId: txnIds[arg]! };
    default: return { kind, p: arg };
  }
}
