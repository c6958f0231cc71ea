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
  for (let op = 0; op < t.n; op++) {
    const at = t.index[op]!;
    for (let r = t.rStart[op]!; r < t.rStart[op + 1]!; r++) {
      const k = t.rKey[r]!;
      if (stamp[k] === op) {
        const p = last[k]!, delta = v.rIdx[r]! - v.rIdx[p]!;
        const log = v.logs[k]!, key = t.keys[k]!, values = [t.rValue[p]!, t.rValue[r]!], offsets = [t.rOffset[p]!, t.rOffset[r]!];
        if (delta > 1) {
          const skipped = skippedBetween(log, v.rIdx[p]!, v.rIdx[r]!);
          out.push({ type: 'int-poll-skip', allowed: false, key, ops: [at], delta, values, offsets, skipped,
            explanation: `op ${at} polled key ${key} at offset ${offsets[0]} then ${offsets[1]}, skipping value(s) ${list(skipped)} known to lie between` });
        } else if (delta < 1) {
          out.push({ type: 'int-nonmonotonic-poll', allowed: false, key, ops: [at], delta, values, offsets,
            explanation: `op ${at} polled value ${values[0]} of key ${key} (offset ${offsets[0]}) and then value ${values[1]} (offset ${offsets[1]}), going backwards or repeating` });
        }
      }
      stamp[k] = op; last[k] = r;
    }
    if (t.type[op] === FAIL) continue;
    for (let w = t.wStart[op]!; w < t.wStart[op + 1]!; w++) {
      const k = t.wKey[w]!;
      if (v.wIdx[w]! < 0) continue;
      if (stamp[k] === -2 - op) {
        const p = last[k]!, delta = v.wIdx[w]! - v.wIdx[p]!;
        const log = v.logs[k]!, key = t.keys[k]!, values = [t.wValue[p]!, t.wValue[w]!];
        const offsets = [log.offsets[v.wIdx[p]!]!, log.offsets[v.wIdx[w]!]!];
        if (delta > 1) {
          const skipped = skippedBetween(log, v.wIdx[p]!, v.wIdx[w]!);
          out.push({ type: 'int-send-skip', allowed: true, key, ops: [at], delta, values, offsets, skipped,
            explanation: `op ${at} sent values ${values[0]} and ${values[1]} to key ${key}, which landed at offsets ${offsets[0]} and ${offsets[1]} with other writes (${list(skipped)}) between` });
        } else if (delta < 1) {
          out.push({ type: 'int-nonmonotonic-send', allowed: false, key, ops: [at], delta, values, offsets,
            explanation: `op ${at} sent value ${values[0]} and then ${values[1]} to key ${key}, but they landed in the opposite order (offsets ${offsets[0]} and ${offsets[1]})` });
        }
      }
      stamp[k] = -2 - op; last[k] = w;
    }
  }
  return out;
}

/** Op ids of each process, in invoke order. */
function opsByProcess(t: OpTable): Map<number, number[]> {
  const by = new Map<number, number[]>();
  for (let op = 0; op < t.n; op++) {
    const list = by.get(t.process[op]!);
    if (list) list.push(op); else by.set(t.process[op]!, [op]);
  }
  for (const ops of by.values()) ops.sort((a, b) => t.invokeIndex[a]! - t.invokeIndex[b]!);
  return by;
}

/** poll-skip, nonmonotonic-poll and nonmonotonic-send, per process (= per client instance). */
export function processCases(t: OpTable, v: Versions): Anomaly[] {
  const out: Step[] = [];
  const assignments = new Map<number, typeof t.assignments>();
  for (const a of t.assignments) assignments.set(a.process, [...(assignments.get(a.process) ?? []), a]);
  for (const [process, ops] of opsByProcess(t)) {
    // key id → the last read (of an ok op) / the last send, as indices into the op table's columns.
    const lastRead = new Map<number, number>();
    const lastSend = new Map<number, number>();
    let subscribed = false;
    const pendingAssign = (assignments.get(process) ?? []).slice();
    for (const op of ops) {
      while (pendingAssign.length > 0 && pendingAssign[0]!.index < t.invokeIndex[op]!) {
        const a = pendingAssign.shift()!;
        const keep = new Set(a.keys.map((k) => t.keyId.get(k)));
        for (const k of [...lastRead.keys()]) if (!keep.has(k)) lastRead.delete(k);
        for (const k of [...lastSend.keys()]) if (!keep.has(k)) lastSend.delete(k);
        subscribed = a.subscribe;
      }
      pollSteps(t, v, op, process, lastRead, subscribed, out);
      sendSteps(t, v, op, process, lastSend, out);
    }
  }
  return out;
}

/** Reused per op: key id → the op's last read or send of it (one Map, not one per op). */
const seen = new Map<number, number>();

function pollSteps(t: OpTable, v: Versions, op: number, process: number, lastRead: Map<number, number>,
  subscribed: boolean, out: Step[]): void {
  seen.clear();
  for (let r = t.rStart[op]!; r < t.rStart[op + 1]!; r++) {
    const k = t.rKey[r]!;
    if (!seen.has(k)) {
      const prev = lastRead.get(k);
      if (prev !== undefined) {
        const delta = v.rIdx[r]! - v.rIdx[prev]!;
        const key = t.keys[k]!, ops = [t.index[t.rOp[prev]!]!, t.index[op]!];
        const values = [t.rValue[prev]!, t.rValue[r]!], offsets = [t.rOffset[prev]!, t.rOffset[r]!];
        if (delta > 1) {
          const skipped = skippedBetween(v.logs[k]!, v.rIdx[prev]!, v.rIdx[r]!);
          out.push({ type: 'poll-skip', allowed: subscribed, key, ops, delta, values, offsets, skipped,
            explanation: `process ${process}'s op ${ops[1]} polled key ${key} from offset ${offsets[1]}, but its previous ok poll, op ${ops[0]}, ended at offset ${offsets[0]}: value(s) ${list(skipped)} between were skipped${subscribed ? ' (allowed: the process was subscribed, rebalances move partitions)' : ''}` });
        } else if (delta < 1) {
          out.push({ type: 'nonmonotonic-poll', allowed: subscribed, key, ops, delta, values, offsets,
            explanation: `process ${process}'s op ${ops[1]} polled key ${key} from offset ${offsets[1]} (value ${values[1]}), at or before where its previous ok poll, op ${ops[0]}, ended (offset ${offsets[0]}, value ${values[0]})${subscribed ? ' (allowed: the process was subscribed, rebalances move partitions)' : ''}` });
        }
      }
    }
    seen.set(k, r);
  }
  // Only ok ops move the position: after fail or info the consumer must have been rolled back.
  if (t.type[op] === 0) for (const [k, r] of seen) lastRead.set(k, r);
}

function sendSteps(t: OpTable, v: Versions, op: number, process: number, lastSend: Map<number, number>, out: Step[]): void {
  if (t.type[op] === FAIL) return;
  seen.clear();
  for (let w = t.wStart[op]!; w < t.wStart[op + 1]!; w++) {
    const k = t.wKey[w]!;
    if (v.wIdx[w]! < 0) continue;
    const prev = lastSend.get(k);
    if (!seen.has(k) && prev !== undefined) {
      const delta = v.wIdx[w]! - v.wIdx[prev]!;
      if (delta < 1) {
        const log = v.logs[k]!, key = t.keys[k]!, ops = [t.index[t.wOp[prev]!]!, t.index[op]!];
        const values = [t.wValue[prev]!, t.wValue[w]!], offsets = [log.offsets[v.wIdx[prev]!]!, log.offsets[v.wIdx[w]!]!];
        out.push({ type: 'nonmonotonic-send', allowed: false, key, ops, delta, values, offsets,
          explanation: `process ${process}'s op ${ops[1]} sent value ${values[1]} to key ${key}, which landed at offset ${offsets[1]}, at or before offset ${offsets[0]} where its earlier op ${ops[0]} sent value ${values[0]}` });
      }
    }
    seen.set(k, w);
  }
  for (const [k, w] of seen) lastSend.set(k, w);
}
