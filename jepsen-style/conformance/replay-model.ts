// The model's side of a replay: one simulated cluster, one model client per history process, and each
// replay step turned into the client call that step was on the cluster. It answers in the replay's terms
// (ok with an offset, or an error with its class) and can be forked, so the replay can try an explanation
// (a zombie's late InitProducerId, a transaction timeout) and keep it only if it makes the model agree.
import { createSim } from '../../model/index.ts';
import type { ClientModel, Sim, TxnVersion } from '../../model/index.ts';
import { type ErrorClass, errorClass } from './error-class.ts';
import type { Step } from './replay-plan.ts';

export type ModelAnswer =
  | { kind: 'ok'; offset?: number | null; records?: Record<number, Array<[number, number]>> }
  | { kind: 'error'; error: string; cls: ErrorClass; info: boolean };

export interface ModelConfig {
  txnVersion: TxnVersion;
  /** The modelled client library of every producer (the run's client: kafkajs, or java for java and franz-go). */
  client?: ClientModel;
  keys: number;
  /** Model ticks are milliseconds of the run; a transaction is aborted by its coordinator at the latest this long after it began. */
  transactionTimeoutMs: number;
}

/** A process's model client id before any reinit. */
const baseClientOf = (process: number, transactionalId: string | undefined) =>
  (transactionalId === undefined ? `p${process}` : `t${process}:${transactionalId}`);

export class ModelSide {
  private readonly inits: Set<string>;
  /** `${key}@${Kafka's offset}` → the model offset of the replayed write Kafka put there (a copier can write a
   *  value twice: once in a copy that aborted, once in the one that committed). */
  readonly offsetOf: Map<string, number>;
  private readonly assigned: Map<number, Set<number>>;
  /** Processes whose client object was made anew (reinit): the model client id gets the generation. */
  private readonly generation: Map<string, number>;

  constructor(readonly sim: Sim, from?: ModelSide) {
    this.inits = new Set(from?.inits);
    this.generation = new Map(from?.generation);
    this.offsetOf = new Map(from?.offsetOf);
    // Stryker disable next-line ArrayDeclaration: a fork's consumers are assigned again at their next poll anyway (a key it lacks)
    this.assigned = new Map([...(from?.assigned ?? new Map<number, Set<number>>())].map(([p, ks]) => [p, new Set(ks)]));
  }

  static create(c: ModelConfig): ModelSide {
    // One live broker is enough: the replay follows where leaders and coordinators are, not whether the
    // cluster could serve (Kafka already answered that).
    // Messages in flight are delivered at once, except the follow-ups of a transaction the replay holds (hold).
    return new ModelSide(createSim({
      txnVersion: c.txnVersion, ...(c.client ? { client: c.client } : {}), keys: c.keys, nodes: 3, minInSyncReplicas: 1, transactionTimeoutTicks: c.transactionTimeoutMs,
      delivery: { kind: 'manual' },
    }));
  }

  fork(): ModelSide { return new ModelSide(this.sim.fork(), this); }

  /** Keeps a transaction's markers and completion in flight (its coordinator stays busy), or lets them land. */
  hold(transactionalId: string, held: boolean): void { this.sim.hold(transactionalId, held); }

  /** Lets logical time reach `ms` (transactions older than the timeout are aborted on the way). */
  advanceTo(ms: number): void {
    if (ms > this.sim.now) this.sim.fault({ type: 'tick', ticks: Math.floor(ms - this.sim.now) });
  }

  /** The model client of a process as a transactional id (a process whose id is a guess may be tried as several). */
  clientOf(process: number, transactionalId: string | undefined): string {
    const base = baseClientOf(process, transactionalId);
    const g = this.generation.get(base);
    return g === undefined ? base : `${base}#${g}`;
  }

  /**
   * The process's InitProducerId lands again, later than the replay first put it: its client object is made
   * anew and initialised (it then holds the newest epoch, as on the cluster). Only between transactions
   * (the client ready): a client mid-transaction cannot have been answered that init first. Null: not ready.
   */
  reinit(process: number, transactionalId: string): ModelAnswer | null {
    const base = baseClientOf(process, transactionalId);
    if (this.sim.producer(this.clientOf(process, transactionalId))?.state !== 'ready') return null;
    // Stryker disable next-line ArithmeticOperator: only names a client: -1, -2, ... are as distinct as 1, 2, ...
    this.generation.set(base, (this.generation.get(base) ?? 0) + 1);
    return this.init(process, transactionalId);
  }

  /** InitProducerId for a process, once (idempotent producers lazily, at their first send). */
  init(process: number, transactionalId: string | undefined): ModelAnswer {
    const id = this.clientOf(process, transactionalId);
    this.inits.add(id);
    return answer(this.sim.initProducer(id, transactionalId === undefined ? {} : { transactionalId }));
  }

  initialised(process: number, transactionalId: string | undefined): boolean {
    return this.inits.has(this.clientOf(process, transactionalId));
  }

  /** Runs one step of a process's op against the model. Polls answer the records the model returns. */
  run(process: number, transactionalId: string | undefined, txn: boolean, step: Step, group?: string, consumed?: ReadonlyMap<number, number>): ModelAnswer {
    if (step.kind === 'init') return this.init(process, transactionalId);
    if (step.kind === 'poll') return this.poll(process, step.reads);
    // A process's plain sends go through an idempotent producer of its own, whatever it is otherwise.
    const as = txn ? transactionalId : undefined;
    if (!this.initialised(process, as)) this.init(process, as);
    const id = this.clientOf(process, as);
    switch (step.kind) {
      case 'begin': return answer(this.sim.beginTxn(id));
      case 'send': {
        const r = txn ? this.sim.txnSend(id, step.key, step.value) : this.sim.send(id, step.key, step.value);
        if (r.type !== 'ok') return answer(r);
        if (r.value.offset !== null && step.offset !== null) this.offsetOf.set(`${step.key}@${step.offset}`, r.value.offset);
        return { kind: 'ok', offset: r.value.offset };
      }
      case 'offsets': {
        // Only reached with both (replay-state.ts run: a transaction's unit has a group, and its offsets step follows a poll
        // that read something, so `consumed` is not empty); the line's killed `true` is disabled with the rest.
        // Stryker disable next-line ConditionalExpression,LogicalOperator,ObjectLiteral,StringLiteral: see above
        if (group === undefined || consumed === undefined || consumed.size === 0) return { kind: 'ok' };
        // Stryker disable next-line ArrayDeclaration,ArithmeticOperator: the offsets committed are never read back (the replay's consumers seek)
        return answer(this.sim.sendOffsets(id, group, Object.fromEntries([...consumed].map(([k, o]) => [k, o + 1]))));
      }
      case 'end': return answer(step.commit ? this.sim.commitTxn(id) : this.sim.abortTxn(id));
    }
  }

  /** The value the model's log holds at `offset` of `key`, if a record. */
  valueAt(key: number, offset: number): number | null {
    const e = this.sim.log(key)[offset];
    return e?.kind === 'record' ? e.value : null;
  }

  private poll(process: number, reads: [number, [number, number][]][]): ModelAnswer {
    const consumer = `c${process}`;
    const keys = this.assigned.get(process) ?? new Set<number>();
    if (reads.some(([k]) => !keys.has(k))) {
      for (const [k] of reads) keys.add(k);
      // Stryker disable next-line CallExpression: a consumer assigned again at every poll reads the same (it seeks below)
      this.assigned.set(process, keys);
      // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator,StringLiteral: the order of the keys, and the group (never committed to; positions are sought below), change nothing
      this.sim.assign(consumer, [...keys].sort((a, b) => a - b), { groupId: `replay-${process}`, readCommitted: true });
    }
    // Each read is compared from the record Kafka returned first: positions are the history's business.
    for (const [k, pairs] of reads) {
      const at = this.offsetOf.get(`${k}@${pairs[0]![0]}`);
      if (at === undefined) {
        return {
          error: `never holds value ${pairs[0]![1]} of key ${k} at a record it replayed`,
          // Stryker disable next-line StringLiteral,BooleanLiteral: comparePoll reads of a poll's answer only whether it is ok, and its message
          kind: 'error', cls: 'unknown', info: false,
        };
      }
      this.sim.seek(consumer, k, at);
    }
    const r = this.sim.poll(consumer);
    return r.type === 'ok' ? { kind: 'ok', records: r.value } : answer(r);
  }

  /** The transactional id's coordinator, for the replay's explanations (timeouts). */
  coordinator(transactionalId: string): { state: string; txnStartTick: number; producerId: number; epoch: number } | null {
    const c = this.sim.inspect().coordinators.get(transactionalId);
    return c === undefined ? null : { state: c.state, txnStartTick: c.context.txnStartTick, producerId: c.context.producerId, epoch: c.context.epoch };
  }
}

function answer(o: { type: 'ok' | 'fail' | 'info'; error?: string }): ModelAnswer {
  if (o.type === 'ok') return { kind: 'ok' };
  return { kind: 'error', error: o.error!, cls: errorClass(o.error!), info: o.type === 'info' };
}
