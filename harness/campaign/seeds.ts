// The seeds a campaign runs. `--seeds` takes ranges and single seeds, comma-separated (`1..10`, `7`,
// `203001..203010,17,42`: a nightly's moving block plus the failing seeds it carries), always run in
// ascending order without repeats. `--shard I/N` keeps the seeds with seed mod N = I, so N machines given
// the same `--seeds` split the work without talking to each other, and `formatSeeds` writes a list back
// in the short form, which is how shards of one campaign recognise each other.
import { usageError } from '../cli/exit-codes.ts';
import { MAX_SEED } from '../workload/options.ts'; // options only: the command line's definitions stay light

export interface Shard {
  /** 0 ≤ index < count. */
  index: number;
  count: number;
}

const FIX = `write --seeds A..B with integers 0 ≤ A ≤ B ≤ ${MAX_SEED} (e.g. --seeds 1..10), --seeds N for one seed, ` +
  'or several of those comma-separated (--seeds 1..10,42)';

/** Upper bound on the seeds one campaign plans: a typo such as 1..1000000000 should not allocate gigabytes. */
export const MAX_CAMPAIGN_SEEDS = 1_000_000;

export function parseSeedRange(raw: string | undefined): number[] {
  if (raw === undefined) throw usageError(`campaign: --seeds is required; ${FIX}`);
  const seeds = new Set<number>();
  for (const item of raw.split(',')) {
    const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(item);
    if (!m) throw usageError(`campaign: --seeds '${raw}' is not a seed range${raw.includes(',') ? ` ('${item}')` : ''}; ${FIX}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from > MAX_SEED || to > MAX_SEED) throw usageError(`campaign: --seeds '${raw}' goes past the largest seed; ${FIX}`);
    if (from > to) throw usageError(`campaign: --seeds '${raw}' is empty (${from} > ${to}); ${FIX}`);
    if (seeds.size + (to - from + 1) > MAX_CAMPAIGN_SEEDS) {
      throw usageError(`campaign: --seeds '${raw}' plans more than ${MAX_CAMPAIGN_SEEDS} seeds; split it into several campaigns or shards`);
    }
    for (let s = from; s <= to; s++) seeds.add(s);
  }
  return [...seeds].sort((a, b) => a - b);
}

/** Ascending seeds in `--seeds` form, runs of consecutive seeds as ranges: [1,2,3,7] → `1..3,7`. */
export function formatSeeds(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}..${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function parseShard(raw: string | undefined): Shard | null {
  if (raw === undefined) return null;
  const fix = 'write --shard I/N with integers 0 ≤ I < N (e.g. --shard 0/4 up to --shard 3/4); shard I runs the seeds with seed mod N = I';
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m) throw usageError(`campaign: --shard '${raw}' is not a shard; ${fix}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw usageError(`campaign: --shard '${raw}' is out of range; ${fix}`);
  return { index, count };
}

export const shardSeeds = (seeds: readonly number[], shard: Shard | null): number[] =>
  shard === null ? [...seeds] : seeds.filter((s) => s % shard.count === shard.index);

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;
