// Growable typed arrays: a million-op history is held as a few columns of numbers instead of a
// million objects, which keeps the checker within its memory budget and the garbage collector quiet.

class Vec<A extends Float64Array | Int32Array> {
  length = 0;
  data: A;

  constructor(private readonly make: (n: number) => A, capacity: number) {
    this.data = make(capacity);
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }

  /** A view of the filled part (shares memory; valid until the next push). */
  view(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

export class F64Vec extends Vec<Float64Array> {
  constructor(capacity = 1024) {
    super((n) => new Float64Array(n), capacity);
  }
}

export class I32Vec extends Vec<Int32Array> {
  constructor(capacity = 1024) {
    super((n) => new Int32Array(n), capacity);
  }
}
