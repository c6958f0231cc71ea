// Consume-transform-produce exactly-once, which Jepsen's checker only approaches through
// `consume-counts`. A copier's committed transaction consumes input records and commits their
// offsets with its output; so over all committed transactions of one group, each input record
// below the group's frontier must be consumed exactly once, each consumed record's copy must be in
// the same transaction's sends, and every copy on an output key must come from a consumed input.
import { list, type Anomaly } from '../anomaly.ts';
import type { CopierInfo, ProgramInfo } from '../program-info.ts';
import { copierOfOps } from './copiers.ts';
import type { OpTable } from './ops.ts';
import { firstIndexOf, type Versions } from './versions.ts';

interface Consumption { group: string; keyId: number; count: Int32Array; lastOp: Int32Array; dup: Map<number, Anomaly> }

export function ctpCases(t: OpTable, v: Versions, program: ProgramInfo | undefined): Anomaly[] {
  const copiers = program?.copiers ?? [];
  // Stryker disable next-line ConditionalExpression: a short cut: with no copier every op's copier is -1, and the loops find nothing
  if (copiers.length === 0) return [];
  const copierOf = copierOfOps(t, program);
  const out: Anomaly[] = [...missingOutputs(t, v, copiers, copierOf)];
  const consumption = new Map<string, Consumption>();
  // Stryker disable next-line EqualityOperator: one past the end reads undefined from the typed arrays, and the extra index is skipped
  for (let r = 0; r < t.rKey.length; r++) {
    const op = t.rOp[r]!, c = copierOf[op]!;
    if (c < 0 || !v.committed[op] || !copiers[c]!.inputKeys.includes(t.keys[t.rKey[r]!]!)) continue;
    const group = copiers[c]!.group, keyId = t.rKey[r]!, id = `${group}\u0000${keyId}`;
    let s = consumption.get(id);
    if (!s) {
      const len = v.logs[keyId]!.values.length;
      consumption.set(id, (s = { group, keyId, count: new Int32Array(len), lastOp: new Int32Array(len).fill(-1), dup: new Map() }));
    }
    const idx = v.rIdx[r]!;
    if (s.lastOp[idx] === op) continue; // the same op reading one record twice is int-nonmonotonic-poll
    s.count[idx]!++;
    if (s.count[idx]! === 2) s.dup.set(idx, duplicateInput(t, v, s, idx, s.lastOp[idx]!, op));
    if (s.count[idx]! > 2) s.dup.get(idx)!.ops.push(t.index[op]!);
    s.lastOp[idx] = op;
  }
  for (const s of consumption.values()) {
    out.push(...s.dup.values(), ...lostInputs(t, v, s));
    // Stryker disable next-line OptionalChaining: a program exists whenever copiers do
    const mismatch = offsetMismatch(t, v, s, program?.groupOffsets);
    if (mismatch) out.push(mismatch);
  }
  out.push(...orphanOutputs(t, v, copiers, consumption));
  return out;
}

function missingOutputs(t: OpTable, v: Versions, copiers: CopierInfo[], copierOf: Int32Array): Anomaly[] {
  const out: Anomaly[] = [];
  // Stryker disable next-line EqualityOperator: one past the end reads undefined from the typed arrays, and the extra index is skipped
  for (let op = 0; op < t.n; op++) {
    if (copierOf[op]! < 0 || !v.committed[op]) continue;
    const c = copiers[copierOf[op]!]!;
    const sent = new Set<string>();
    for (let w = t.wStart[op]!; w < t.wStart[op + 1]!; w++) sent.add(`${t.keys[t.wKey[w]!]}:${t.wValue[w]}`);
    for (let r = t.rStart[op]!; r < t.rStart[op + 1]!; r++) {
      const ik = t.keys[t.rKey[r]!]!, i = c.inputKeys.indexOf(ik), value = t.rValue[r]!;
      if (i < 0 || sent.has(`${c.outputKeys[i]}:${value}`)) continue;
      out.push({
        type: 'ctp-missing-output', allowed: false, key: ik, values: [value], offsets: [t.rOffset[r]!], ops: [t.index[op]!],
        explanation: `op ${t.index[op]} (copier ${c.transactionalId}) consumed value ${value} of input key ${ik} at offset ${t.rOffset[r]} and committed, but did not send its copy to output key ${c.outputKeys[i]}`,
      });
    }
  }
  return out;
}

function duplicateInput(t: OpTable, v: Versions, s: Consumption, idx: number, first: number, second: number): Anomaly {
  const key = t.keys[s.keyId]!, log = v.logs[s.keyId]!, value = log.values[idx]!;
  return {
    type: 'ctp-duplicate-input', allowed: false, key, values: [value], offsets: [log.offsets[idx]!], ops: [t.index[first]!, t.index[second]!],
    explanation: `value ${value} of input key ${key} (offset ${log.offsets[idx]}) was consumed by more than one committed transaction of group ${s.group}: ops ${t.index[first]} and ${t.index[second]} (processed twice)`,
  };
}

function lostInputs(t: OpTable, v: Versions, s: Consumption): Anomaly[] {
  const out: Anomaly[] = [];
  let max = s.count.length - 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a consumption exists only once a record was consumed, so max never reaches -1 (nor stops at 0 with count[0] === 0)
  while (max >= 0 && s.count[max] === 0) max--;
  const key = t.keys[s.keyId]!, log = v.logs[s.keyId]!;
  // Stryker disable next-line EqualityOperator: count[max] is never 0, so i = max adds nothing
  for (let i = 0; i < max; i++) {
    if (s.count[i] !== 0) continue;
    let j = i;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: count[max] is never 0, so the run of unconsumed records stops before max however the bound is tested
    while (j + 1 < max && s.count[j + 1] === 0) j++;
    const values = Array.from(log.values.subarray(i, j + 1)), offsets = Array.from(log.offsets.subarray(i, j + 1));
    out.push({
      type: 'ctp-lost-input', allowed: false, key, values: values.slice(0, 32), offsets: offsets.slice(0, 32), count: values.length,
      ops: [t.index[s.lastOp[max]!]!],
      explanation: `${values.length} record(s) of input key ${key} (values ${list(values)} at offsets ${list(offsets)}) were never consumed by a committed transaction of group ${s.group}, though op ${t.index[s.lastOp[max]!]} consumed a later one (offset ${log.offsets[max]})`,
    });
    i = j;
  }
  return out;
}

function offsetMismatch(t: OpTable, v: Versions, s: Consumption, offsets: ProgramInfo['groupOffsets']): Anomaly | undefined {
  const committed = offsets?.[s.group];
  if (!committed) return undefined;
  const key = t.keys[s.keyId]!, log = v.logs[s.keyId]!, got = committed[String(key)];
  let max = s.count.length - 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a consumption exists only once a record was consumed, so max never reaches -1 (nor stops at 0 with count[0] === 0)
  while (max >= 0 && s.count[max] === 0) max--;
  // Stryker disable next-line ConditionalExpression,UnaryOperator: max never reaches -1 (a consumption exists only once a record was consumed)
  const last = max >= 0 ? log.offsets[max]! : -1;
  const next = max + 1 < log.offsets.length ? log.offsets[max + 1]! : Infinity;
  // Stryker disable next-line ConditionalExpression: undefined > last is false, so the mismatch is reported either way
  if (got !== undefined && got > last && got <= next) return undefined;
  return {
    type: 'ctp-offset-mismatch', allowed: false, key, offsets: got === undefined ? [] : [got], ops: [t.index[s.lastOp[max]!]!], // max >= 0, as above
    explanation: `group ${s.group} committed offset ${got ?? 'none'} for input key ${key}, but its committed transactions consumed up to offset ${last}${next < Infinity ? ` and the next record is at ${next}` : ''}, so the committed offset should be in (${last}, ${next < Infinity ? next : '∞'}]`,
  };
}

function orphanOutputs(t: OpTable, v: Versions, copiers: CopierInfo[], consumption: Map<string, Consumption>): Anomaly[] {
  const out: Anomaly[] = [];
  for (const c of copiers) {
    c.outputKeys.forEach((ok, i) => {
      const okId = t.keyId.get(ok), ikId = t.keyId.get(c.inputKeys[i]!);
      if (okId === undefined) return;
      // Stryker disable next-line ConditionalExpression: consumption has no key ending in \u0000undefined, so get answers undefined too
      const s = ikId === undefined ? undefined : consumption.get(`${c.group}\u0000${ikId}`);
      const outLog = v.logs[okId]!;
      for (let idx = 0; idx < outLog.values.length; idx++) {
        const value = outLog.values[idx]!;
        // Stryker disable next-line UnaryOperator: with no input key id, s is undefined too, and the test below stops at `s &&`
        const inIdx = ikId === undefined ? -1 : firstIndexOf(v.logs[ikId]!, value);
        // Stryker disable next-line ConditionalExpression: with inIdx -1, s.count[-1] is undefined, and undefined > 0 is false
        if (s && inIdx >= 0 && s.count[inIdx]! > 0) continue;
        const w = v.writerOf[okId]!.get(value);
        out.push({
          type: 'ctp-orphan-output', allowed: false, key: ok, values: [value], offsets: [outLog.offsets[idx]!],
          ops: w === undefined ? [] : [t.index[t.wOp[w]!]!],
          explanation: `value ${value} is on output key ${ok} (offset ${outLog.offsets[idx]}), but no committed transaction of group ${c.group} consumed value ${value} of input key ${c.inputKeys[i]}`,
        });
      }
    });
  }
  return out;
}
