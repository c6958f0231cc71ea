// Replays a real history through the model (model/, createSim) and reports the first answer Kafka gave
// that the model would not, or says it cannot decide. Ops run step by step (a transaction's sends, polls,
// offsets and commit), concurrently as on the cluster, in an order the history forces (replay-order.ts):
// real time, each process's own order, the offsets a key's writes got, reads after the commits they saw
// and after every transaction they read past. Each known answer is held to the model's: a write Kafka
// took the model must take (at a record holding that value), a poll must return what Kafka returned, an
// error must be of a class the model gives. What the history does not fix is placed where it is needed:
// an `info` op's unheard tail (its commit when its writes were read, its end when a reader passed it),
// and the events a run can hide (an abandoned process's InitProducerId landing late, a transaction the
// coordinator aborted on timeout). Those are fired only when an answer needs them, then kept.
import type { TxnVersion } from '../../model/index.ts';
import type { HistoryEvent } from '../history.ts';
import type { ProgramInfo } from '../program-info.ts';
import { type WorkerInfo, attributeProcesses } from './attribution.ts';
import { isJudgedClass, withoutStage } from './error-class.ts';
import { historyOps, kv } from './history-ops.ts';
import { ModelSide, type ModelAnswer } from './replay-model.ts';
import { replayOrder } from './replay-order.ts';
import { type Answer, type Step, type Unit, planUnits } from './replay-plan.ts';
import { type Explainer, explainFenced, endFloatingTxn } from './replay-explain.ts';

export interface Divergence {
  /** History index of the op (its completion). */
  index: number;
  process: number;
  /** refused: the model rejected what Kafka did; read: a poll returned what the model would not; error: Kafka
   *  answered an error the model does not give; offset: the model put a write elsewhere; stuck: no order fits. */
  kind: 'refused' | 'read' | 'error' | 'offset' | 'stuck';
  key?: number;
  model: string;
  kafka: string;
  explanation: string;
}

export interface ReplayResult {
  conforms: boolean;
  divergence?: Divergence;
  /** Why the replay could not decide, one sentence each (then `conforms` is false and no divergence is given). */
  inconclusive: string[];
  /** Ops fully replayed before the first divergence (or all of them). */
  replayed: number;
  ops: number;
  /** Hidden events the replay had to fire to agree with Kafka, one sentence each. */
  explanations: string[];
  /** Answers (mostly lost connections and timeouts) the model was not held to. */
  unjudged: number;
}

export interface ReplayOptions {
  /** The client's transaction protocol (kafkajs: 1, whatever the cluster runs). */
  txnVersion?: TxnVersion;
  program?: ProgramInfo;
  /** program.json's workers: attribute processes that never named their transactional id. */
  workers?: readonly WorkerInfo[];
  /** The producers' transaction.timeout.ms (harness/kafka-runner/kafka-client.ts: 30 s). */
  transactionTimeoutMs?: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms (harness/cluster/node-config.ts: 5 s). */
  abortCheckIntervalMs?: number;
  /** How long after its invoke an abandoned process's InitProducerId may still land (default 60 s). */
  lateEffectMs?: number;
}

export interface UnitRun { next: number; done: boolean; endDemanded: boolean; fired: boolean; demandedBy: number; consumed: Map<number, number> }

const ms = (ns: number) => ns / 1e6;
/** stepOnce could not take the step after all (a floating end nothing can have caused yet). */
const BLOCKED = Symbol('blocked');

export function replayAgainstModel(events: Iterable<HistoryEvent>, options: ReplayOptions = {}): ReplayResult {
  const h = historyOps(events);
  const units = planUnits(h, attributeProcesses(h, options.workers ?? []));
  const order = replayOrder(units);
  const timeoutMs = options.transactionTimeoutMs ?? 30_000;
  const window = { timeoutMs, lateMs: options.lateEffectMs ?? 60_000 };
  let model = ModelSide.create({
    txnVersion: options.txnVersion ?? 1, keys: h.maxKey + 1,
    transactionTimeoutMs: timeoutMs + (options.abortCheckIntervalMs ?? 5_000) + 1_000,
  });
  const runs: UnitRun[] = units.map((u) => ({ next: 0, done: u.optional, endDemanded: false, fired: false, demandedBy: -Infinity, consumed: new Map() }));
  const unitOfOp = new Map(units.flatMap((u, i) => (u.op ? [[u.op, i] as const] : [])));
  const nextOnKey = new Map<number, number>();
  const explanations: string[] = [];
  const groupOf = groups(options);
  let replayed = 0, unjudged = 0, settledPrefix = 0, first = 0;
  const result = (extra: Partial<ReplayResult>): ReplayResult => ({
    conforms: false, inconclusive: [], replayed, ops: h.ops.length, explanations, unjudged, ...extra,
  });

  const settled = (i: number) => runs[i]!.done || runs[i]!.next >= units[i]!.known;
  const parked = (i: number) => !runs[i]!.done && runs[i]!.next >= units[i]!.known;
  const ctx: Explainer = {
    units, runs, order, window, explanations, ms, onDone: (j) => { if (units[j]!.kind === 'op') replayed++; },
    get model() { return model; },
    set model(m: ModelSide) { model = m; },
  };

  const diverge = (i: number, kind: Divergence['kind'], modelSays: string, kafkaSays: string, key?: number): ReplayResult => {
    const u = units[i]!;
    const what = u.kind === 'start' ? `the InitProducerId of process ${u.process} (${u.transactionalId})` : `op ${u.index} (process ${u.process}, ${u.type} ${u.op!.f})`;
    return result({
      divergence: {
        index: u.index, process: u.process, kind, ...(key !== undefined ? { key } : {}), model: modelSays, kafka: kafkaSays,
        explanation: `${what}: Kafka ${kafkaSays}, but the model ${modelSays}`,
      },
    });
  };

  /** A transaction's end that a reader or a newer instance needs: ask for it (it runs when it can). */
  /** Parked units whose end something waits for: the scan below looks at them first. */
  const demanded = new Set<number>();
  let newDemands = false;
  /** Parked units with located writes still to land. */
  const floatingUnits = new Set<number>();
  const demandEnd = (j: number, by: number): boolean => {
    if (runs[j]!.done) return true;
    if (!demanded.has(j)) newDemands = true;
    runs[j]!.endDemanded = true;
    demanded.add(j);
    // The reader (or newer instance) that needs it was answered by this time: the end came before.
    runs[j]!.demandedBy = Math.max(runs[j]!.demandedBy, ms(units[by]!.time));
    return false;
  };

  /** Whether unit j's write (its step `step`) is visible to read_committed readers now. */
  const visible = (i: number, j: number, step: number): boolean => {
    const u = units[j]!;
    if (u.op?.f !== 'txn') return runs[j]!.next > step;
    return u.committed ? demandEnd(j, i) : true; // an uncommitted writer's record is never visible: the poll will say so
  };

  /** A read_committed poll that returned offset `top` of `key` passed every transaction holding a record below it. */
  const settledBelow = (i: number, key: number, top: number): boolean => {
    const landed = order.byKey.get(key) ?? [];
    const inLog = nextOnKey.get(key) ?? 0;
    for (let n = 0; n < landed.length && landed[n]!.offset < top; n++) {
      const j = landed[n]!.unit;
      if (j === i) continue;
      if (n >= inLog) return false;
      if (units[j]!.op?.f === 'txn' && !demandEnd(j, i)) return false;
    }
    return true;
  };

  const stepReady = (i: number, s: Step): boolean => {
    if (s.kind === 'send' && s.offset !== null && (runs[i]!.next < units[i]!.known || s.located)) {
      const landed = order.byKey.get(s.key)!;
      const n = nextOnKey.get(s.key) ?? 0;
      return landed[n]?.unit === i && landed[n]?.step === runs[i]!.next;
    }
    if (s.kind !== 'poll') return true;
    for (const [k, pairs] of s.reads) {
      for (const [, v] of pairs) {
        const w = h.writerOf.get(kv(k, v));
        const j = w === undefined ? undefined : unitOfOp.get(w);
        if (j === undefined || j === i) continue;
        const step = units[j]!.steps.findIndex((x) => x.kind === 'send' && x.key === k && x.value === v);
        if (!visible(i, j, step)) return false;
      }
      if (!settledBelow(i, k, Math.max(...pairs.map(([o]) => o)))) return false;
    }
    return true;
  };

  const canStep = (i: number): boolean => {
    const r = runs[i]!, u = units[i]!;
    if (r.done) return false;
    if (r.next === 0) {
      if (settledPrefix < order.before[i]!) return false;
      const p = order.previous[i]!;
      if (p >= 0 && !runs[p]!.done && !parked(p)) return false;
      // A newer instance fences the older ones: an older instance's commit that Kafka made visible came first.
      if (u.kind === 'start') {
        const older = (order.byTransactionalId.get(u.transactionalId!) ?? []).filter((j) => j < i && units[j]!.committed && parked(j));
        if (!older.every((j) => demandEnd(j, i))) return false;
      }
    }
    const s = u.steps[r.next];
    if (s === undefined) return true; // nothing to replay (a poll that read nothing): it only completes
    // Past what its client heard: located writes land in the log's order, the end waits to be needed.
    if (parked(i) && s.kind === 'end') return r.endDemanded;
    return stepReady(i, s);
  };

  const name = (j: number): string => {
    const u = units[j]!;
    return u.kind === 'start' ? `process ${u.process}'s InitProducerId` : `op ${u.index} (process ${u.process}, ${u.type} ${u.op!.f})`;
  };

  /** Why unit i cannot take its next step, and the unit it waits for (for a stuck replay). */
  const waitingFor = (i: number): [string, number | null] => {
    const r = runs[i]!, u = units[i]!;
    if (r.next === 0) {
      const late = runs.findIndex((_, j) => j < order.before[i]! && !settled(j));
      if (late >= 0 && settledPrefix < order.before[i]!) return [`${name(late)} completed before it was invoked and has not run`, late];
      const p = order.previous[i]!;
      if (p >= 0 && !runs[p]!.done && !parked(p)) return [`its process's previous ${name(p)} has not finished`, p];
      if (u.kind === 'start') {
        const older = (order.byTransactionalId.get(u.transactionalId!) ?? []).find((j) => j < i && units[j]!.committed && parked(j));
        if (older !== undefined) return [`the older instance's ${name(older)} must commit first`, older];
      }
    }
    const s = u.steps[r.next]!;
    if (parked(i) && s.kind === 'end') return ['nothing the run can have done ends its transaction yet (no timeout due, no newer instance)', null];
    if (s.kind === 'send' && s.offset !== null) {
      const landed = order.byKey.get(s.key)!, n = nextOnKey.get(s.key) ?? 0;
      const j = landed[n]?.unit;
      if (j !== undefined && j !== i) return [`its write at offset ${s.offset} of key ${s.key} comes after ${name(j)}'s at offset ${landed[n]!.offset}`, j];
    }
    if (s.kind === 'poll') {
      for (const [k, pairs] of s.reads) {
        const top = Math.max(...pairs.map(([o]) => o));
        for (const [, v] of pairs) {
          const j = unitOfOp.get(h.writerOf.get(kv(k, v))!);
          if (j !== undefined && j !== i && !runs[j]!.done && units[j]!.op?.f === 'txn') return [`it read value ${v} of key ${k}, which ${name(j)} wrote and has not committed`, j];
        }
        const landed = order.byKey.get(k) ?? [];
        const n = landed.findIndex((l) => l.offset < top && l.unit !== i && (landed.indexOf(l) >= (nextOnKey.get(k) ?? 0) || (units[l.unit]!.op?.f === 'txn' && !runs[l.unit]!.done)));
        if (n >= 0) return [`it read key ${k} up to offset ${top}, past ${name(landed[n]!.unit)}'s write at offset ${landed[n]!.offset}, which has not landed or ended`, landed[n]!.unit];
      }
    }
    return ['it waits for another op', null];
  };

  /** Holds the model's answer to Kafka's; a mismatch Kafka's class can explain is explained if it can be. */
  const judge = (i: number, s: Step & { answer: Answer }, before: ModelSide | null, got: ModelAnswer): ReplayResult | undefined => {
    const u = units[i]!, a = s.answer;
    if (a.kind === 'ok') {
      if (got.kind === 'ok') return checkOffset(i, s, got);
      return diverge(i, 'refused', `answered ${got.info ? 'info' : 'fail'} (${got.error}) to ${describe(s)}`, `took ${describe(s)}`, 'key' in s ? s.key : undefined);
    }
    if (a.kind !== 'error') return undefined;
    if (got.kind === 'error' && got.cls === a.cls) return undefined;
    if (a.cls === 'fenced' && before !== null) {
      const why = explainFenced(ctx, i, before, (m) => run(i, s, m));
      if (why === 'explained') return undefined;
      if (why !== 'no') return result({ inconclusive: [why] });
    }
    if (a.cls === 'concurrent' && before !== null) {
      // The synchronous model has no pending window yet: Kafka refused the request, so it had no effect.
      model = before;
      unjudged++;
      return undefined;
    }
    const said = got.kind === 'ok' ? 'accepts it' : `answers ${got.error} (${got.cls})`;
    return diverge(i, 'error', `${said}${u.transactionalId ? `: nothing it can replay fenced ${u.transactionalId} there` : ''}`,
      `answered ${withoutStage(a.error).slice(0, 160)} (${a.cls}) to ${describe(s)}`, 'key' in s ? s.key : undefined);
  };

  const checkOffset = (i: number, s: Step, got: Extract<ModelAnswer, { kind: 'ok' }>): ReplayResult | undefined => {
    if (s.kind !== 'send' || got.offset === undefined || got.offset === null) return undefined;
    const held = model.valueAt(s.key, got.offset);
    if (held === s.value) return undefined;
    return diverge(i, 'offset', `answered offset ${got.offset}, where it holds value ${held}: it took the send for a duplicate`,
      `appended value ${s.value} at offset ${s.offset} of key ${s.key}`, s.key);
  };

  const run = (i: number, s: Step, m: ModelSide): ModelAnswer => {
    const u = units[i]!;
    return m.run(u.process, u.transactionalId, u.op?.f === 'txn', s, groupOf(u), runs[i]!.consumed);
  };

  const comparePoll = (i: number, s: Extract<Step, { kind: 'poll' }>, got: ModelAnswer): ReplayResult | undefined => {
    if (got.kind !== 'ok') return diverge(i, 'read', got.error, `returned records of key ${s.reads[0]![0]}`, s.reads[0]![0]);
    for (const [k, pairs] of s.reads) {
      const modelVals = (got.records?.[k] ?? []).map(([, v]) => v);
      const kafka = pairs.map(([, v]) => v);
      const bad = kafka.findIndex((v, n) => modelVals[n] !== v);
      if (bad >= 0) {
        return diverge(i, 'read', `returns ${show(modelVals)} from there`, `returned ${show(kafka)} for key ${k} (value ${kafka[bad]} where the model has ${modelVals[bad] ?? 'nothing'})`, k);
      }
      runs[i]!.consumed.set(k, Math.max(runs[i]!.consumed.get(k) ?? -1, pairs[pairs.length - 1]![0]));
    }
    return undefined;
  };

  const stepOnce = (i: number): ReplayResult | typeof BLOCKED | undefined => {
    const r = runs[i]!, u = units[i]!;
    model.advanceTo(ms(u.invokeTime));
    const s = u.steps[r.next];
    if (s === undefined) { r.done = true; ctx.onDone(i); return undefined; }
    if (parked(i) && s.kind === 'end') {
      if (!endFloatingTxn(ctx, i)) return BLOCKED;
      r.done = true;
      ctx.onDone(i);
      return undefined;
    }
    const floating = r.next >= u.known;
    r.next++;
    if (s.kind === 'send' && s.offset !== null && (!floating || s.located)) nextOnKey.set(s.key, (nextOnKey.get(s.key) ?? 0) + 1);
    let d: ReplayResult | undefined;
    if (s.kind === 'send' && s.located) d = judge(i, { ...s, answer: { kind: 'ok' } }, null, run(i, s, model));
    else if (s.kind === 'poll') d = comparePoll(i, s, run(i, s, model));
    else if (s.kind === 'begin') run(i, s, model);
    else if (s.answer.kind === 'unknown' && s.kind !== 'end') { /* never heard of: the model leaves it out */ }
    else if (s.answer.kind === 'error' && !isJudgedClass(s.answer.cls)) {
      unjudged++;
      if (s.kind === 'end') run(i, { kind: 'end', commit: false, answer: s.answer }, model); // a definite failure: it aborted
    } else {
      const before = s.answer.kind === 'error' ? model.fork() : null;
      d = judge(i, s, before, run(i, s, model));
    }
    if (r.next >= u.steps.length) { r.done = true; ctx.onDone(i); }
    // A unit past its known steps with more to do is looked at on every scan (the list scan has passed it).
    else if (parked(i) && u.steps[r.next]!.kind !== 'end') floatingUnits.add(i);
    return d;
  };

  for (;;) {
    let progressed = false;
    newDemands = false;
    for (const i of [...floatingUnits, ...demanded]) {
      if (runs[i]!.done || (floatingUnits.has(i) && units[i]!.steps[runs[i]!.next]?.kind === 'end' && !demanded.has(i))) {
        floatingUnits.delete(i);
        if (runs[i]!.done) demanded.delete(i);
        continue;
      }
      while (canStep(i)) {
        const d = stepOnce(i);
        if (d === BLOCKED) break;
        if (d) return d;
        progressed = true;
      }
    }
    for (let i = first; i < units.length && !progressed; i++) {
      while (canStep(i)) {
        const d = stepOnce(i);
        if (d === BLOCKED) break;
        if (d) return d;
        progressed = true;
      }
    }
    while (first < units.length && (runs[first]!.done || parked(first))) {
      const next = units[first]!.steps[runs[first]!.next];
      if (!runs[first]!.done && next !== undefined && next.kind !== 'end') floatingUnits.add(first);
      first++;
    }
    while (settledPrefix < units.length && settled(settledPrefix)) { settledPrefix++; progressed = true; }
    if (first >= units.length && [...demanded, ...floatingUnits].every((i) => runs[i]!.done)) return result({ conforms: true });
    if (!progressed && !newDemands) {
      const chain: string[] = [];
      const seen = new Set<number>();
      const blocked = first < units.length ? first : [...demanded, ...floatingUnits].find((i) => !runs[i]!.done)!;
      for (let j: number | null = blocked; j !== null && !seen.has(j) && chain.length < 6; ) {
        seen.add(j);
        const [why, next] = waitingFor(j);
        chain.push(`${name(j)} waits: ${why}`);
        j = next;
      }
      return stuck(ctx, blocked, chain, diverge, result);
    }
  }
}

const describe = (s: Step): string =>
  s.kind === 'send' ? `the send of value ${s.value} to key ${s.key}` : s.kind === 'end' ? (s.commit ? 'the commit' : 'the abort')
    : s.kind === 'offsets' ? 'the offsets commit' : s.kind === 'init' ? 'InitProducerId' : s.kind;
const show = (xs: number[]) => `[${xs.slice(0, 12).join(', ')}${xs.length > 12 ? ', ...' : ''}]`;

function groups(options: ReplayOptions): (u: Unit) => string | undefined {
  const copiers = options.program?.copiers ?? [];
  return (u) => {
    const c = copiers.find((x) => (u.transactionalId !== undefined ? x.transactionalId === u.transactionalId : x.processes?.includes(u.process)));
    if (c) return c.group;
    return options.workers?.find((w) => w.transactionalId === u.transactionalId)?.groupId ?? (u.transactionalId ? 'kafka-eos-clients' : undefined);
  };
}

function stuck(
  ctx: Explainer, i: number, chain: string[],
  diverge: (i: number, kind: Divergence['kind'], m: string, k: string) => ReplayResult,
  result: (extra: Partial<ReplayResult>) => ReplayResult,
): ReplayResult {
  const u = ctx.units[i]!;
  const floating = ctx.units.some((x, j) => (x.type === 'info' || x.optional) && !ctx.runs[j]!.done && ctx.runs[j]!.endDemanded);
  const what = u.kind === 'start' ? `the InitProducerId of process ${u.process}` : `op ${u.index} (process ${u.process}, ${u.type} ${u.op!.f})`;
  if (floating) {
    return result({ inconclusive: [`the replay cannot place ${what}: it waits for the end of a transaction whose client gave up (info), and nothing the history shows can have ended it by then (${chain.join('; ')})`] });
  }
  return diverge(i, 'stuck', `cannot order it: ${chain.join('; ')}`, `completed it with mops ${JSON.stringify(u.op?.mops ?? []).slice(0, 200)}`);
}
