// What the replay has to do, op by op: the steps each op took on the cluster and Kafka's answer to each.
// A step whose answer the history records (a send with its offset, a poll with its records, a commit that
// returned, an error) is *known*; what an op did after its client stopped hearing is not (an `info` op's
// tail): the replay holds the model to known answers only, and places the unknown tail where the rest of
// the history needs it (a read of its records, a reader past them, a newer instance of its producer).
import { type ErrorClass, errorClass, stageOf } from './error-class.ts';
import type { Attribution } from './attribution.ts';
import { type HistoryOps, type ReplayOp, readsOf } from './history-ops.ts';

/** Kafka's answer to a step: success, an error, or nothing known. */
export type Answer = { kind: 'ok' } | { kind: 'error'; error: string; cls: ErrorClass } | { kind: 'unknown' };

export type Step =
  /** InitProducerId of a transactional process at its first op. */
  | { kind: 'init'; answer: Answer }
  | { kind: 'begin' }
  /** `located`: the answer was lost, but a poll returned the record: it landed at `offset`, at some time after the invoke. */
  | { kind: 'send'; key: number; value: number; offset: number | null; answer: Answer; located?: boolean }
  | { kind: 'poll'; reads: [number, [number, number][]][] }
  | { kind: 'offsets'; answer: Answer }
  | { kind: 'end'; commit: boolean; answer: Answer };

export interface Unit {
  /** `op` for a client op; `start` for a transactional process's first op (its InitProducerId). */
  kind: 'op' | 'start';
  /** History index naming it (its completion, or its invoke if it never completed). */
  index: number;
  invokeIndex: number;
  process: number;
  type: 'ok' | 'fail' | 'info';
  invokeTime: number;
  time: number;
  op?: ReplayOp;
  transactionalId?: string;
  steps: Step[];
  /** Steps whose answers are known; the rest may have happened at any time after the invoke, or never. */
  known: number;
  /** The op's writes committed (ok, or read): its end, known or not, is a commit. */
  committed: boolean;
  /** A start whose InitProducerId may have happened (any time after its invoke) or not. */
  optional: boolean;
  /** A start for another transactional id the process may have run as: outside its process's order. */
  alternative?: boolean;
}

const OK: Answer = { kind: 'ok' };
const UNKNOWN: Answer = { kind: 'unknown' };
const failed = (error: string): Answer => ({ kind: 'error', error, cls: errorClass(error) });

export function planUnits(h: HistoryOps, attribution: ReadonlyMap<number, Attribution>): Unit[] {
  const units: Unit[] = [];
  for (const [process, start] of h.starts) {
    const a = attribution.get(process);
    if (a === undefined) continue;
    // A process whose first op completed ok certainly initialised; any other start only may have.
    const optional = !a.certain || start.type !== 'ok';
    units.push({
      kind: 'start', index: start.index, invokeIndex: start.invokeIndex, process, type: start.type, invokeTime: start.invokeTime,
      time: start.time, transactionalId: a.transactionalId, steps: [{ kind: 'init', answer: optional ? UNKNOWN : OK }],
      known: optional ? 0 : 1, committed: false, optional,
    });
    for (const other of a.alternatives ?? []) {
      units.push({
        kind: 'start', index: start.index, invokeIndex: start.invokeIndex, process, type: start.type, invokeTime: start.invokeTime,
        time: start.time, transactionalId: other, steps: [{ kind: 'init', answer: UNKNOWN }], known: 0, committed: false, optional: true,
        alternative: true,
      });
    }
  }
  for (const op of h.ops) {
    const { steps, known } = stepsOf(op);
    const a = attribution.get(op.process);
    units.push({
      kind: 'op', index: op.index, invokeIndex: op.invokeIndex, process: op.process, type: op.type, invokeTime: op.invokeTime,
      time: op.time, op, ...(a !== undefined ? { transactionalId: a.transactionalId } : {}), steps, known, committed: op.committed,
      optional: false,
    });
  }
  // By history index. Only a start and its own process's first op share one (a txn-first process):
  // the sort is stable, and the units were pushed starts first, each main start before its
  // alternatives, so a start stays just before its op. (A tie-break rank said the same again; its
  // mutants were all equivalent.)
  units.sort((x, y) => x.index - y.index);
  return units;
}

function stepsOf(op: ReplayOp): { steps: Step[]; known: number } {
  const steps: Step[] = [];
  const stage = op.error !== undefined ? stageOf(op.error) : null;
  const opError = op.type === 'fail' ? failed(op.error ?? 'fail') : UNKNOWN;
  let stopped = false;
  if (op.f === 'txn') steps.push({ kind: 'begin' });
  for (const [i, m] of op.mops.entries()) {
    if (m[0] === 'send') {
      const offset = Array.isArray(m[2]) ? (m[2] as readonly [number | null, number])[0] : null;
      const value = Array.isArray(m[2]) ? (m[2] as readonly [number | null, number])[1] : (m[2] as number);
      if (offset !== null && op.located?.has(i)) { steps.push({ kind: 'send', key: m[1], value, offset, answer: UNKNOWN, located: true }); continue; }
      if (offset !== null) { steps.push({ kind: 'send', key: m[1], value, offset, answer: OK }); continue; }
      // The first send without an answer is where the op failed (or lost track); nothing after it ran.
      steps.push({ kind: 'send', key: m[1], value, offset: null, answer: op.type === 'fail' && stage === null ? opError : UNKNOWN });
      stopped = true;
      break;
    }
    const reads = readsOf(m);
    if (reads.some(([, pairs]) => pairs.length > 0)) steps.push({ kind: 'poll', reads: reads.filter(([, pairs]) => pairs.length > 0) });
  }
  const heard = () => {
    const n = steps.findIndex((s) => 'answer' in s && s.answer.kind === 'unknown');
    return n < 0 ? steps.length : n;
  };
  if (op.f !== 'txn') return { steps, known: op.type === 'info' ? heard() : steps.length };
  const readSomething = steps.some((s) => s.kind === 'poll');
  // The runner commits the offsets it consumed before it commits or deliberately aborts; a failure of an
  // earlier step skips them.
  const reachedOffsets = op.type === 'ok' || stage === 'sendOffsets' || stage === 'commit'
    || (op.type === 'fail' && opError.kind === 'error' && opError.cls === 'deliberate') || op.type === 'info';
  if (!stopped && readSomething && reachedOffsets) {
    const sure = op.type === 'ok' || stage === 'commit' || (op.type === 'fail' && stage !== 'sendOffsets');
    steps.push({ kind: 'offsets', answer: stage === 'sendOffsets' && op.type === 'fail' ? opError : sure ? OK : UNKNOWN });
  }
  if (op.type === 'ok') steps.push({ kind: 'end', commit: true, answer: OK });
  else if (op.type === 'fail') {
    // A failed commit is the commit's answer; any other failure (or a deliberate abort) ends in an abort
    // whose own answer the history does not keep.
    steps.push(stage === 'commit' ? { kind: 'end', commit: true, answer: opError } : { kind: 'end', commit: false, answer: UNKNOWN });
  } else steps.push({ kind: 'end', commit: op.committed, answer: UNKNOWN });
  // Known: everything of ok and fail ops but a failed op's abort; of an info op, what it heard back.
  return { steps, known: op.type === 'info' ? heard() : steps.length };
}
