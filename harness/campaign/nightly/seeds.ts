// Which seeds a night runs: a block that moves with the date (so every night explores new programs,
// and a night's seeds can be named from its date alone), plus every seed that failed on an earlier
// night and has not passed since (nightly-state.ts). All shards and legs of a night run the same list.
import { MAX_SEED } from '../../workload/options.ts';
import { formatSeeds } from '../seeds.ts';
import type { NightlyState } from './nightly-state.ts';

const DAY_MS = 86_400_000;

export function parseNightDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const time = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== date) {
    throw new Error(`nightly: '${date}' is not a date; give it as YYYY-MM-DD (UTC), e.g. $(date -u +%F)`);
  }
  return time;
}

/** The night's own seeds: `perNight` consecutive seeds starting at (days since 1970-01-01) x perNight. */
export function nightBlock(date: string, perNight: number): number[] {
  if (!Number.isInteger(perNight) || perNight < 1) throw new Error(`nightly: seeds per night must be a positive integer, got ${perNight}`);
  const first = (parseNightDate(date) / DAY_MS) * perNight;
  if (first + perNight - 1 > MAX_SEED) throw new Error(`nightly: ${perNight} seeds per night run past the largest seed on ${date}; use fewer`);
  return Array.from({ length: perNight }, (_, i) => first + i);
}

export interface NightPlan {
  date: string;
  block: number[];
  carried: number[];
  /** `--seeds` for every shard and leg of the night. */
  seeds: string;
}

export function planNight(date: string, perNight: number, state: NightlyState | null): NightPlan {
  const block = nightBlock(date, perNight);
  const carried = (state?.carried ?? []).map((c) => c.seed).sort((a, b) => a - b);
  return { date, block, carried, seeds: formatSeeds([...block, ...carried]) };
}
