// A map from integers to numbers for the checker's hot lookups (value → writer, value → offset):
// keys that are small non-negative integers index a typed array, the rest go to a Map. The array
// only grows while at least a quarter of it is used, so sparse or huge keys cannot inflate it.

export class IntMap {
  private slots = new Float64Array(64).fill(NaN);
  private readonly far = new Map<number, number>();
  private count = 0;

  get(k: number): number | undefined {
    if ((k | 0) === k && k >= 0 && k < this.slots.length) {
      const x = this.slots[k]!;
      if (x === x) return x;
    }
    // Stryker disable next-line ConditionalExpression: a short cut: an empty Map answers undefined too
    return this.far.size === 0 ? undefined : this.far.get(k);
  }

  set(k: number, x: number): void {
    const small = (k | 0) === k && k >= 0;
    if (small && k < this.slots.length && this.slots[k] === this.slots[k]) { this.slots[k] = x; return; }
    if (this.far.has(k)) { this.far.set(k, x); return; }
    this.count++;
    if (small && (k < this.slots.length || k < 4 * this.count + 65_536)) {
      // Stryker disable next-line ConditionalExpression: growing to hold a key the array already holds copies it to an array of the same length
      if (k >= this.slots.length) this.grow(k);
      this.slots[k] = x;
    } else {
      this.far.set(k, x);
    }
  }

  delete(k: number): void {
    if ((k | 0) === k && k >= 0 && k < this.slots.length && this.slots[k] === this.slots[k]) {
      this.slots[k] = NaN;
      this.count--;
    } else if (this.far.delete(k)) this.count--;
  }

  /** The keys present: small ones ascending, then the others in insertion order. */
  keys(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.slots.length; k++) if (this.slots[k] === this.slots[k]) out.push(k);
    return [...out, ...this.far.keys()];
  }

  private grow(k: number): void {
    this.slots = growNaN(this.slots, k);
  }
}

/** A copy of `slots` long enough to index `k` (doubling), new slots NaN. */
export function growNaN(slots: Float64Array, k: number): Float64Array<ArrayBuffer> {
  let n = slots.length;
  while (n <= k) n *= 2;
  const bigger = new Float64Array(n).fill(NaN);
  bigger.set(slots);
  return bigger;
}
