// How big a program is, in the terms a person reads a shrink result in: client ops, micro-ops, faults.
import type { Program } from '../workload/index.ts';

export interface ProgramSize {
  ops: number;
  mops: number;
  faults: number;
  /** Workers left with more than their initial assign. */
  busyWorkers: number;
}

export function programSize(p: Program): ProgramSize {
  let ops = 0;
  let mops = 0;
  for (const w of p.workers) {
    ops += w.ops.length;
    for (const op of w.ops) mops += op.f === 'send' || op.f === 'txn' ? op.value.length : 1;
  }
  return { ops, mops, faults: p.nemesis.schedule.length, busyWorkers: p.workers.filter((w) => w.ops.length > 1).length };
}

export const formatSize = (s: ProgramSize): string => `${s.ops} ops (${s.mops} mops), ${s.faults} faults, ${s.busyWorkers} busy workers`;

/** Strictly smaller in some measure and larger in none. */
export const smallerThan = (a: ProgramSize, b: ProgramSize): boolean =>
  a.ops <= b.ops && a.mops <= b.mops && a.faults <= b.faults && (a.ops < b.ops || a.mops < b.mops || a.faults < b.faults);
