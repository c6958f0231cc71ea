// The invariants every explored state must keep: those of properties/model/invariants.ts that read the
// cluster's state (no record appended twice, the LSO exact, every transaction of a client atomic), seen
// through a read-only view of the world, plus what an action itself observed (a fenced producer's success,
// a group offset nothing explains). Results are remembered per combination of partition and group snapshots.
import { fetchFrom, lastStableOffset, type LogEntry, type ModelVariant, type Sim } from '../../model/index.ts';
import { type Invariant, type Monitor } from '../../properties/model/monitor.ts';
import { lastStableOffsetIsExact, noDuplicateAppend, noHangingTransaction, transactionsAreAtomic } from '../../properties/model/invariants.ts';
import { txnOfValue } from './config.ts';
import type { World } from './world.ts';

export const STATE_INVARIANTS: ReadonlyArray<[string, Invariant]> = [
  ['no duplicate append', noDuplicateAppend],
  ['exact LSO', lastStableOffsetIsExact],
  ['atomic transactions', transactionsAreAtomic],
  ['no hanging transaction', noHangingTransaction],
];

/** The parts of Sim the invariants read, over a world's partitions and group. */
export function simView(w: World, variant?: ModelVariant): Sim {
  const lso = variant?.lastStableOffset ?? lastStableOffset;
  const inRange = (k: number) => k < w.parts.length;
  const view = {
    log: (k: number): readonly LogEntry[] => (inRange(k) ? w.partition(k).log : []),
    highWatermark: (k: number) => (inRange(k) ? w.partition(k).highWatermark : 0),
    lastStableOffset: (k: number) => (inRange(k) ? lso(w.partition(k)) : 0),
    committedOffsets: (groupId: string) => {
      if (w.group < 0) return {};
      const g = w.m.group.snapshot(w.group).context;
      return g.groupId !== groupId ? {} : Object.fromEntries(Object.entries(g.committed).map(([k, o]) => [Number(k), o.offset]));
    },
    inspect: () => ({
      coordinators: new Map(w.m.txnIds.map((id, i) => [id, w.coords[i]!]).filter(([, s]) => (s as number) >= 0)
        .map(([id, s]) => { const snap = w.m.coordinator.snapshot(s as number); return [id as string, { state: String(snap.value), context: snap.context }]; })),
    }),
    /** What a read_committed reader returns of key k from offset 0 (for the counterexample's final reads). */
    readCommitted: (k: number) => fetchFrom(w.partition(k), 0, true, lso).records,
  };
  return view as unknown as Sim;
}

export class Checker {
  /** By partition, group and coordinator snapshots (the state the invariants read), packed into one number. */
  private readonly cache = new Map<number, string | null>();
  checks = 0;

  constructor(private readonly variant?: ModelVariant) {}

  /** The first invariant `w` breaks, named, or null. */
  violation(w: World): string | null {
    if (w.violation !== null) return w.violation;
    let key = w.group + 1;
    for (const x of w.parts) key = key * 65_537 + x;
    for (const x of w.coords) key = key * 65_537 + x + 1;
    if (!Number.isSafeInteger(key)) return this.check(w);
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    const found = this.check(w);
    this.cache.set(key, found);
    return found;
  }

  private check(w: World): string | null {
    this.checks++;
    const sim = simView(w, this.variant);
    const txnOf = new Map<string, string>();
    w.parts.forEach((_, k) => { for (const e of sim.log(k)) if (e.kind === 'record') txnOf.set(`${k}:${e.value}`, txnOfValue(e.value)); });
    const monitor = { sim, txnOfValue: txnOf, fenced: new Set(), zombieSuccesses: [], committedReads: [], unexplainedOffsetMoves: [] } as unknown as Monitor;
    for (const [name, inv] of STATE_INVARIANTS) {
      const r = inv(monitor);
      if (r !== null) return `${name}: ${r}`;
    }
    return null;
  }
}
