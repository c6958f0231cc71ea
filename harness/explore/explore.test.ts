// Bounded exhaustive exploration (small bounds here; the full ones in scripts/bench-explore.ts): it finds
// KAFKA-17754 under transaction version 1 and nothing under version 2 within the same bound, its
// counterexample replays from its trace and reads as an invalid history, and every broken model is caught
// in a configuration where the real model is clean within the same bound.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelVariant } from '../../model/index.ts';
import {
  completeBeforeMarkers, endTxnEpochUnchecked, lsoEqualsHighWatermark, markerEpochUnchecked, markerToOnePartition, noDedupCache,
  noEpochBumpOnInitProducerId, noPendingCheck, noProducerEpochCheck, offsetsCommittedOnAbort,
} from '../../properties/model/variants.ts';
import type { Action } from './actions.ts';
import { Checker } from './check.ts';
import { type ExploreConfig, type FaultBudget, smallConfig } from './config.ts';
import { runExplore } from './run-explore.ts';
import { explore, replayTrace } from './search.ts';

const config = (txnVersion: 1 | 2, producers: 1 | 2, faults: Partial<FaultBudget>): ExploreConfig => {
  const c = smallConfig(txnVersion, 'java', faults);
  return { ...c, producers: c.producers.slice(0, producers) };
};

describe('exploring the small configuration', () => {
  it('finds KAFKA-17754 under TV1 (a late EndTxn commits part of the next transaction) and nothing under TV2 within the same bound', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explore-'));
    const tv1 = await runExplore({ config: config(1, 1, { delays: 1 }), bound: 30, outDir: dir });
    expect(tv1.result.counterexample?.violation).toMatch(/^atomic transactions: transaction P0\/1 is split: key 0@\d+ committed, key 1@\d+ aborted/);
    expect(tv1.checker).toEqual({ valid: false, anomalies: ['G1a'] });
    expect(fs.readFileSync(path.join(dir, 'trace.txt'), 'utf8')).toMatch(/stays on the wire[\s\S]*deliver P0's late endTxn/);
    const tv2 = explore(config(2, 1, { delays: 1 }), { bound: 30 });
    expect(tv2.counterexample).toBeUndefined();
    expect(tv2.depth).toBe(30);
  });

  it('replays the recorded TV1 counterexample from its trace', () => {
    const fixture = JSON.parse(fs.readFileSync(new URL('../../test/fixtures/explore/kafka-17754-tv1.json', import.meta.url), 'utf8')) as
      { config: ExploreConfig; actions: Action[]; violation: string };
    const worlds = replayTrace(fixture.config, fixture.actions);
    const checker = new Checker();
    expect(checker.violation(worlds[worlds.length - 1]!)).toBe(fixture.violation);
    // Nothing is wrong one action earlier: the last one is where it breaks.
    expect(checker.violation(worlds[worlds.length - 2]!)).toBeNull();
  });

  it('counts the same states each time (state hashing is deterministic)', () => {
    const a = explore(config(2, 1, { delays: 1 }), { bound: 20 });
    const b = explore(config(2, 1, { delays: 1 }), { bound: 20 });
    expect([a.states, a.transitions]).toEqual([b.states, b.transitions]);
  });
});

// Each broken model, with a configuration (producers, faults, bound) where the real model stays clean.
const MUTANTS: Array<[ModelVariant, 1 | 2, 1 | 2, Partial<FaultBudget>, number]> = [
  [completeBeforeMarkers, 1, 1, { delays: 0, failovers: 1 }, 12],
  [markerEpochUnchecked, 2, 1, { delays: 0, failovers: 1 }, 20],
  [markerToOnePartition, 2, 1, { delays: 0, failovers: 1 }, 20],
  [lsoEqualsHighWatermark, 2, 1, { delays: 0, failovers: 1 }, 12],
  [offsetsCommittedOnAbort, 2, 1, { delays: 0, failovers: 1 }, 20],
  [noDedupCache, 2, 1, { delays: 1 }, 12],
  [endTxnEpochUnchecked, 2, 2, { delays: 0 }, 13],
  [noEpochBumpOnInitProducerId, 2, 2, { delays: 0 }, 13],
  [noPendingCheck, 2, 2, { delays: 0 }, 13],
  [noProducerEpochCheck, 2, 2, { delays: 0 }, 13],
];

describe('every broken model is caught', () => {
  for (const [variant, tv, producers, faults, bound] of MUTANTS) {
    it(`${variant.name} (TV${tv}, ${producers} producer(s), ${JSON.stringify(faults)}, bound ${bound})`, () => {
      const c = config(tv, producers, faults);
      const broken = explore(c, { bound, variant });
      expect(broken.counterexample, `${variant.name} not caught`).toBeDefined();
      console.log(`${variant.name}: ${broken.counterexample!.violation} (${broken.counterexample!.actions.length} actions, ${broken.states} states)`);
      expect(explore(c, { bound }).counterexample).toBeUndefined();
    });
  }
});
