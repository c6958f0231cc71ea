// The cycle search in a worker thread must give the very verdict the single-threaded checker gives:
// same anomalies, in the same order, with the same examples (the CLI prints the verdict as JSON).
import { describe, expect, it } from 'vitest';
import { buildOpTable } from './analysis/ops.ts';
import { checkOpTable, checkOpTableInParallel } from './checker.ts';
import { generateHistory, rng } from './testing/generate.ts';
import { INJECTIONS } from './testing/inject.ts';

describe('checkOpTableInParallel', () => {
  it('agrees with checkOpTable on histories with cycles and other anomalies', async () => {
    for (const seed of [3]) {
      const events = [...generateHistory({ seed, ops: 3000, keys: 6, concurrency: 8, txnP: 0.5 })];
      const r = rng(seed);
      const injected = INJECTIONS.G1a(events.map((e) => structuredClone(e)), (n) => Math.floor(r() * n))!;
      for (const history of [events, injected]) {
        const table = buildOpTable(history);
        const serial = checkOpTable(table, { maxPerType: 1 });
        expect(serial.anomalyTypes).toEqual(expect.arrayContaining(['G2']));
        expect(JSON.stringify(await checkOpTableInParallel(table, { maxPerType: 1 }))).toBe(JSON.stringify(serial));
      }
    }
  }, 60_000);
});
