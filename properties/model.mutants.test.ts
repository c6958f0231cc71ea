// The properties can fail: each deliberately broken model variant must make its property fail. fast-check
// searches with a fixed seed, so the result is reproducible; the counterexample is printed for the reader.
import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import type { ModelVariant } from '../model/index.ts';
import {
  ctpInputsCommittedExactlyOnce, fencedProducersStayFenced, groupOffsetsMoveOnlyOnCommit, lastStableOffsetIsExact,
  noDuplicateAppend, noHangingTransaction, readCommittedSeesOnlyCommitted,
} from './model/invariants.ts';
import { type Invariant, programArb, runProgram } from './model/program.ts';
import {
  lsoEqualsHighWatermark, markerToOnePartition, noDedupCache, noEpochBumpOnInitProducerId, noProducerEpochCheck,
  offsetsCommittedOnAbort,
} from './model/variants.ts';

const cases: Array<[ModelVariant, string, Invariant]> = [
  [noDedupCache, 'no duplicate append', noDuplicateAppend],
  [markerToOnePartition, 'no hanging transaction', noHangingTransaction],
  [noEpochBumpOnInitProducerId, 'fenced producers stay fenced', fencedProducersStayFenced],
  [lsoEqualsHighWatermark, 'exact LSO', lastStableOffsetIsExact],
  [lsoEqualsHighWatermark, 'read_committed sees only committed data', readCommittedSeesOnlyCommitted],
  [offsetsCommittedOnAbort, 'group offsets move only on commit', groupOffsetsMoveOnlyOnCommit],
  [noProducerEpochCheck, 'fenced producers stay fenced', fencedProducersStayFenced],
  [markerToOnePartition, 'consume-transform-produce exactly once', ctpInputsCommittedExactlyOnce],
];

describe('broken model variants are caught', () => {
  for (const [variant, property, invariant] of cases) {
    it(`${variant.name} fails "${property}"`, () => {
      const details = fc.check(fc.property(programArb, (p) => runProgram(p, invariant, variant) === null), { seed: 7, numRuns: 400 });
      expect(details.failed, `${variant.name} was not caught by "${property}" in 400 programs`).toBe(true);
      const counterexample = details.counterexample![0];
      const violation = runProgram(counterexample, invariant, variant);
      console.log(`${variant.name} / ${property}: ${violation}`);
      // The same program is fine on the real model, so it is the mutation that the property caught.
      expect(runProgram(counterexample, invariant)).toBeNull();
    });
  }
});
