// Anomalies visible in the shape of each key's log itself: one offset with two values, one value at
// two offsets. Both come out of the version-order construction (kafka.clj:969-988, 1455-1480).
import { list, type Anomaly } from '../anomaly.ts';
import type { OpTable } from './ops.ts';
import type { Versions } from './versions.ts';

interface Target { keyId: number; offsets: Set<number>; ops: Set<number> }

/** Ops (history indices) that sent (and must have committed) or polled each target's offsets. */
function observers(t: OpTable, v: Versions, targets: Target[]): number[][] {
  const byKey = new Map<number, Target[]>();
  for (const x of targets) byKey.set(x.keyId, [...(byKey.get(x.keyId) ?? []), x]);
  if (byKey.size === 0) return [];
  const see = (keyId: number, offset: number, op: number) => {
    for (const x of byKey.get(keyId) ?? []) if (x.offsets.has(offset)) x.ops.add(t.index[op]!);
  };
  for (let w = 0; w < t.wKey.length; w++) {
    if (v.committed[t.wOp[w]!] && t.wOffset[w] === t.wOffset[w]) see(t.wKey[w]!, t.wOffset[w]!, t.wOp[w]!);
  }
  for (let r = 0; r < t.rKey.length; r++) see(t.rKey[r]!, t.rOffset[r]!, t.rOp[r]!);
  return targets.map((x) => [...x.ops].sort((a, b) => a - b));
}

/** `inconsistent-offsets`: one (key, offset) held more than one value. */
export function inconsistentOffsetCases(t: OpTable, v: Versions): Anomaly[] {
  const found: { keyId: number; offset: number; values: number[] }[] = [];
  v.logs.forEach((log, keyId) => {
    for (const [offset, values] of log.conflicts) found.push({ keyId, offset, values });
  });
  found.sort((a, b) => a.keyId - b.keyId || a.offset - b.offset);
  const ops = observers(t, v, found.map((x) => ({ keyId: x.keyId, offsets: new Set([x.offset]), ops: new Set() })));
  return found.map((x, i) => {
    const key = t.keys[x.keyId]!;
    return {
      type: 'inconsistent-offsets', allowed: false, key, offsets: [x.offset], values: x.values, ops: ops[i]!,
      explanation: `offset ${x.offset} of key ${key} held ${x.values.length} different values (${list(x.values)}), seen by ops ${list(ops[i]!)}`,
    };
  });
}

/** `duplicate`: one value of a key appears at more than one offset (values are unique per key). */
export function duplicateCases(t: OpTable, v: Versions): Anomaly[] {
  const found: { keyId: number; value: number; offsets: number[] }[] = [];
  v.logs.forEach((log, keyId) => {
    for (const [value, offsets] of log.dupOffsets) found.push({ keyId, value, offsets });
  });
  found.sort((a, b) => a.keyId - b.keyId || a.offsets[0]! - b.offsets[0]!);
  const ops = observers(t, v, found.map((x) => ({ keyId: x.keyId, offsets: new Set(x.offsets), ops: new Set() })));
  return found.map((x, i) => {
    const key = t.keys[x.keyId]!;
    return {
      type: 'duplicate', allowed: false, key, values: [x.value], offsets: x.offsets, count: x.offsets.length, ops: ops[i]!,
      explanation: `value ${x.value} of key ${key} is at ${x.offsets.length} offsets (${list(x.offsets)}), seen by ops ${list(ops[i]!)}`,
    };
  });
}
