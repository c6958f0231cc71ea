// Replays a real history through the model (model/, createSim) and reports the first answer Kafka gave
// that the model would not, or says it cannot decide. Ops run step by step (a transaction's sends, polls,
// offsets and commit), concurrently as on the cluster, in an order the history forces (replay-order.ts,
// replay-ready.ts): real time, each process's own order, the offsets a key's writes got, reads after the
// commits they saw and after every transaction they read past. Each known answer is held to the model's
// (replay-answers.ts): a write Kafka took the model must take (at a record holding that value), a poll must
// return what Kafka returned, an error must be of a class the model gives. What the history does not fix is
// placed where it is needed: an `info` op's unheard tail (its commit when its writes were read, its end when
// a reader passed it), and the events a run can hide (an abandoned process's InitProducerId landing late, a
// transaction the coordinator aborted on timeout, a fence under way): fired only when an answer needs them.
import type { HistoryEvent } from '../history.ts';
import { isJudgedError } from './error-class.ts';
import { comparePoll, holdFor, judge } from './replay-answers.ts';
import { endFloatingTxn, landCommitsDue } from './replay-explain.ts';
import { canStep, waitingFor } from './replay-ready.ts';
import { ReplayState, ms } from './replay-state.ts';
import type { ReplayOptions, ReplayResult } from './replay-types.ts';

export type { Divergence, ReplayOptions, ReplayResult } from './replay-types.ts';

/** stepOnce could not take the step after all (a floating end nothing can have caused yet). */
const BLOCKED = Symbol('blocked');

export function replayAgainstModel(events: Iterable<HistoryEvent>, options: ReplayOptions = {}): ReplayResult {
  const st = new ReplayState(events, options);
  const { units, runs } = st;

  /** Takes unit i's next step against the model; a divergence if the model disagrees with Kafka. */
  const stepOnce = (i: number): ReplayResult | typeof BLOCKED | undefined => {
    const r = runs[i]!, u = units[i]!;
    landCommitsDue(st, ms(u.invokeTime));
    st.model.advanceTo(ms(u.invokeTime));
    const s = u.steps[r.next];
    if (s === undefined) { r.done = true; st.onDone(i); return undefined; }
    if (st.parked(i) && s.kind === 'end') {
      if (!endFloatingTxn(st, i)) return BLOCKED;
      r.done = true;
      st.onDone(i);
      return undefined;
    }
    holdFor(st, i, s);
    const floating = r.next >= u.known;
    r.next++;
    if (s.kind === 'send' && s.offset !== null && (!floating || s.located)) st.nextOnKey.set(s.key, (st.nextOnKey.get(s.key) ?? 0) + 1);
    let d: ReplayResult | undefined;
    if (s.kind === 'send' && s.located) d = judge(st, i, { ...s, answer: { kind: 'ok' } }, null, st.run(i, s));
    else if (s.kind === 'poll') d = comparePoll(st, i, s, st.run(i, s));
    else if (s.kind === 'begin') st.run(i, s);
    else if (s.answer.kind === 'unknown' && s.kind !== 'end') { /* never heard of: the model leaves it out */ }
    else if (s.answer.kind === 'error' && !isJudgedError(s.answer.error, s.answer.cls, st.options.client)) {
      st.notJudged(i, s.answer.cls);
      if (s.kind === 'end') st.run(i, { kind: 'end', commit: false, answer: s.answer }); // a definite failure: it aborted
    } else {
      const before = s.answer.kind === 'error' ? st.model.fork() : null;
      d = judge(st, i, s, before, st.run(i, s));
    }
    // Stryker disable next-line BlockStatement: left undone, the unit completes at its next canStep (nothing left to replay)
    if (r.next >= u.steps.length) { r.done = true; st.onDone(i); }
    // A unit past its known steps with more to do is looked at on every scan (the list scan has passed it).
    else if (st.parked(i) && u.steps[r.next]!.kind !== 'end') st.floatingUnits.add(i);
    else if (st.parked(i) && u.committed) st.pendingCommits.add(i);
    return d;
  };

  /** Steps unit i as far as it can go; true if it moved. */
  const advance = (i: number): ReplayResult | boolean => {
    let moved = false;
    while (canStep(st, i)) {
      const d = stepOnce(i);
      if (d === BLOCKED) break;
      if (d) return d;
      moved = true;
    }
    return moved;
  };

  for (;;) {
    let progressed = false;
    st.newDemands = false;
    for (const i of [...st.floatingUnits, ...st.demanded]) {
      // Stryker disable next-line OptionalChaining: a unit not done has a next step
      if (runs[i]!.done || (st.floatingUnits.has(i) && units[i]!.steps[runs[i]!.next]?.kind === 'end' && !st.demanded.has(i))) {
        st.floatingUnits.delete(i);
        if (runs[i]!.done) st.demanded.delete(i);
        continue;
      }
      const d = advance(i);
      if (typeof d !== 'boolean') return d;
      progressed ||= d;
    }
    // In history order, the first unit that can move; failing that, the same as a last resort, where a newer
    // instance's InitProducerId may fence older ops Kafka took that wait for something else.
    for (const lastResort of [false, true]) {
      if (progressed || (lastResort && st.newDemands)) break;
      st.lastResort = lastResort;
      for (let i = st.first; i < units.length && !progressed; i++) {
        const d = advance(i);
        if (typeof d !== 'boolean') return d;
        progressed ||= d;
      }
      // Stryker disable next-line BooleanLiteral: set again before each in-order scan; olderStillTaken (its only reader) asks it of starts, and no start is ever demanded or floating
      st.lastResort = false;
    }
    while (st.first < units.length && (runs[st.first]!.done || st.parked(st.first))) {
      const next = units[st.first]!.steps[runs[st.first]!.next];
      if (!runs[st.first]!.done && next !== undefined && next.kind !== 'end') st.floatingUnits.add(st.first);
      st.first++;
    }
    while (st.settledPrefix < units.length && st.settled(st.settledPrefix)) { st.settledPrefix++; progressed = true; }
    const waiting = [...st.demanded, ...st.floatingUnits].filter((i) => !runs[i]!.done);
    if (st.first >= units.length && waiting.length === 0) return st.result({ conforms: true });
    if (!progressed && !st.newDemands) return stuck(st, st.first < units.length ? st.first : waiting[0]!);
  }
}

/** No unit can move: a proved divergence, unless an `info` op's transaction is what everything waits for. */
function stuck(st: ReplayState, blocked: number): ReplayResult {
  const chain: string[] = [];
  const seen = new Set<number>();
  for (let j: number | null = blocked; j !== null && !seen.has(j) && chain.length < 6;) {
    seen.add(j);
    const [why, next] = waitingFor(st, j);
    chain.push(`${st.name(j)} waits: ${why}`);
    j = next;
  }
  const u = st.units[blocked]!;
  const floating = st.units.some((x, j) => (x.type === 'info' || x.optional) && !st.runs[j]!.done && st.runs[j]!.endDemanded);
  const what = u.kind === 'start' ? `the InitProducerId of process ${u.process}` : `op ${u.index} (process ${u.process}, ${u.type} ${u.op!.f})`;
  if (floating) {
    return st.result({ inconclusive: [`the replay cannot place ${what}: it waits for the end of a transaction whose client gave up (info), and nothing the history shows can have ended it by then (${chain.join('; ')})`] });
  }
  // A stuck start is always `floating` above (it waits only for an older instance's info transaction, olderCommitted;
  // olderStillTaken yields at the last resort): the unit here is an op.
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: see above
  return st.diverge(blocked, 'stuck', `cannot order it: ${chain.join('; ')}`, `completed it with mops ${JSON.stringify(u.op?.mops ?? []).slice(0, 200)}`);
}
