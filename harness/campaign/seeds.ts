// `--seeds A..B` (inclusive) or `--seeds N`: the seeds a campaign runs, in order.
import { usageError } from '../cli/exit-codes.ts';
import { MAX_SEED } from '../workload/index.ts';

export function parseSeedRange(raw: string | undefined): number[] {
  const fix = `write --seeds A..B with integers 0 ≤ A ≤ B ≤ ${MAX_SEED} (e.g. --seeds 1..10), or --seeds N for one seed`;
  if (raw === undefined) throw usageError(`campaign: --seeds is required; ${fix}`);
  const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(raw);
  if (!m) throw usageError(`campaign: --seeds '${raw}' is not a seed range; ${fix}`);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > MAX_SEED || to > MAX_SEED) throw usageError(`campaign: --seeds '${raw}' goes past the largest seed; ${fix}`);
  if (from > to) throw usageError(`campaign: --seeds '${raw}' is empty (${from} > ${to}); ${fix}`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
