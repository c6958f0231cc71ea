// Holding the model's answer to Kafka's, step by step: a write Kafka took must be taken (at a record that
// holds its value), a poll must return what Kafka returned from where it read, an error must be of the class
// the model gives, or be explained by an event the history cannot show (replay-explain.ts). Also which
// transaction's follow-ups the model keeps in flight, so its coordinator is busy where Kafka's was.
import { withoutStage } from './error-class.ts';
import { explainConcurrent, explainFenced } from './replay-explain.ts';
import { explainOrphanedProduce } from './replay-orphans.ts';
import type { ModelAnswer, ModelSide } from './replay-model.ts';
import type { Answer, Step } from './replay-plan.ts';
import type { ReplayState } from './replay-state.ts';
import type { ReplayResult } from './replay-types.ts';

export const facesCoordinator = (s: Step): boolean => s.kind === 'send' || s.kind === 'offsets' || s.kind === 'end' || s.kind === 'init';
export const isConcurrent = (s: Step): boolean => 'answer' in s && s.answer.kind === 'error' && s.answer.cls === 'concurrent';
const describe = (s: Step): string =>
  s.kind === 'send' ? `the send of value ${s.value} to key ${s.key}` : s.kind === 'end' ? (s.commit ? 'the commit' : 'the abort')
    : s.kind === 'offsets' ? 'the offsets commit' : s.kind === 'init' ? 'InitProducerId' : s.kind;
const show = (xs: number[]) => `[${xs.slice(0, 12).join(', ')}${xs.length > 12 ? ', ...' : ''}]`;

/** Kafka's answer `s.answer` against the model's `got`; `before` is the model before the step (to try explanations). */
export function judge(st: ReplayState, i: number, s: Step & { answer: Answer }, before: ModelSide | null, got: ModelAnswer): ReplayResult | undefined {
  const u = st.units[i]!, a = s.answer;
  const key = 'key' in s ? s.key : undefined;
  if (a.kind === 'ok') {
    if (got.kind === 'ok') return checkOffset(st, i, s, got);
    return st.diverge(i, 'refused', `answered ${got.info ? 'info' : 'fail'} (${got.error}) to ${describe(s)}`, `took ${describe(s)}`, key);
  }
  if (a.kind !== 'error') return undefined;
  if (got.kind === 'error' && got.cls === a.cls) return undefined;
  if (a.cls === 'fenced' && before !== null) {
    const why = explainFenced(st, i, before, (m) => st.run(i, s, m));
    if (why === 'explained') return undefined;
    if (why !== 'no') return st.result({ inconclusive: [why] });
  }
  if (a.cls === 'concurrent' && before !== null) {
    if (explainConcurrent(st, i, before, (m) => st.run(i, s, m))) return undefined;
    // Busy with something the replay cannot see (a log append retried after a failover, a loading
    // coordinator): Kafka refused the request, so it had no effect.
    st.model = before;
    st.notJudged(i, a.cls);
    return undefined;
  }
  if (a.cls === 'out-of-order' && before !== null && s.kind === 'send' && st.options.client === 'java' && (st.options.txnVersion ?? 1) === 1) {
    // A stale copy of an earlier produce left a verification entry (replay-orphans.ts): Kafka refused the
    // batch, so it had no effect; the transaction aborts.
    const why = explainOrphanedProduce(st, i, s, st.options.requestTimeoutMs);
    if (why !== null) {
      st.model = before;
      st.explanations.push(why);
      return undefined;
    }
  }
  const said = got.kind === 'ok' ? 'accepts it' : `answers ${got.error} (${got.cls})`;
  return st.diverge(i, 'error', `${said}${u.transactionalId ? `: nothing it can replay fenced ${u.transactionalId} there` : ''}`,
    `answered ${withoutStage(a.error).slice(0, 160)} (${a.cls}) to ${describe(s)}`, key);
}

function checkOffset(st: ReplayState, i: number, s: Step, got: Extract<ModelAnswer, { kind: 'ok' }>): ReplayResult | undefined {
  if (s.kind !== 'send' || got.offset === undefined || got.offset === null) return undefined;
  const held = st.model.valueAt(s.key, got.offset);
  if (held === s.value) return undefined;
  return st.diverge(i, 'offset', `answered offset ${got.offset}, where it holds value ${held}: it took the send for a duplicate`,
    `appended value ${s.value} at offset ${s.offset} of key ${s.key}`, s.key);
}

/** Kafka's records must be what the model returns from the first of them on (a prefix: a poll may stop early). */
export function comparePoll(st: ReplayState, i: number, s: Extract<Step, { kind: 'poll' }>, got: ModelAnswer): ReplayResult | undefined {
  if (got.kind !== 'ok') return st.diverge(i, 'read', got.error, `returned records of key ${s.reads[0]![0]}`, s.reads[0]![0]);
  for (const [k, pairs] of s.reads) {
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: a model poll answers every key it is assigned, and it is assigned every key read
    const modelVals = (got.records?.[k] ?? []).map(([, v]) => v);
    const kafka = pairs.map(([, v]) => v);
    const bad = kafka.findIndex((v, n) => modelVals[n] !== v);
    if (bad >= 0) {
      return st.diverge(i, 'read', `returns ${show(modelVals)} from there`, `returned ${show(kafka)} for key ${k} (value ${kafka[bad]} where the model has ${modelVals[bad] ?? 'nothing'})`, k);
    }
    // Stryker disable next-line MethodExpression,LogicalOperator,UnaryOperator: the offsets consumed are only committed (sendOffsets), never read back
    st.runs[i]!.consumed.set(k, Math.max(st.runs[i]!.consumed.get(k) ?? -1, pairs[pairs.length - 1]![0]));
  }
  return undefined;
}

/**
 * Kafka found a coordinator busy (CONCURRENT_TRANSACTIONS) with the end of the transaction before: those
 * markers and that completion stay in flight until the request Kafka refused has run. Set before each step:
 * an end step holds its own follow-ups when the process's next request to the coordinator finds it busy; any
 * other request needs the coordinator free unless Kafka found it busy; a poll lets the markers it reads
 * through land (the coordinator still waits for the others).
 */
export function holdFor(st: ReplayState, i: number, s: Step): void {
  const u = st.units[i]!, t = u.transactionalId;
  if (s.kind === 'poll') {
    const partitions = new Set(s.reads.map(([k]) => `p${k}`));
    for (const x of [...st.model.sim.inFlight()]) {
      if (x.message.kind === 'marker' && st.heldIds.has(x.message.transactionalId) && partitions.has(x.message.partition)) st.model.sim.deliver(x.id);
    }
    return;
  }
  if (t === undefined || !facesCoordinator(s)) return;
  const nextUnit = st.nextOfProcess[i];
  const next = nextUnit === undefined ? undefined : st.units[nextUnit]!.steps.find(facesCoordinator);
  const hold = s.kind === 'end' ? next !== undefined && isConcurrent(next) : isConcurrent(s);
  st.model.hold(t, hold);
  if (hold) st.heldIds.add(t); else st.heldIds.delete(t);
}
