// Which ops belong to which copier, and which producer instance ran them. Attribution prefers what the
// runner recorded (`txnId` on events, copier.processes) over guessing from the keys an op touched.
import type { CopierInfo, ProgramInfo } from '../program-info.ts';
import { F_TXN, type OpTable } from './ops.ts';

/** Per op: index into program.copiers, or -1. */
export function copierOfOps(t: OpTable, program: ProgramInfo | undefined): Int32Array {
  const out = new Int32Array(t.n).fill(-1);
  const copiers = program?.copiers ?? [];
  if (copiers.length === 0) return out;
  const byTxnId = new Map(copiers.map((c, i) => [c.transactionalId, i]));
  const byProcess = new Map<number, number>();
  copiers.forEach((c, i) => c.processes?.forEach((p) => byProcess.set(p, i)));
  for (let op = 0; op < t.n; op++) {
    if (t.f[op] !== F_TXN) continue;
    const tid = t.txnId.get(op);
    const c = tid !== undefined ? byTxnId.get(tid) : byProcess.get(t.process[op]!);
    out[op] = c ?? (tid === undefined ? byShape(t, op, copiers) : -1);
  }
  return out;
}

function byShape(t: OpTable, op: number, copiers: CopierInfo[]): number {
  const r0 = t.rStart[op]!, r1 = t.rStart[op + 1]!, w0 = t.wStart[op]!, w1 = t.wStart[op + 1]!;
  if (r0 === r1) return -1;
  return copiers.findIndex((c) => {
    if (c.processes) return false; // the runner said which processes run this copier
    for (let r = r0; r < r1; r++) if (!c.inputKeys.includes(t.keys[t.rKey[r]!]!)) return false;
    for (let w = w0; w < w1; w++) if (!c.outputKeys.includes(t.keys[t.wKey[w]!]!)) return false;
    return true;
  });
}

/**
 * Producer instances per transactional id: the id from `txnId` on the op, else the copier's. Each
 * process is one instance (a process that ends `info` is replaced by a fresh one). Instances are
 * listed oldest first (by their first invoke).
 */
export function instancesByTxnId(t: OpTable, copierOf: Int32Array, program: ProgramInfo | undefined): Map<string, { process: number; ops: number[] }[]> {
  const byId = new Map<string, Map<number, number[]>>();
  for (let op = 0; op < t.n; op++) {
    const c = copierOf[op]!;
    const tid = t.txnId.get(op) ?? (c >= 0 ? program!.copiers![c]!.transactionalId : undefined);
    if (tid === undefined) continue;
    let procs = byId.get(tid);
    if (!procs) byId.set(tid, (procs = new Map()));
    const ops = procs.get(t.process[op]!);
    if (ops) ops.push(op); else procs.set(t.process[op]!, [op]);
  }
  const out = new Map<string, { process: number; ops: number[] }[]>();
  for (const [tid, procs] of byId) {
    const instances = [...procs].map(([process, ops]) => ({ process, ops: ops.sort((a, b) => t.invokeIndex[a]! - t.invokeIndex[b]!) }));
    instances.sort((a, b) => t.invokeIndex[a.ops[0]!]! - t.invokeIndex[b.ops[0]!]!);
    out.set(tid, instances);
  }
  return out;
}
