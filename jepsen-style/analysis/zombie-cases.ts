// Zombie fencing: once a newer producer instance with the same transactional.id has initialised,
// the coordinator has bumped the epoch and aborted the old instance's open transaction, so nothing the
// old instance writes may become visible any more. Two sound witnesses, both `zombie-write`:
//  - time: an old instance's transaction that was *invoked* after a newer instance had completed a
//    transaction (so had surely initialised) and yet committed;
//  - log order: a committed record of the old instance lies after a committed record of the newer
//    one on the same partition (the newer one's record proves its initialisation came first).
// Both need to know which instance initialised first. The runners initialise a transactional producer
// in its process's first op, so an instance is surely the older one only if that first op had
// completed before the other's process even started. Otherwise the two initialisations may have
// overlapped, the epochs may be the other way round, and neither witness holds (seen on Kafka while
// the runner still let kafkajs initialise lazily, inside a long first transaction: a false alarm).
import { type Anomaly } from '../anomaly.ts';
import type { ProgramInfo } from '../program-info.ts';
import { copierOfOps, instancesByTxnId } from './copiers.ts';
import { OK, type OpTable } from './ops.ts';
import type { Versions } from './versions.ts';

type Instance = { process: number; ops: number[] };

export function zombieCases(t: OpTable, v: Versions, program: ProgramInfo | undefined): Anomaly[] {
  const out: Anomaly[] = [];
  const life = processLives(t);
  for (const [tid, byFirstTxn] of instancesByTxnId(t, copierOfOps(t, program), program)) {
    // Oldest first by the start of the process's life, not by its first transaction: a process that
    // began with an assign had initialised its producer before its first transaction was invoked.
    const instances = byFirstTxn.sort((a, b) => life.get(a.process)!.started - life.get(b.process)!.started);
    for (let j = 1; j < instances.length; j++) {
      const newer = instances[j]!;
      const firstOk = newer.ops.find((op) => t.type[op] === OK);
      for (let i = 0; i < j; i++) {
        const older = instances[i]!;
        if (!(life.get(older.process)!.initialised < life.get(newer.process)!.started)) continue; // init order unknown
        if (firstOk !== undefined) out.push(...lateCommits(t, v, tid, older, newer, firstOk));
        out.push(...reorderedRecords(t, v, tid, older, newer));
      }
    }
  }
  return out;
}

/** Per process: the history indices of its first op's invoke and completion (Infinity if none). */
function processLives(t: OpTable): Map<number, { started: number; initialised: number }> {
  const life = new Map<number, { started: number; initialised: number }>();
  const note = (process: number, invoked: number, completed: number) => {
    const l = life.get(process);
    if (l === undefined || invoked < l.started) life.set(process, { started: invoked, initialised: completed });
  };
  for (let op = 0; op < t.n; op++) note(t.process[op]!, t.invokeIndex[op]!, Number.isFinite(t.completeTime[op]!) ? t.index[op]! : Infinity);
  for (const a of t.assignments) note(a.process, a.invokeIndex, a.index);
  return life;
}

/**
 * A transaction that sent nothing and read nothing (so committed no offsets) never reaches the
 * coordinator: kafkajs commits it locally. Nothing of it can become visible, so it is no witness.
 */
const touchedKafka = (t: OpTable, op: number) => t.wStart[op + 1]! > t.wStart[op]! || t.rStart[op + 1]! > t.rStart[op]!;

function lateCommits(t: OpTable, v: Versions, tid: string, older: Instance, newer: Instance, firstOk: number): Anomaly[] {
  const initialised = t.completeTime[firstOk]!;
  return older.ops.filter((op) => v.committed[op] && t.invokeTime[op]! > initialised && touchedKafka(t, op)).map((op) => ({
    type: 'zombie-write' as const, allowed: false, ops: [t.index[firstOk]!, t.index[op]!],
    explanation: `op ${t.index[op]} of process ${older.process} (transactional id ${tid}) began after op ${t.index[firstOk]} of the newer instance, process ${newer.process}, had committed, yet its transaction committed: the old producer was not fenced`,
  }));
}

/** Per key: the committed write with the highest (older) or lowest (newer) dense index. */
function extremes(t: OpTable, v: Versions, ops: number[], highest: boolean): Map<number, number> {
  const best = new Map<number, number>();
  for (const op of ops) {
    if (!v.committed[op]) continue;
    for (let w = t.wStart[op]!; w < t.wStart[op + 1]!; w++) {
      if (v.wIdx[w]! < 0) continue;
      const b = best.get(t.wKey[w]!);
      if (b === undefined || (highest ? v.wIdx[w]! > v.wIdx[b]! : v.wIdx[w]! < v.wIdx[b]!)) best.set(t.wKey[w]!, w);
    }
  }
  return best;
}

function reorderedRecords(t: OpTable, v: Versions, tid: string, older: Instance, newer: Instance): Anomaly[] {
  const out: Anomaly[] = [];
  const late = extremes(t, v, older.ops, true), early = extremes(t, v, newer.ops, false);
  for (const [k, wOld] of late) {
    const wNew = early.get(k);
    if (wNew === undefined || v.wIdx[wOld]! <= v.wIdx[wNew]!) continue;
    const log = v.logs[k]!, key = t.keys[k]!;
    const oOld = log.offsets[v.wIdx[wOld]!]!, oNew = log.offsets[v.wIdx[wNew]!]!;
    out.push({
      type: 'zombie-write', allowed: false, key, values: [t.wValue[wNew]!, t.wValue[wOld]!], offsets: [oNew, oOld],
      ops: [t.index[t.wOp[wNew]!]!, t.index[t.wOp[wOld]!]!],
      explanation: `value ${t.wValue[wOld]} of key ${key} from op ${t.index[t.wOp[wOld]!]} (process ${older.process}, transactional id ${tid}) is committed at offset ${oOld}, after value ${t.wValue[wNew]} at offset ${oNew} from op ${t.index[t.wOp[wNew]!]} of the newer instance, process ${newer.process}: the old producer wrote after it should have been fenced`,
    });
  }
  return out;
}
