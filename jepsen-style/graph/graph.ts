// The dependency graph over ops (research/jepsen.md §1.8, §3): ww edges between writers of adjacent
// versions, wr edges from a writer to every reader, rw edges from a reader to the writer of the
// version just after the highest it read of a key (the anti-dependency Jepsen's docstring promises
// but its code never builds), and realtime order. Realtime is encoded with extra "time" vertices
// chained in history order (an ok completion links to the current time vertex, an invoke hangs off
// it), so A reaches B through time vertices iff A completed ok before B was invoked: O(n) edges
// instead of Elle's O(n · concurrency), with the same cycles.
import type { OpTable } from '../analysis/ops.ts';
import { OK } from '../analysis/ops.ts';
import { writerAt, type Versions } from '../analysis/versions.ts';

export const WW = 1, WR = 2, RW = 4, RT = 8;

export interface Graph {
  /** Vertices 0 .. ops-1 are ops; ops .. vertices-1 are time vertices. */
  ops: number;
  vertices: number;
  /** CSR: out-edges of v are adj[start[v] .. start[v+1]-1], as edge ids. */
  start: Int32Array;
  adj: Int32Array;
  /** The head and relation of each `adj` entry, in `adj` order, so that searches read memory in sequence. */
  adjDst: Int32Array;
  adjRel: Int32Array;
  src: Int32Array;
  dst: Int32Array;
  rel: Int32Array;
  /**
   * What justifies a data edge, as an index rather than copied values (four bytes an edge, not
   * sixteen): ww and rw, the dense index of the later version on key `key[id]`; wr, the read's index
   * in the op table's read columns. -1 for realtime edges.
   */
  key: Int32Array;
  ref: Int32Array;
}

/**
 * Edge columns filled together (monomorphic stores: a large history has millions of edges), with
 * room for `capacity` edges: `buildGraph` reserves room for every edge the history can produce, so
 * the columns are allocated once and never copied.
 */
class EdgeList {
  n = 0;
  readonly src: Int32Array; readonly dst: Int32Array; readonly rel: Int32Array; readonly key: Int32Array; readonly ref: Int32Array;

  constructor(capacity: number) {
    this.src = new Int32Array(capacity); this.dst = new Int32Array(capacity); this.rel = new Int32Array(capacity);
    this.key = new Int32Array(capacity); this.ref = new Int32Array(capacity);
  }

  add(a: number, b: number, rel: number, key = -1, ref = -1): void {
    const i = this.n;
    this.src[i] = a; this.dst[i] = b; this.rel[i] = rel; this.key[i] = key; this.ref[i] = ref;
    this.n = i + 1;
  }
}

export function buildGraph(t: OpTable, v: Versions, options: { rw?: boolean; realtime?: boolean } = {}): Graph {
  // Room for every edge the history can produce (ww per version, wr and rw per read at most,
  // realtime at most three per op): EdgeList never grows.
  let bound = 2 * t.rKey.length + 3 * t.n + 16;
  for (const log of v.logs) bound += log.values.length;
  const e = new EdgeList(bound);
  // The op that wrote the version at dense index i of key k (the one that recorded its offset, if any).
  const writer = (k: number, i: number) => {
    const log = v.logs[k]!, w = writerAt(t, v, k, log.offsets[i]!, log.values[i]!);
    // Stryker disable next-line ConditionalExpression: t.wOp[-1] is undefined, and every caller keeps only a writer >= 0 (undefined >= 0 is false)
    return w < 0 ? -1 : t.wOp[w]!;
  };
  v.logs.forEach((log, k) => {
    // Stryker disable next-line EqualityOperator: past the end, writer(k, length) reads undefined offset and value, which no op wrote (-1): no edge
    for (let i = 1; i < log.values.length; i++) {
      const a = writer(k, i - 1), b = writer(k, i);
      if (a >= 0 && b >= 0 && a !== b) e.add(a, b, WW, k, i);
    }
  });
  // Stryker disable next-line UnaryOperator: with either at +1 and the other at -1 no pair matches; both at +1 match only op 1 reading itself, which a === b skips first
  let lastA = -1, lastB = -1;
  // Stryker disable next-line EqualityOperator: past the end, the read's writer and op are both undefined, and a === b skips it
  for (let r = 0; r < t.rKey.length; r++) {
    const w = v.readWriter[r]!, a = w < 0 ? -1 : t.wOp[w]!, b = t.rOp[r]!;
    if (a < 0 || a === b || (a === lastA && b === lastB)) continue;
    e.add(a, b, WR, t.rKey[r]!, r);
    lastA = a; lastB = b;
  }
  if (options.rw !== false) addRwEdges(t, v, e, writer);
  let vertices = t.n;
  if (options.realtime !== false) vertices = addRealtimeEdges(t, e);
  return toCsr(t.n, vertices, e);
}

function addRwEdges(t: OpTable, v: Versions, e: EdgeList, writer: (k: number, i: number) => number): void {
  // Per key, the highest dense index the current op read (stamped with the op), keys in first-read order.
  const stamp = new Int32Array(t.keys.length).fill(-1), highest = new Int32Array(t.keys.length);
  const touched = new Int32Array(t.keys.length);
  // Stryker disable next-line EqualityOperator: past the last op, t.rStart[n + 1] is undefined, so the extra op has no reads
  for (let op = 0; op < t.n; op++) {
    let nTouched = 0;
    for (let r = t.rStart[op]!; r < t.rStart[op + 1]!; r++) {
      const k = t.rKey[r]!, idx = v.rIdx[r]!;
      if (stamp[k] !== op) { stamp[k] = op; highest[k] = idx; touched[nTouched++] = k; }
      else highest[k] = Math.max(highest[k]!, idx);
    }
    for (let i = 0; i < nTouched; i++) {
      const k = touched[i]!, h = highest[k]!;
      const log = v.logs[k]!;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: the writer past the last version is -1 (undefined offset and value), and b >= 0 then adds no edge
      if (h + 1 >= log.values.length) continue;
      // A poll that stopped inside one op's run of writes merely read incrementally (polls return
      // what was fetched so far): only a version from a different writer is a real anti-dependency.
      const b = writer(k, h + 1);
      if (b >= 0 && b !== op && b !== writer(k, h)) e.add(op, b, RW, k, h + 1);
    }
  }
}

/** Returns the vertex count including the time vertices. */
function addRealtimeEdges(t: OpTable, e: EdgeList): number {
  // Indexed by the history's own event indices (a table built from part of a history numbers its
  // events from past 0, beyond its event count). An op's index is its completion's, or its invoke's
  // when it never completed: never below its invoke's, in a history in history order.
  let size = t.events;
  for (let op = 0; op < t.n; op++) size = Math.max(size, t.index[op]! + 1);
  const at = new Int32Array(size).fill(-1);
  // Stryker disable next-line EqualityOperator: past the last op, at[undefined] writes nothing and t.type[n] is undefined, never OK
  for (let op = 0; op < t.n; op++) {
    at[t.invokeIndex[op]!] = op * 2;
    if (t.type[op] === OK) at[t.index[op]!] = op * 2 + 1;
  }
  // `current`: the time vertex that invokes hang off (-1 before the first ok completion); `fresh`: the
  // next ok completion needs a new one (there is none yet, or an invoke already hangs off it).
  let vertices = t.n, current = -1, fresh = true;
  for (let i = 0; i < at.length; i++) {
    const code = at[i]!;
    // Stryker disable next-line EqualityOperator: code 0 is op 0's invoke, and op 0 (the first to complete) was invoked before any ok completion made a time vertex
    if (code < 0) continue;
    const op = code >> 1;
    if (code & 1) {
      // Stryker disable next-line ConditionalExpression: a new time vertex per ok completion, chained, gives the same reachability; sharing one only saves vertices
      if (fresh) {
        const next = vertices++;
        // Stryker disable next-line EqualityOperator: a time vertex's id is at least t.n, which is at least 1 once an op completed
        if (current >= 0) e.add(current, next, RT);
        // Stryker disable next-line BooleanLiteral: a new time vertex per ok completion, chained, gives the same reachability; sharing one only saves vertices
        current = next; fresh = false;
      }
      e.add(op, current, RT);
      continue;
    }
    // An invoke before the first ok completion hangs off no time vertex.
    // Stryker disable next-line EqualityOperator: a time vertex's id is at least t.n, which is at least 1 once an op completed
    if (current >= 0) {
      e.add(current, op, RT);
      fresh = true;
    }
  }
  return vertices;
}

function toCsr(ops: number, vertices: number, e: EdgeList): Graph {
  const m = e.n, src = e.src.subarray(0, m), dst = e.dst.subarray(0, m), rel = e.rel.subarray(0, m);
  const start = new Int32Array(vertices + 1);
  // Stryker disable next-line EqualityOperator: src[m] is undefined, and start[NaN]++ writes nothing
  for (let i = 0; i < m; i++) start[src[i]! + 1]!++;
  // Stryker disable next-line EqualityOperator: start[vertices + 1] is past the typed array's end, so the write is dropped
  for (let v = 0; v < vertices; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, vertices);
  const adj = new Int32Array(m), adjDst = new Int32Array(m), adjRel = new Int32Array(m);
  // Stryker disable next-line EqualityOperator: fill[src[m]] is fill[undefined], so the extra edge goes to index NaN, which writes nothing
  for (let i = 0; i < m; i++) {
    const at = fill[src[i]!]!++;
    adj[at] = i; adjDst[at] = dst[i]!; adjRel[at] = rel[i]!;
  }
  return { ops, vertices, start, adj, adjDst, adjRel, src, dst, rel, key: e.key.subarray(0, m), ref: e.ref.subarray(0, m) };
}
