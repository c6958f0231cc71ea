// fast-check parameters for the model properties: a fixed budget normally, or an exact replay of a
// reported failure when FC_SEED (and FC_PATH) are set. See properties/model/README.md.
import type { fc } from '@fast-check/vitest';

export function propParams<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FC_SEED;
  if (seed === undefined || seed === '') return { numRuns };
  const path = process.env.FC_PATH;
  return { seed: Number(seed), ...(path ? { path } : {}), endOnFailure: true, numRuns: Math.max(numRuns, 1) };
}
