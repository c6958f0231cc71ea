// The model's exactly-once invariants under random programs of client calls and faults (both transaction
// versions). A failure prints the violated invariant, the shrunk program, and the command replaying it:
//   FC_SEED=<seed> FC_PATH=<path> npx vitest run --project unit properties/model.invariants.test.ts -t '<name>'
import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import {
  ctpInputsCommittedExactlyOnce, fencedProducersStayFenced, groupOffsetsMoveOnlyOnCommit, lastStableOffsetIsExact,
  noDuplicateAppend, noHangingTransaction, readCommittedSeesOnlyCommitted, transactionsAreAtomic,
} from './model/invariants.ts';
import { type Invariant, type Program, programArb, runProgram } from './model/program.ts';
import { propParams } from './model/replay.ts';

const RUNS = 80;
const FILE = 'properties/model.invariants.test.ts';

function invariantProperty(name: string, invariant: Invariant): void {
  test.prop([programArb], propParams<[Program]>(RUNS, FILE, name))(name, (program) => {
    expect(runProgram(program, invariant)).toBeNull();
  });
}

invariantProperty('no (pid, epoch, seq) is appended twice to a partition', noDuplicateAppend);
invariantProperty('read_committed never returns aborted or open transaction data', readCommittedSeesOnlyCommitted);
invariantProperty('LSO ≤ HW and LSO = first offset of the earliest open transaction', lastStableOffsetIsExact);
invariantProperty('every partition of a transaction gets the same marker', transactionsAreAtomic);
invariantProperty('a transaction that ended leaves no partition open (no hanging transaction)', noHangingTransaction);
invariantProperty('a fenced producer never appends or commits again', fencedProducersStayFenced);
invariantProperty('committed group offsets only move with committed transactions', groupOffsetsMoveOnlyOnCommit);
invariantProperty('consume-transform-produce inputs are committed exactly once', ctpInputsCommittedExactlyOnce);
