// What one replay keeps while it runs: the units and the orders the history forces, the model, each
// unit's progress, the writes already in the model's log, what transactions' ends are waited for, and the
// findings. The scheduler (replay.ts), its readiness rules (replay-ready.ts) and the answer checks
// (replay-answers.ts) share it; the explanations (replay-explain.ts) see it as an Explainer.
import type { HistoryEvent } from '../history.ts';
import { attributeProcesses } from './attribution.ts';
import { type HistoryOps, historyOps } from './history-ops.ts';
import type { Explainer } from './replay-explain.ts';
import { type ModelAnswer, ModelSide } from './replay-model.ts';
import { type ReplayOrder, replayOrder } from './replay-order.ts';
import { type Step, type Unit, planUnits } from './replay-plan.ts';
import type { Divergence, ReplayOptions, ReplayResult } from './replay-types.ts';

export interface UnitRun { next: number; done: boolean; endDemanded: boolean; fired: number; demandedBy: number; consumed: Map<number, number> }

export const ms = (ns: number) => ns / 1e6;

export class ReplayState implements Explainer {
  readonly h: HistoryOps;
  readonly units: Unit[];
  readonly order: ReplayOrder;
  readonly runs: UnitRun[];
  readonly window: { timeoutMs: number; lateMs: number };
  /** The model coordinators' transaction timeout (ms): the producers' plus the abort check's interval. */
  readonly modelTimeoutMs: number;
  model: ModelSide;
  readonly ms = ms;
  readonly unitOfOp: Map<unknown, number>;
  /** Per key, how many of its acknowledged writes (in offset order) are in the model's log. */
  readonly nextOnKey = new Map<number, number>();
  /** Transactional ids whose follow-ups the model holds (a busy coordinator Kafka answered). */
  readonly heldIds = new Set<string>();
  /** Of unit i: the next unit of its process. */
  // Stryker disable next-line ArrayDeclaration: a junk entry at index 0 is overwritten (unit 0 is a start, whose op comes next) or never read (a plain op's)
  readonly nextOfProcess: Array<number | undefined> = [];
  /** Parked units whose end something waits for, and parked units with located writes still to land. */
  readonly demanded = new Set<number>();
  readonly floatingUnits = new Set<number>();
  /** Parked units whose transaction committed (its records were read) and whose commit has not landed yet. */
  readonly pendingCommits = new Set<number>();
  // Stryker disable next-line BooleanLiteral: reset at the start of each pass, before anything reads it
  newDemands = false;
  /** Nothing else could move in this pass: a newer instance's InitProducerId may now go ahead of an older
   *  instance's ops Kafka took that still wait for something else (replay-ready.ts olderStillTaken). */
  // Stryker disable next-line BooleanLiteral: set before each in-order scan, the first place it is read (the demanded units come later)
  lastResort = false;
  readonly explanations: string[] = [];
  readonly unjudgedOps: Record<string, number[]> = {};
  unjudged = 0;
  replayed = 0;
  settledPrefix = 0;
  first = 0;

  constructor(events: Iterable<HistoryEvent>, readonly options: ReplayOptions) {
    this.h = historyOps(events);
    // Stryker disable next-line ArrayDeclaration: a string is no worker: it matches no process
    this.units = planUnits(this.h, attributeProcesses(this.h, options.workers ?? []));
    this.order = replayOrder(this.units);
    const timeoutMs = options.transactionTimeoutMs ?? 30_000;
    this.window = { timeoutMs, lateMs: options.lateEffectMs ?? 60_000 };
    this.modelTimeoutMs = timeoutMs + (options.abortCheckIntervalMs ?? 5_000) + 1_000;
    this.model = ModelSide.create({
      txnVersion: options.txnVersion ?? 1, ...(options.client ? { client: options.client } : {}), keys: this.h.maxKey + 1,
      transactionTimeoutMs: this.modelTimeoutMs,
    });
    this.runs = this.units.map((u) => ({ next: 0, done: u.optional, endDemanded: false, fired: 0, demandedBy: -Infinity, consumed: new Map() }));
    this.unitOfOp = new Map(this.units.flatMap((u, i) => (u.op ? [[u.op, i] as const] : [])));
    this.order.previous.forEach((p, i) => { if (p >= 0) this.nextOfProcess[p] = i; });
  }

  settled(i: number): boolean { return this.runs[i]!.done || this.runs[i]!.next >= this.units[i]!.known; }
  parked(i: number): boolean { return !this.runs[i]!.done && this.runs[i]!.next >= this.units[i]!.known; }
  onDone(j: number): void { if (this.units[j]!.kind === 'op') this.replayed++; }

  name(j: number): string {
    const u = this.units[j]!;
    return u.kind === 'start' ? `process ${u.process}'s InitProducerId` : `op ${u.index} (process ${u.process}, ${u.type} ${u.op!.f})`;
  }

  notJudged(i: number, cls: string): void {
    this.unjudged++;
    (this.unjudgedOps[cls] ??= []).push(this.units[i]!.index);
  }

  /** A transaction's end that a reader or a newer instance (unit `by`) needs: ask for it; it runs when it can. */
  demandEnd(j: number, by: number): boolean {
    const r = this.runs[j]!;
    if (r.done) return true;
    if (!this.demanded.has(j)) this.newDemands = true;
    r.endDemanded = true;
    this.demanded.add(j);
    // The reader (or newer instance) that needs it was answered by this time: the end came before.
    r.demandedBy = Math.max(r.demandedBy, ms(this.units[by]!.time));
    return false;
  }

  /** Runs unit i's step on a model (the replay's, or a fork trying an explanation). */
  run(i: number, s: Step, m: ModelSide = this.model): ModelAnswer {
    const u = this.units[i]!;
    return m.run(u.process, u.transactionalId, u.op?.f === 'txn', s, this.groupOf(u), this.runs[i]!.consumed);
  }

  result(extra: Partial<ReplayResult>): ReplayResult {
    return {
      conforms: false, inconclusive: [], replayed: this.replayed, ops: this.h.ops.length, explanations: this.explanations,
      unjudged: this.unjudged, unjudgedOps: this.unjudgedOps, ...extra,
    };
  }

  diverge(i: number, kind: Divergence['kind'], modelSays: string, kafkaSays: string, key?: number): ReplayResult {
    const u = this.units[i]!;
    const what = u.kind === 'start' ? `the InitProducerId of process ${u.process} (${u.transactionalId})` : `op ${u.index} (process ${u.process}, ${u.type} ${u.op!.f})`;
    return this.result({
      divergence: {
        index: u.index, process: u.process, kind, ...(key !== undefined ? { key } : {}), model: modelSays, kafka: kafkaSays,
        explanation: `${what}: Kafka ${kafkaSays}, but the model ${modelSays}`,
      },
    });
  }

  /** The consumer group a unit's transaction commits offsets to. */
  private groupOf(u: Unit): string | undefined {
    // Which group is not observable: any group takes a transaction's offsets, and the replay never reads committed
    // offsets back (its consumers seek); only a plain unit can get none, and it has no offsets step.
    // Stryker disable next-line ArrayDeclaration: see above
    const copiers = this.options.program?.copiers ?? [];
    // Stryker disable next-line ArrowFunction,ConditionalExpression,EqualityOperator,OptionalChaining: see above
    const c = copiers.find((x) => (u.transactionalId !== undefined ? x.transactionalId === u.transactionalId : x.processes?.includes(u.process)));
    if (c) return c.group;
    // Stryker disable next-line ArrowFunction,ConditionalExpression,EqualityOperator,StringLiteral: see above
    return this.options.workers?.find((w) => w.transactionalId === u.transactionalId)?.groupId ?? (u.transactionalId ? 'kafka-eos-clients' : undefined);
  }
}
