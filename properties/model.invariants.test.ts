// The model's exactly-once invariants under random programs of client calls and faults (both transaction
// versions). A failure prints fast-check's seed and path; replay it with
//   FC_SEED=<seed> FC_PATH=<path> npx vitest run --project unit properties/model.invariants.test.ts -t '<name>'
import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import {
  ctpInputsCommittedExactlyOnce, fencedProducersStayFenced, groupOffsetsMoveOnlyOnCommit, lastStableOffsetIsExact,
  noDuplicateAppend, readCommittedSeesOnlyCommitted, transactionsAreAtomic,
} from './model/invariants.ts';
import { type Invariant, type Program, programArb, runProgram } from './model/program.ts';
import { propParams } from './model/replay.ts';

const RUNS = 80;
const holds = (invariant: Invariant) => (program: Program) => {
  expect(runProgram(program, invariant)).toBeNull();
};

test.prop([programArb], propParams<[Program]>(RUNS))('no (pid, epoch, seq) is appended twice to a partition', holds(noDuplicateAppend));
test.prop([programArb], propParams<[Program]>(RUNS))('read_committed never returns aborted or open transaction data', holds(readCommittedSeesOnlyCommitted));
test.prop([programArb], propParams<[Program]>(RUNS))('LSO ≤ HW and LSO = first offset of the earliest open transaction', holds(lastStableOffsetIsExact));
test.prop([programArb], propParams<[Program]>(RUNS))('every partition of a transaction gets the same marker', holds(transactionsAreAtomic));
test.prop([programArb], propParams<[Program]>(RUNS))('a fenced producer never appends or commits again', holds(fencedProducersStayFenced));
test.prop([programArb], propParams<[Program]>(RUNS))('committed group offsets only move with committed transactions', holds(groupOffsetsMoveOnlyOnCommit));
test.prop([programArb], propParams<[Program]>(RUNS))('consume-transform-produce inputs are committed exactly once', holds(ctpInputsCommittedExactlyOnce));
