// The orders a history forces on its replay, computed once: real time (an op that completed before another
// was invoked took all its known steps before the other took any), and the log (a key's writes land in the
// order of the offsets Kafka gave them). The scheduler (replay.ts) reads them; nothing here runs the model.
import type { Unit } from './replay-plan.ts';

/** One write Kafka acknowledged: unit `unit`'s step `step` landed at `offset` of its key. */
export interface Landed { unit: number; step: number; offset: number }

export interface ReplayOrder {
  /** Per key, the acknowledged writes in offset order. */
  byKey: Map<number, Landed[]>;
  /** Of unit i: how many units (a prefix of the list) completed before it was invoked. */
  before: number[];
  /** Of unit i: the unit before it in its process, or -1. */
  previous: number[];
  /** Units of each transactional id, in list order. */
  byTransactionalId: Map<string, number[]>;
}

export function replayOrder(units: readonly Unit[]): ReplayOrder {
  const byKey = new Map<number, Landed[]>();
  units.forEach((u, i) => u.steps.forEach((s, j) => {
    // Acknowledged writes, and those a poll located (they landed, whenever that was).
    if (s.kind !== 'send' || s.offset === null || (j >= u.known && !s.located)) return;
    const list = byKey.get(s.key);
    const landed = { unit: i, step: j, offset: s.offset };
    if (list) list.push(landed); else byKey.set(s.key, [landed]);
  }));
  for (const list of byKey.values()) list.sort((a, b) => a.offset - b.offset);
  // Units are in completion order, and completions are in real-time order: the units that completed
  // before an invoke are a prefix of the list.
  const indices = units.map((u) => u.index);
  const before = units.map((u) => lowerBound(indices, u.invokeIndex));
  const last = new Map<number, number>();
  const previous = units.map(() => -1);
  // The list is already in invoke order within each process: a process's ops are sequential (each completed
  // before the next was invoked; one that never completed, named by its invoke, is its last), and its start
  // sorts just before its first op (replay-plan.ts).
  units.forEach((_, i) => {
    if (units[i]!.alternative) return; // a guess at another transactional id: it does not order the process
    const p = units[i]!.process;
    previous[i] = last.get(p) ?? -1;
    last.set(p, i);
  });
  const byTransactionalId = new Map<string, number[]>();
  units.forEach((u, i) => {
    if (u.transactionalId === undefined) return;
    const list = byTransactionalId.get(u.transactionalId);
    if (list) list.push(i); else byTransactionalId.set(u.transactionalId, [i]);
  });
  return { byKey, before, previous, byTransactionalId };
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
