// The op table's columns while it is built: typed arrays that grow together, one class per record
// kind, so that each store is monomorphic and a million ops cost a few dozen reallocations. They live
// in shared memory, so that the cycle search's worker thread (cycle-worker.ts) reads the finished
// table without a copy (typed arrays on shared memory are as fast to use as others).

const i32 = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * n));
const f64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * n));
const growI32 = (a: Int32Array, n: number): Int32Array => { const b = i32(n); b.set(a); return b; };
const growF64 = (a: Float64Array, n: number): Float64Array => { const b = f64(n); b.set(a); return b; };

/** Writes or reads: per mop, its op, key id, offset (NaN: unknown) and value. */
export class MopColumns {
  n = 0;
  op = i32(1024); key = i32(1024);
  offset = f64(1024); value = f64(1024);

  add(op: number, key: number, offset: number, value: number): void {
    // Stryker disable next-line ConditionalExpression: reserve(1) returns at once while there is room
    if (this.n === this.op.length) this.reserve(1);
    this.addReserved(op, key, offset, value);
  }

  /** Makes room for `more` records, so that `addReserved` needs no check. */
  reserve(more: number): void {
    // Stryker disable next-line EqualityOperator: growing when the records exactly fit only copies them to a larger array
    if (this.n + more <= this.op.length) return;
    const size = Math.max(2 * this.op.length, this.n + more);
    this.op = growI32(this.op, size); this.key = growI32(this.key, size);
    this.offset = growF64(this.offset, size); this.value = growF64(this.value, size);
  }

  addReserved(op: number, key: number, offset: number, value: number): void {
    const i = this.n++;
    this.op[i] = op; this.key[i] = key; this.offset[i] = offset; this.value[i] = value;
  }
}

/** Per op: history indices, process, type, f, times, and where its writes and reads start. */
export class OpColumns {
  n = 0;
  index = i32(1024); invokeIndex = i32(1024);
  /** Float64: process ids are any integer up to 2^53 - 1, and two must never be merged. */
  process = f64(1024);
  type = i32(1024); f = i32(1024);
  invokeTime = f64(1024); completeTime = f64(1024);
  /** One longer than the others: `closeStarts` appends the end of the last op's mops. */
  wStart = i32(1025); rStart = i32(1025);

  /** Appends an op; returns its id. */
  add(index: number, invokeIndex: number, process: number, type: number, f: number, invokeTime: number,
    completeTime: number, wStart: number, rStart: number): number {
    const i = this.n;
    if (i === this.index.length) this.grow();
    this.index[i] = index; this.invokeIndex[i] = invokeIndex; this.process[i] = process;
    this.type[i] = type; this.f[i] = f; this.invokeTime[i] = invokeTime; this.completeTime[i] = completeTime;
    this.wStart[i] = wStart; this.rStart[i] = rStart;
    this.n = i + 1;
    return i;
  }

  closeStarts(wEnd: number, rEnd: number): void {
    this.wStart[this.n] = wEnd; this.rStart[this.n] = rEnd;
  }

  private grow(): void {
    const size = 2 * this.index.length;
    this.index = growI32(this.index, size); this.invokeIndex = growI32(this.invokeIndex, size);
    this.process = growF64(this.process, size); this.type = growI32(this.type, size); this.f = growI32(this.f, size);
    this.invokeTime = growF64(this.invokeTime, size); this.completeTime = growF64(this.completeTime, size);
    this.wStart = growI32(this.wStart, size + 1); this.rStart = growI32(this.rStart, size + 1);
  }
}
