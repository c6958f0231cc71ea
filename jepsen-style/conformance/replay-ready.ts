// When a unit may take its next step: after what completed before it was invoked (real time), after its
// process's previous op, after an older instance's commit Kafka made visible; a write when it is next in its
// key's log; a poll when what it read is committed and every transaction it read past has ended. And, for a
// replay that gets stuck, why a unit waits and on whom.
import { kv } from './history-ops.ts';
import type { Step } from './replay-plan.ts';
import type { ReplayState } from './replay-state.ts';

/** Whether unit j's write (its step `step`) is visible to read_committed readers for unit i now. */
function visible(st: ReplayState, i: number, j: number, step: number): boolean {
  const u = st.units[j]!;
  // Stryker disable next-line OptionalChaining: a writer's unit is an op (a start writes nothing)
  if (u.op?.f !== 'txn') return st.runs[j]!.next > step;
  return u.committed ? st.demandEnd(j, i) : true; // an uncommitted writer's record is never visible: the poll will say so
}

/** A read_committed poll that returned offset `top` of `key` passed every transaction holding a record below it. */
function settledBelow(st: ReplayState, i: number, key: number, top: number): boolean {
  // Stryker disable next-line ArrayDeclaration: a junk entry has no offset, so the loop below ends at once as for none
  const landed = st.order.byKey.get(key) ?? [];
  const inLog = st.nextOnKey.get(key) ?? 0;
  for (let n = 0; n < landed.length && landed[n]!.offset < top; n++) {
    const j = landed[n]!.unit;
    if (j === i) continue;
    if (n >= inLog) return false;
    // Stryker disable next-line OptionalChaining: a landed write's unit is an op
    if (st.units[j]!.op?.f === 'txn' && !st.demandEnd(j, i)) return false;
  }
  return true;
}

function stepReady(st: ReplayState, i: number, s: Step): boolean {
  if (s.kind === 'send' && s.offset !== null && (st.runs[i]!.next < st.units[i]!.known || s.located)) {
    const landed = st.order.byKey.get(s.key)!;
    const n = st.nextOnKey.get(s.key) ?? 0;
    // Stryker disable next-line OptionalChaining: unit i's own write is in the list and not landed yet, so entry n exists
    return landed[n]?.unit === i && landed[n]?.step === st.runs[i]!.next;
  }
  if (s.kind !== 'poll') return true;
  for (const [k, pairs] of s.reads) {
    for (const [, v] of pairs) {
      const w = st.h.writerOf.get(kv(k, v));
      // Stryker disable next-line ConditionalExpression: unitOfOp.get(undefined) is undefined too
      const j = w === undefined ? undefined : st.unitOfOp.get(w);
      if (j === undefined || j === i) continue;
      const step = st.units[j]!.steps.findIndex((x) => x.kind === 'send' && x.key === k && x.value === v);
      if (!visible(st, i, j, step)) return false;
    }
    if (!settledBelow(st, i, k, Math.max(...pairs.map(([o]) => o)))) return false;
  }
  return true;
}

/** Older instances of a start's transactional id whose commit Kafka made visible: they came first. */
const olderCommitted = (st: ReplayState, i: number): number[] =>
  // Stryker disable next-line ArrayDeclaration: the start itself is listed under its transactional id, so the list exists
  (st.order.byTransactionalId.get(st.units[i]!.transactionalId!) ?? []).filter((j) => j < i && st.units[j]!.committed && st.parked(j));

/** How many of unit j's steps Kafka answered ok (or need no answer) before its first error or silence. */
function answeredOk(st: ReplayState, j: number): number {
  const steps = st.units[j]!.steps;
  const n = steps.findIndex((s) => 'answer' in s && s.answer.kind !== 'ok' && !(s.kind === 'send' && s.located));
  return Math.min(n < 0 ? steps.length : n, st.units[j]!.known);
}

/**
 * Ops of another instance of a start's transactional id, invoked before the start completed, with steps
 * Kafka took still to replay. Kafka took them, so they came before this InitProducerId fenced their
 * producer: the start waits for them. While they wait for something else (a write earlier in their key's
 * log, an op that completed before they were invoked), it waits too, as long as anything else can move:
 * only when nothing does (st.lastResort) does it go ahead of those that cannot move.
 */
const olderStillTaken = (st: ReplayState, i: number): boolean =>
  // Stryker disable next-line ArrayDeclaration: the start itself is listed under its transactional id, so the list exists
  (st.order.byTransactionalId.get(st.units[i]!.transactionalId!) ?? []).some((j) => {
    const o = st.units[j]!, r = st.runs[j]!;
    return o.kind === 'op' && o.process !== st.units[i]!.process && o.invokeIndex < st.units[i]!.index && !r.done
      && r.next < answeredOk(st, j) && (!st.lastResort || canStep(st, j));
  });

export function canStep(st: ReplayState, i: number): boolean {
  const r = st.runs[i]!, u = st.units[i]!;
  if (r.done) return false;
  // Stryker disable next-line ConditionalExpression: past its first step these hold still (the settled prefix and a parked or done unit stay so; a start has one step)
  if (r.next === 0) {
    if (st.settledPrefix < st.order.before[i]!) return false;
    const p = st.order.previous[i]!;
    if (p >= 0 && !st.runs[p]!.done && !st.parked(p)) return false;
    if (u.kind === 'start' && !olderCommitted(st, i).every((j) => st.demandEnd(j, i))) return false;
    if (u.kind === 'start' && olderStillTaken(st, i)) return false;
  }
  const s = u.steps[r.next];
  if (s === undefined) return true; // nothing to replay (a poll that read nothing): it only completes
  // Past what its client heard: located writes land in the log's order, the end waits to be needed.
  if (st.parked(i) && s.kind === 'end') return r.endDemanded;
  return stepReady(st, i, s);
}

/** Why unit i cannot take its next step, and the unit it waits for (for a stuck replay). */
export function waitingFor(st: ReplayState, i: number): [string, number | null] {
  const r = st.runs[i]!, u = st.units[i]!;
  // Stryker disable next-line ConditionalExpression: past its first step these hold still (as in canStep), and a done unit never waits
  if (r.next === 0) {
    // The replay is stuck: the settled prefix ends at the first unit not settled.
    const late = st.settledPrefix;
    if (late < st.order.before[i]!) return [`${st.name(late)} completed before it was invoked and has not run`, late];
    const p = st.order.previous[i]!;
    if (p >= 0 && !st.runs[p]!.done && !st.parked(p)) return [`its process's previous ${st.name(p)} has not finished`, p];
    const older = u.kind === 'start' ? olderCommitted(st, i)[0] : undefined;
    if (older !== undefined) return [`the older instance's ${st.name(older)} must commit first`, older];
  }
  const s = u.steps[r.next]!;
  if (st.parked(i) && s.kind === 'end') return ['nothing the run can have done ends its transaction yet (no timeout due, no newer instance)', null];
  if (s.kind === 'send' && s.offset !== null) {
    const landed = st.order.byKey.get(s.key)!, n = st.nextOnKey.get(s.key) ?? 0;
    // Stryker disable next-line OptionalChaining: a send that waits is in its key's list and not landed yet, so entry n exists
    const j = landed[n]?.unit;
    if (j !== undefined && j !== i) return [`its write at offset ${s.offset} of key ${s.key} comes after ${st.name(j)}'s at offset ${landed[n]!.offset}`, j];
  }
  if (s.kind === 'poll') {
    for (const [k, pairs] of s.reads) {
      const top = Math.max(...pairs.map(([o]) => o));
      for (const [, v] of pairs) {
        const j = st.unitOfOp.get(st.h.writerOf.get(kv(k, v))!);
        // Stryker disable next-line OptionalChaining: a writer's unit is an op
        if (j !== undefined && j !== i && !st.runs[j]!.done && st.units[j]!.op?.f === 'txn') return [`it read value ${v} of key ${k}, which ${st.name(j)} wrote and has not committed`, j];
      }
      // Stryker disable next-line ArrayDeclaration: a junk entry has no offset, so no write is found below the top, as for none
      const landed = st.order.byKey.get(k) ?? [];
      const inLog = st.nextOnKey.get(k) ?? 0;
      // Stryker disable next-line OptionalChaining: a landed write's unit is an op
      const n = landed.findIndex((l, m) => l.offset < top && l.unit !== i && (m >= inLog || (st.units[l.unit]!.op?.f === 'txn' && !st.runs[l.unit]!.done)));
      if (n >= 0) return [`it read key ${k} up to offset ${top}, past ${st.name(landed[n]!.unit)}'s write at offset ${landed[n]!.offset}, which has not landed or ended`, landed[n]!.unit];
    }
  }
  return ['it waits for another op', null];
}
