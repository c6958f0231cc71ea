// Order anomalies within one op (int-*) and between successive ops of one process (poll-skip,
// nonmonotonic-*): consumers and producers see a partition as an ordered log, so consecutive reads
// (or sends) of one key should land on consecutive dense indices. kafka.clj:1151-1453.
import { list, type Anomaly, type AnomalyType } from '../anomaly.ts';
import { FAIL, type OpTable } from './ops.ts';
import type { KeyLog, Versions } from './versions.ts';

const skippedBetween = (log: KeyLog, from: number, to: number): number[] =>
  Array.from(log.values.subarray(from + 1, Math.min(to, from + 33)));

interface Step { type: AnomalyType; allowed: boolean; key: number; ops: number[]; delta: number; skipped?: number[]; values: number[]; offsets: number[]; explanation: string }

/** int-poll-skip, int-nonmonotonic-poll, int-send-skip, int-nonmonotonic-send. */
export function internalCases(t: OpTable, v: Versions): Anomaly[] {
  const out: Anomaly[] = [];
  const last = new Int32Array(t.keys.length);
  const stamp = new Int32Array(t.keys.length).fill(-1);
  // Stryker disable next-line EqualityOperator: past the last op, t.rStart[n + 1] and t.wStart[n + 1] are undefined, so the extra op has no mops
  for (let op = 0; op < t.n; op++) {
    const at = t.index[op]!;
    for (let r = t.rStart[op]!; r < t.rStart[op + 1]!; r++) {
      const k = t.rKey[r]!;
      if (stamp[k] === op) {
        const p = last[k]!, delta = v.rIdx[r]! - v.rIdx[p]!;
        if (delta === 1) { stamp[k] = op; last[k] = r; continue; }
        const log = v.logs[k]!, key = t.keys[k]!, values = [t.rValue[p]!, t.rValue[r]!], offsets = [t.rOffset[p]!, t.rOffset[r]!];
        // delta is not 1 here: 2 or more skipped a version, 0 or less went backwards or repeated.
        if (delta >= 2) {
          const skipped = skippedBetween(log, v.rIdx[p]!, v.rIdx[r]!);
          out.push({ type: 'int-poll-skip', allowed: false, key, ops: [at], delta, values, offsets, skipped,
            explanation: `op ${at} polled key ${key} at offset ${offsets[0]} then ${offsets[1]}, skipping value(s) ${list(skipped)} known to lie between` });
        } else {
          out.push({ type: 'int-nonmonotonic-poll', allowed: false, key, ops: [at], delta, values, offsets,
            explanation: `op ${at} polled value ${values[0]} of key ${key} (offset ${offsets[0]}) and then value ${values[1]} (offset ${offsets[1]}), going backwards or repeating` });
        }
      }
      stamp[k] = op; last[k] = r;
    }
    // Failed ops too, as in Jepsen (kafka.clj int-send-skip+nonmonotonic-cases): a failed op's sends
    // that polls later saw still landed in the order they landed.
    for (let w = t.wStart[op]!; w < t.wStart[op + 1]!; w++) {
      const k = t.wKey[w]!;
      if (v.wIdx[w]! < 0) continue;
      if (stamp[k] === -2 - op) {
        const p = last[k]!, delta = v.wIdx[w]! - v.wIdx[p]!;
        if (delta === 1) { stamp[k] = -2 - op; last[k] = w; continue; }
        const log = v.logs[k]!, key = t.keys[k]!, values = [t.wValue[p]!, t.wValue[w]!];
        const offsets = [log.offsets[v.wIdx[p]!]!, log.offsets[v.wIdx[w]!]!];
        // delta is not 1 here: 2 or more landed apart, 0 or less landed backwards.
        if (delta >= 2) {
          const skipped = skippedBetween(log, v.wIdx[p]!, v.wIdx[w]!);
          out.push({ type: 'int-send-skip', allowed: true, key, ops: [at], delta, values, offsets, skipped,
            explanation: `op ${at} sent values ${values[0]} and ${values[1]} to key ${key}, which landed at offsets ${offsets[0]} and ${offsets[1]} with other writes (${list(skipped)}) between` });
        } else {
          out.push({ type: 'int-nonmonotonic-send', allowed: false, key, ops: [at], delta, values, offsets,
            explanation: `op ${at} sent value ${values[0]} and then ${values[1]} to key ${key}, but they landed in the opposite order (offsets ${offsets[0]} and ${offsets[1]})` });
        }
      }
      stamp[k] = -2 - op; last[k] = w;
    }
  }
  return out;
}

/**
 * Op ids of each process, in invoke order; processes in order of their first op. One counting
 * sort, no array per process: a process's ops are already in invoke order unless the history broke
 * the alternation rule (hand-built tables), and only then is its run sorted.
 */
function opsByProcess(t: OpTable): { processes: number[]; start: Int32Array; ops: Int32Array } {
  // Stryker disable next-line ArrayDeclaration: a junk first process has no ops, so it reports nothing
  const dense = new Map<number, number>(), processes: number[] = [];
  const of = new Int32Array(t.n);
  // Stryker disable next-line EqualityOperator: t.process[n] is undefined: a junk process with op n, which no later loop reaches (start and ops end at n)
  for (let op = 0; op < t.n; op++) {
    let d = dense.get(t.process[op]!);
    if (d === undefined) { d = processes.length; dense.set(t.process[op]!, d); processes.push(t.process[op]!); }
    of[op] = d;
  }
  const start = new Int32Array(processes.length + 1);
  // Stryker disable next-line EqualityOperator: of[n] is undefined, and start[NaN]++ writes nothing
  for (let op = 0; op < t.n; op++) start[of[op]! + 1]!++;
  // Stryker disable next-line EqualityOperator: start[length + 1] is past the typed array's end, so the write is dropped
  for (let d = 0; d < processes.length; d++) start[d + 1]! += start[d]!;
  const fill = start.slice(0, processes.length), ops = new Int32Array(t.n);
  // Stryker disable next-line EqualityOperator: of[n] is undefined, so the extra op is written to index NaN, which writes nothing
  for (let op = 0; op < t.n; op++) ops[fill[of[op]!]!++] = op;
  // The check and sort matter only for hand-built tables (order-cases.rules.test.ts pins them); a
  // table built from events lists each process's ops in invoke order, so a check that stops early,
  // runs on or says "unsorted" only sorts a sorted run again (the marks below).
  // Stryker disable next-line EqualityOperator: start[n + 1] is undefined, so the extra run is empty
  for (let d = 0; d < processes.length; d++) {
    const run = ops.subarray(start[d]!, start[d + 1]!);
    // Stryker disable next-line BooleanLiteral: sorting a run that the check would have found sorted changes nothing
    let sorted = true;
    // Stryker disable next-line LogicalOperator,ConditionalExpression,EqualityOperator,UpdateOperator,ArithmeticOperator: the check stopping early or running on only sorts a sorted run again (two ops never share an invoke index)
    for (let i = 1; i < run.length && sorted; i++) sorted = t.invokeIndex[run[i - 1]!]! <= t.invokeIndex[run[i]!]!;
    // Stryker disable next-line ConditionalExpression: sorting a sorted run changes nothing
    if (!sorted) run.set(Array.from(run).sort((a, b) => t.invokeIndex[a]! - t.invokeIndex[b]!));
  }
  return { processes, start, ops };
}

/** key id → an index into the op table's columns (-1: none), cleared in time proportional to its use. */
class PerKey {
  readonly at: Int32Array;
  // Stryker disable next-line ArrayDeclaration: a junk entry only resets at["Stryker was here"], a property, not a key
  private readonly touched: number[] = [];
  constructor(keys: number) { this.at = new Int32Array(keys).fill(-1); }
  set(k: number, x: number): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a key listed twice is only reset twice
    if (this.at[k]! < 0) this.touched.push(k);
    this.at[k] = x;
  }
  retain(keep: (k: number) => boolean): void {
    for (const k of this.touched) if (!keep(k)) this.at[k] = -1;
  }
  clear(): void {
    for (const k of this.touched) this.at[k] = -1;
    this.touched.length = 0;
  }
}

/** The keys one op touched and its last index on each (stamped with the op, so never cleared). */
class OpKeys {
  readonly stamp: Int32Array;
  readonly last: Int32Array;
  /** The op's keys in first-touch order are keys[0 .. count-1] (each key once, so nKeys is room enough). */
  readonly keys: Int32Array;
  count = 0;
  constructor(keys: number) { this.stamp = new Int32Array(keys).fill(-1); this.last = new Int32Array(keys); this.keys = new Int32Array(keys); }
  /** Records index `x` on key `k` for op `mark`; true when it is the op's first on that key. */
  see(mark: number, k: number, x: number): boolean {
    this.last[k] = x;
    if (this.stamp[k] === mark) return false;
    this.stamp[k] = mark;
    this.keys[this.count++] = k;
    return true;
  }
}

/** poll-skip, nonmonotonic-poll and nonmonotonic-send, per process (= per client instance). */
export function processCases(t: OpTable, v: Versions): Anomaly[] {
  const out: Step[] = [];
  const assignments = new Map<number, typeof t.assignments>();
  for (const a of t.assignments) {
    const list = assignments.get(a.process);
    if (list) list.push(a); else assignments.set(a.process, [a]);
  }
  // key id → the last read (of an ok op) / the last send of the current process.
  const lastRead = new PerKey(t.keys.length), lastSend = new PerKey(t.keys.length);
  const reads = new OpKeys(t.keys.length), sends = new OpKeys(t.keys.length);
  const by = opsByProcess(t);
  // Stryker disable next-line EqualityOperator: by.start[n + 1] is undefined, so the extra process has no ops
  for (let d = 0; d < by.processes.length; d++) {
    const process = by.processes[d]!;
    lastRead.clear(); lastSend.clear();
    let subscribed = false, next = 0;
    // Stryker disable next-line ArrayDeclaration: a junk assignment's index is undefined, and undefined < invokeIndex is false
    const pendingAssign = assignments.get(process) ?? [];
    for (let i = by.start[d]!; i < by.start[d + 1]!; i++) {
      const op = by.ops[i]!;
      // Stryker disable next-line EqualityOperator: two events never share a history index
      while (next < pendingAssign.length && pendingAssign[next]!.index < t.invokeIndex[op]!) {
        const a = pendingAssign[next++]!;
        const keep = new Set(a.keys.map((k) => t.keyId.get(k)));
        lastRead.retain((k) => keep.has(k));
        lastSend.retain((k) => keep.has(k));
        subscribed = a.subscribe;
      }
      pollSteps(t, v, op, process, lastRead, reads, subscribed, out);
      sendSteps(t, v, op, process, lastSend, sends, out);
    }
  }
  return out;
}

function pollSteps(t: OpTable, v: Versions, op: number, process: number, lastRead: PerKey, seen: OpKeys,
  subscribed: boolean, out: Step[]): void {
  seen.count = 0;
  for (let r = t.rStart[op]!; r < t.rStart[op + 1]!; r++) {
    const k = t.rKey[r]!;
    if (seen.see(op, k, r)) {
      const prev = lastRead.at[k]!;
      if (prev >= 0 && v.rIdx[r]! - v.rIdx[prev]! !== 1) {
        const delta = v.rIdx[r]! - v.rIdx[prev]!;
        const key = t.keys[k]!, ops = [t.index[t.rOp[prev]!]!, t.index[op]!];
        const values = [t.rValue[prev]!, t.rValue[r]!], offsets = [t.rOffset[prev]!, t.rOffset[r]!];
        // delta is not 1 here: 2 or more skipped a version, 0 or less went backwards or repeated.
        if (delta >= 2) {
          const skipped = skippedBetween(v.logs[k]!, v.rIdx[prev]!, v.rIdx[r]!);
          out.push({ type: 'poll-skip', allowed: subscribed, key, ops, delta, values, offsets, skipped,
            explanation: `process ${process}'s op ${ops[1]} polled key ${key} from offset ${offsets[1]}, but its previous ok poll, op ${ops[0]}, ended at offset ${offsets[0]}: value(s) ${list(skipped)} between were skipped${subscribed ? ' (allowed: the process was subscribed, rebalances move partitions)' : ''}` });
        } else {
          out.push({ type: 'nonmonotonic-poll', allowed: subscribed, key, ops, delta, values, offsets,
            explanation: `process ${process}'s op ${ops[1]} polled key ${key} from offset ${offsets[1]} (value ${values[1]}), at or before where its previous ok poll, op ${ops[0]}, ended (offset ${offsets[0]}, value ${values[0]})${subscribed ? ' (allowed: the process was subscribed, rebalances move partitions)' : ''}` });
        }
      }
    }
  }
  // Only ok ops move the position: after fail or info the consumer must have been rolled back.
  if (t.type[op] === 0) for (let i = 0; i < seen.count; i++) lastRead.set(seen.keys[i]!, seen.last[seen.keys[i]!]!);
}

function sendSteps(t: OpTable, v: Versions, op: number, process: number, lastSend: PerKey, seen: OpKeys, out: Step[]): void {
  // Between ops Jepsen compares ok and info ops only (kafka.clj nonmonotonic-send-cases): a failed
  // op neither reports nor moves the process's last send.
  if (t.type[op] === FAIL) return;
  seen.count = 0;
  for (let w = t.wStart[op]!; w < t.wStart[op + 1]!; w++) {
    const k = t.wKey[w]!;
    if (v.wIdx[w]! < 0) continue;
    const prev = lastSend.at[k]!;
    // Stryker disable next-line ConditionalExpression: with no earlier send (prev -1), wIdx[-1] is undefined, the delta NaN, and NaN < 1 is false
    if (seen.see(op, k, w) && prev >= 0) {
      const delta = v.wIdx[w]! - v.wIdx[prev]!;
      if (delta < 1) {
        const log = v.logs[k]!, key = t.keys[k]!, ops = [t.index[t.wOp[prev]!]!, t.index[op]!];
        const values = [t.wValue[prev]!, t.wValue[w]!], offsets = [log.offsets[v.wIdx[prev]!]!, log.offsets[v.wIdx[w]!]!];
        out.push({ type: 'nonmonotonic-send', allowed: false, key, ops, delta, values, offsets,
          explanation: `process ${process}'s op ${ops[1]} sent value ${values[1]} to key ${key}, which landed at offset ${offsets[1]}, at or before offset ${offsets[0]} where its earlier op ${ops[0]} sent value ${values[0]}` });
      }
    }
  }
  for (let i = 0; i < seen.count; i++) lastSend.set(seen.keys[i]!, seen.last[seen.keys[i]!]!);
}
