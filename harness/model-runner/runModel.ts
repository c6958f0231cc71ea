// Executes a program against the simulated cluster as a discrete-event simulation on logical time,
// and writes model/history.jsonl. Each op takes effect atomically when it is invoked; its completion
// is recorded later (one millisecond per request the sim made), so ops of different workers overlap
// in the history as they do against Kafka. Nothing here reads a clock or a random source: the same
// program always gives the same bytes.
import path from 'node:path';
import type { Key, Offset } from '../../jepsen-style/history.ts';
import { createSim } from '../../model/sim.ts';
import type { Sim } from '../../model/sim.types.ts';
import { LogicalClock } from '../history/clock.ts';
import { HistoryWriter } from '../history/writer.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { programInfoOf } from '../workload/programInfo.ts';
import { invocationOf, type NemesisEntry, type Program, type ProgramOp, type Worker } from '../workload/program.ts';
import { EventQueue } from './eventQueue.ts';
import { FaultMapper } from './faults.ts';
import { runFinalPolls } from './finalPolls.ts';
import { ModelClient, type ClientProcess, type OpResult } from './modelClient.ts';
import { RunStats } from './stats.ts';

export const MS = 1_000_000;
/** Ticks are applied in batches: every tick steps every coordinator, and timeouts are hundreds of ticks. */
const TICK_BATCH = 50;

export interface RunModelOptions {
  /** Replace an existing model/history.jsonl. */
  overwrite?: boolean;
}

export interface RunModelResult {
  historyPath: string;
  stats: RunStats;
  /** What the checker needs beyond the history: copiers with their processes, final group offsets. */
  programInfo: ProgramInfo;
  /** `workerProcesses[w]`: the history process ids worker w ran as, in order. */
  workerProcesses: number[][];
}

interface WorkerState {
  worker: Worker;
  next: number;
  completed: number;
  proc: ClientProcess | null;
  /** The latest assign/subscribe, re-issued for a fresh process. */
  assignment: ProgramOp | null;
  reassign: boolean;
  stopped: boolean;
  /** Whether the worker's first process (id = worker id) was used up. */
  hadProcess: boolean;
  /** Time the worker's op 0 was due; op i is due `i` intervals later. */
  baseNs: number;
}

type Event =
  | { kind: 'due'; w: number }
  | { kind: 'complete'; w: number; op: ProgramOp; result: OpResult; extra: boolean }
  | { kind: 'nemesis'; entry: NemesisEntry };

/** Runs `program` against the model and writes `<outDir>/model/history.jsonl`. */
export async function runModel(program: Program, outDir: string, options: RunModelOptions = {}): Promise<RunModelResult> {
  const historyPath = path.join(outDir, 'model', 'history.jsonl');
  const clock = new LogicalClock();
  const writer = new HistoryWriter(historyPath, clock, options);
  try {
    const sim = createSim({ txnVersion: program.txnVersion, keys: program.keys.length, nodes: program.nodes.length });
    const run = new ModelRun(program, sim, writer, clock);
    const stats = run.run();
    const groups = [...new Set(program.workers.filter((w) => w.role !== 'idempotent').map((w) => w.groupId))].sort();
    const groupOffsets = Object.fromEntries(groups.map((g) => [g, stringKeys(sim.committedOffsets(g))]));
    return { historyPath, stats, programInfo: programInfoOf(program, run.workerProcesses, groupOffsets), workerProcesses: run.workerProcesses };
  } finally {
    writer.close();
  }
}

const stringKeys = (o: Record<number, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [String(k), v]));

class ModelRun {
  private readonly queue = new EventQueue<Event>();
  private readonly workers: WorkerState[];
  private readonly client: ModelClient;
  private readonly faults: FaultMapper;
  private readonly stats = new RunStats();
  private readonly transactionalIds = new Set<string>();
  private readonly intervalNs: number;
  private readonly limitNs: number;
  private nextProcess: number;
  /** Highest offset of each key acknowledged by an ok op: what the final polls must reach. */
  readonly acked = new Map<Key, Offset>();
  /** Every process id each worker ran as. */
  readonly workerProcesses: number[][];

  constructor(private readonly program: Program, private readonly sim: Sim, private readonly writer: HistoryWriter, private readonly clock: LogicalClock) {
    const copyTo = new Map(program.workers.flatMap((w) => w.copier?.keyMap ?? []));
    this.client = new ModelClient(sim, {
      readCommitted: program.mutate !== 'read-uncommitted',
      offsetsOutsideTxn: program.mutate === 'offsets-outside-txn',
      copyTo,
    });
    this.faults = new FaultMapper(sim, program.nodes, () => [...this.transactionalIds].sort());
    this.intervalNs = Math.round(program.pacing.opIntervalMs * MS);
    this.limitNs = program.phases.timeLimitMs * MS;
    this.nextProcess = program.workers.length;
    this.workerProcesses = program.workers.map(() => []);
    this.workers = program.workers.map((worker) => ({
      worker, next: 0, completed: 0, proc: null, assignment: null, reassign: false, stopped: false, hadProcess: false, baseNs: 0,
    }));
  }

  run(): RunStats {
    for (const entry of this.program.nemesis.schedule) this.queue.push(entry.atMs * MS, { kind: 'nemesis', entry });
    for (const entry of this.program.nemesis.finalHeal) this.queue.push(entry.atMs * MS, { kind: 'nemesis', entry });
    const n = this.workers.length;
    this.workers.forEach((s, w) => {
      // Stagger the first ops so workers do not all invoke at the same instant.
      s.baseNs = Math.floor((w * this.intervalNs) / n);
      if (s.worker.startAfter === null) this.queue.push(s.baseNs, { kind: 'due', w });
    });
    for (let e = this.queue.pop(); e !== undefined; e = this.queue.pop()) this.handle(e.timeNs, e.event);
    const endNs = Math.max(this.clock.now(), this.limitNs) + this.program.phases.recoveryMs * MS;
    this.syncSim(endNs);
    runFinalPolls(this.program, this.sim, this.writer, this.clock, endNs, this.acked, () => this.freshProcess(), this.stats);
    return this.stats.finish(this.clock.now(), this.sim.steps);
  }

  private handle(t: number, e: Event): void {
    this.syncSim(t);
    if (e.kind === 'nemesis') this.nemesis(e.entry);
    else if (e.kind === 'due') this.invoke(t, e.w);
    else this.complete(t, e.w, e.op, e.result, e.extra);
  }

  /** One model tick per millisecond: transaction timeouts follow program time. */
  private syncSim(t: number): void {
    this.clock.advanceTo(t);
    const ticks = Math.floor(t / MS) - this.sim.now;
    if (ticks >= TICK_BATCH) this.sim.fault({ type: 'tick', ticks });
  }

  private nemesis(entry: NemesisEntry): void {
    const live = this.workers.flatMap((s) => (s.proc ? [{ worker: s.worker.id, producer: s.proc.producer }] : []));
    this.writer.nemesis('invoke', entry.op.f, entry.op.value);
    this.faults.apply(entry.op, live);
    this.writer.nemesis('info', entry.op.f, entry.op.value);
    this.stats.nemesis++;
  }

  private freshProcess(): number {
    return this.nextProcess++;
  }

  private processFor(s: WorkerState): ClientProcess {
    if (s.proc) return s.proc;
    const w = s.worker;
    const process = s.hadProcess ? this.freshProcess() : w.id;
    s.hadProcess = true;
    this.workerProcesses[w.id]!.push(process);
    const zombieTwin = w.startAfter !== null && this.program.mutate === 'unfenced-zombie';
    const transactionalId = w.transactionalId === null ? null : zombieTwin ? `${w.transactionalId}-zombie` : w.transactionalId;
    if (transactionalId !== null) this.transactionalIds.add(transactionalId);
    s.proc = { process, producer: `p${process}`, consumer: `c${process}`, transactionalId, groupId: w.groupId, producerReady: false };
    return s.proc;
  }

  private invoke(t: number, w: number): void {
    const s = this.workers[w]!;
    if (s.stopped || s.next >= s.worker.ops.length || t > this.limitNs) return;
    const proc = this.processFor(s);
    const extra = s.reassign && s.assignment !== null && s.worker.ops[s.next]?.f !== 'assign' && s.worker.ops[s.next]?.f !== 'subscribe';
    s.reassign = false;
    const op = extra ? s.assignment! : s.worker.ops[s.next]!;
    const { f, value } = invocationOf(op);
    this.writer.invoke(proc.process, f, value, f === 'txn' ? (s.worker.transactionalId ?? undefined) : undefined);
    const before = this.sim.now;
    const result = this.client.execute(proc, op);
    const latencyNs = Math.max(1, this.sim.now - before) * MS;
    this.queue.push(t + latencyNs, { kind: 'complete', w, op, result, extra });
  }

  private complete(t: number, w: number, op: ProgramOp, r: OpResult, extra: boolean): void {
    const s = this.workers[w]!;
    const proc = s.proc!;
    const { f } = invocationOf(op);
    this.writer.complete(proc.process, r.type, f, r.value, r.error);
    this.stats.count(r.type);
    if (r.type === 'ok') this.track(r.value);
    if (op.f === 'assign' || op.f === 'subscribe') s.assignment = op;
    if (!extra) {
      s.next++;
      s.completed++;
      this.releaseStarters(t, w, s.completed);
    }
    if (r.type === 'info' || r.endProcess) {
      this.sim.fault({ type: 'producerCrash', clientId: proc.producer });
      this.sim.fault({ type: 'consumerCrash', consumerId: proc.consumer });
      s.proc = null;
      s.reassign = true;
      if (r.fenced && s.worker.stopWhenFenced) s.stopped = true;
    }
    this.queue.push(Math.max(t, s.baseNs + s.next * this.intervalNs), { kind: 'due', w });
  }

  /** Starts workers waiting for worker `w` to complete `completed` ops (the zombie's second instance). */
  private releaseStarters(t: number, w: number, completed: number): void {
    this.workers.forEach((s, i) => {
      if (s.worker.startAfter?.worker === w && s.worker.startAfter.completedOps === completed) {
        s.baseNs = t;
        this.queue.push(t, { kind: 'due', w: i });
      }
    });
  }

  private track(value: unknown): void {
    for (const mop of (value as unknown[] | null) ?? []) {
      if (!Array.isArray(mop)) continue;
      if (mop[0] === 'send' && Array.isArray(mop[2]) && mop[2][0] !== null) this.ack(mop[1] as Key, mop[2][0] as Offset);
      if (mop[0] === 'poll' && mop[1]) {
        for (const [k, pairs] of Object.entries(mop[1] as Record<string, Array<[Offset, number]>>)) for (const [o] of pairs) this.ack(Number(k), o);
      }
    }
  }

  private ack(k: Key, o: Offset): void {
    if (o > (this.acked.get(k) ?? -1)) this.acked.set(k, o);
  }
}
