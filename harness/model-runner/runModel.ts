// Executes a program against the simulated cluster as a discrete-event simulation on logical time,
// and writes model/history.jsonl. Each op takes effect atomically when it is invoked; its completion
// is recorded later (one millisecond per request the sim made), so ops of different workers overlap
// in the history as they do against Kafka. Nothing here reads a clock or a random source: the same
// program always gives the same bytes.
import path from 'node:path';
import { type ClientModel, createSim, type Sim } from '../../model/index.ts';
import type { Key } from '../../jepsen-style/history.ts';
import { AckedOffsets } from '../history/ackedOffsets.ts';
import { LogicalClock } from '../history/clock.ts';
import { HistoryWriter } from '../history/writer.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { programInfoOf } from '../workload/programInfo.ts';
import { invocationOf, type NemesisEntry, type Program } from '../workload/program.ts';
import { WorkerCursor, type Step } from '../workload/workerCursor.ts';
import { EventQueue } from './eventQueue.ts';
import { FaultMapper } from './faults.ts';
import { runFinalPolls } from './finalPolls.ts';
import { ModelClient, type ClientProcess, type OpResult } from './modelClient.ts';
import { RunStats } from './stats.ts';

export const MS = 1_000_000;
/** Ticks are applied in batches: every tick steps every coordinator, and timeouts are hundreds of ticks. */
const TICK_BATCH = 50;
/** Events handled between two yields to the event loop. */
const YIELD_EVERY = 2_000;

export interface RunModelOptions {
  /** Replace an existing model/history.jsonl. */
  overwrite?: boolean;
  /**
   * The model cluster's transaction.version; default the program's `txnVersion` (what the real cluster runs).
   * The client decides what its producers speak: kafkajs TV1 whatever the cluster runs, java and franz-go the
   * cluster's version (model/README.md).
   */
  txnVersion?: 1 | 2;
  /** The client library of the run (`--client`): the model runs the modelled client that matches it. */
  client?: string;
  /** Called every `progressEvery` completed client ops (default 1000) and at the end. */
  onProgress?: (p: RunProgress) => void;
  progressEvery?: number;
  /** Stops the run early (Ctrl-C): the history so far stays a valid prefix; `stats.aborted` is set. */
  signal?: AbortSignal;
}

export interface RunProgress {
  stats: Readonly<RunStats>;
  /** Logical time, ns. */
  timeNs: number;
  /** Faults in force, e.g. `partition one`, `kill 2`, `pause 1`. */
  faults: string[];
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
  cursor: WorkerCursor;
  /** The sim clients of the cursor's current process. */
  proc: ClientProcess | null;
  /** Time the worker's op 0 was due; op i is due `i` intervals later. */
  baseNs: number;
}

type Event =
  | { kind: 'due'; w: number }
  | { kind: 'complete'; w: number; step: Step; result: OpResult }
  | { kind: 'nemesis'; entry: NemesisEntry };

/** Runs `program` against the model and writes `<outDir>/model/history.jsonl`. */
export async function runModel(program: Program, outDir: string, options: RunModelOptions = {}): Promise<RunModelResult> {
  const historyPath = path.join(outDir, 'model', 'history.jsonl');
  const clock = new LogicalClock();
  const writer = new HistoryWriter(historyPath, clock, options);
  try {
    const sim = createSim({
      txnVersion: options.txnVersion ?? program.txnVersion, client: modelledClient(options.client), keys: program.keys.length, nodes: program.nodes.length,
    });
    const run = new ModelRun(program, sim, writer, clock, options);
    const stats = await run.run();
    const groups = [...new Set(program.workers.filter((w) => w.role !== 'idempotent').map((w) => w.groupId))].sort();
    const groupOffsets = Object.fromEntries(groups.map((g) => [g, stringKeys(sim.committedOffsets(g))]));
    return { historyPath, stats, programInfo: programInfoOf(program, run.workerProcesses, groupOffsets), workerProcesses: run.workerProcesses };
  } finally {
    writer.close();
  }
}

/**
 * The modelled client for a client library: kafkajs is modelled as itself; java as the Java client; franz-go
 * as the Java client too: both speak the cluster's transaction version (EndTxn v5 under TV2), retry EndTxn,
 * bump the epoch on abortable errors and keep several batches in flight, which is what the model abstracts.
 */
export function modelledClient(client: string | undefined): ClientModel {
  const name = (client ?? 'kafkajs').split('@')[0]!;
  if (name === 'kafkajs') return 'kafkajs';
  if (name === 'java' || name === 'franz-go') return 'java';
  throw new Error(`no modelled client for "${client}": use kafkajs, java or franz-go`);
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
  /** Gated workers already released. */
  private readonly started = new Set<number>();
  private readonly intervalNs: number;
  private readonly limitNs: number;
  private nextProcess: number;
  /** What the final polls must reach. */
  private readonly acked = new AckedOffsets();

  /** Faults in force, for the progress line. */
  private readonly activeFaults = new Set<string>();

  constructor(
    private readonly program: Program, private readonly sim: Sim, private readonly writer: HistoryWriter,
    private readonly clock: LogicalClock, private readonly options: RunModelOptions,
  ) {
    const copyTo = new Map(program.workers.flatMap((w) => w.copier?.keyMap ?? []));
    const topicOf = (k: Key) => program.keys[k]?.topic;
    this.client = new ModelClient(sim, {
      readCommitted: program.mutate !== 'read-uncommitted',
      offsetsOutsideTxn: program.mutate === 'offsets-outside-txn',
      copyTo,
      topicKeys: (keys) => program.keys.filter((k) => keys.some((x) => topicOf(x) === k.topic)).map((k) => k.key),
    });
    this.faults = new FaultMapper(sim, program.nodes, () => [...this.transactionalIds].sort());
    this.intervalNs = Math.round(program.pacing.opIntervalMs * MS);
    this.limitNs = program.phases.timeLimitMs * MS;
    this.nextProcess = program.workers.length;
    this.workers = program.workers.map((worker) => ({ cursor: new WorkerCursor(worker), proc: null, baseNs: 0 }));
  }

  /** Every process id each worker ran as. */
  get workerProcesses(): number[][] {
    return this.workers.map((s) => [...s.cursor.processes]);
  }

  async run(): Promise<RunStats> {
    for (const entry of this.program.nemesis.schedule) this.queue.push(entry.atMs * MS, { kind: 'nemesis', entry });
    for (const entry of this.program.nemesis.finalHeal) this.queue.push(entry.atMs * MS, { kind: 'nemesis', entry });
    const n = this.workers.length;
    this.workers.forEach((s, w) => {
      // Stagger the first ops so workers do not all invoke at the same instant.
      s.baseNs = Math.floor((w * this.intervalNs) / n);
      if (s.cursor.worker.startAfter === null) this.queue.push(s.baseNs, { kind: 'due', w });
    });
    let handled = 0;
    for (let e = this.queue.pop(); e !== undefined; e = this.queue.pop()) {
      this.handle(e.timeNs, e.event);
      // Let timers and signal handlers run now and then (the simulation itself never waits).
      if (++handled % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      if (this.options.signal?.aborted) return this.finish(true);
    }
    const endNs = Math.max(this.clock.now(), this.limitNs) + this.program.phases.recoveryMs * MS;
    this.syncSim(endNs);
    this.activeFaults.clear();
    runFinalPolls(this.program, this.sim, this.writer, this.clock, endNs, this.acked, () => this.freshProcess(), this.stats);
    return this.finish(false);
  }

  private finish(aborted: boolean): RunStats {
    this.stats.finish(this.clock.now(), this.sim.steps, aborted);
    this.options.onProgress?.(this.progress());
    return this.stats;
  }

  private progress(): RunProgress {
    return { stats: this.stats, timeNs: this.clock.now(), faults: [...this.activeFaults] };
  }

  private handle(t: number, e: Event): void {
    this.syncSim(t);
    if (e.kind === 'nemesis') this.nemesis(e.entry);
    else if (e.kind === 'due') this.invoke(t, e.w);
    else this.complete(t, e.w, e.step, e.result);
  }

  /** One model tick per millisecond: transaction timeouts follow program time. */
  private syncSim(t: number): void {
    this.clock.advanceTo(t);
    const ticks = Math.floor(t / MS) - this.sim.now;
    if (ticks >= TICK_BATCH) this.sim.fault({ type: 'tick', ticks });
  }

  private nemesis(entry: NemesisEntry): void {
    const live = this.workers.flatMap((s) => (s.proc ? [{ worker: s.cursor.worker.id, producer: s.proc.producer }] : []));
    this.writer.nemesis('invoke', entry.op.f, entry.op.value);
    this.faults.apply(entry.op, live);
    this.writer.nemesis('info', entry.op.f, entry.op.value);
    this.stats.nemesis++;
    this.noteFault(entry);
  }

  /** Tracks the faults in force for the progress line: one entry per partition, killed or paused node. */
  private noteFault({ op }: NemesisEntry): void {
    if (op.f === 'start-partition') this.activeFaults.add(`partition ${op.value.kind}`);
    else if (op.f === 'stop-partition') [...this.activeFaults].filter((f) => f.startsWith('partition')).forEach((f) => this.activeFaults.delete(f));
    else {
      const family = op.f === 'kill' || op.f === 'restart' ? 'kill' : op.f.endsWith('leader-move') ? 'leader-move' : 'pause';
      const starts = op.f === family || op.f === 'start-leader-move';
      for (const n of op.value.nodes) {
        if (starts) this.activeFaults.add(`${family} ${n}`);
        else this.activeFaults.delete(`${family} ${n}`);
      }
    }
  }


  private freshProcess(): number {
    return this.nextProcess++;
  }

  private processFor(s: WorkerState): ClientProcess {
    const { process, started } = s.cursor.ensureProcess(() => this.freshProcess());
    if (!started && s.proc) return s.proc;
    const w = s.cursor.worker;
    const zombieTwin = w.startAfter !== null && this.program.mutate === 'unfenced-zombie';
    const transactionalId = w.transactionalId === null ? null : zombieTwin ? `${w.transactionalId}-zombie` : w.transactionalId;
    if (transactionalId !== null) this.transactionalIds.add(transactionalId);
    s.proc = { process, producer: `p${process}`, consumer: `c${process}`, transactionalId, groupId: w.groupId, producerReady: false };
    return s.proc;
  }

  private invoke(t: number, w: number): void {
    const s = this.workers[w]!;
    const step = s.cursor.peek();
    if (step === null || t > this.limitNs) return;
    const proc = this.processFor(s);
    const { f, value } = invocationOf(step.op);
    this.writer.invoke(proc.process, f, value, f === 'txn' ? (s.cursor.worker.transactionalId ?? undefined) : undefined);
    const before = this.sim.now;
    const result = this.client.execute(proc, step.op);
    const latencyNs = Math.max(1, this.sim.now - before) * MS;
    this.queue.push(t + latencyNs, { kind: 'complete', w, step, result });
  }

  private complete(t: number, w: number, step: Step, r: OpResult): void {
    const s = this.workers[w]!;
    const proc = s.proc!;
    this.writer.complete(proc.process, r.type, invocationOf(step.op).f, r.value, r.error);
    this.stats.count(r.type);
    if (this.options.onProgress && this.stats.ops % (this.options.progressEvery ?? 1000) === 0) this.options.onProgress(this.progress());
    if (r.type === 'ok') this.acked.track(r.value);
    const { processEnded } = s.cursor.complete(step, r);
    if (!step.extra) this.releaseStarters(t);
    if (processEnded) {
      this.sim.fault({ type: 'producerCrash', clientId: proc.producer });
      this.sim.fault({ type: 'consumerCrash', consumerId: proc.consumer });
      s.proc = null;
    }
    this.queue.push(Math.max(t, s.baseNs + s.cursor.nextIndex * this.intervalNs), { kind: 'due', w });
  }

  /** Starts the workers whose gate just opened (the zombie's second instance). */
  private releaseStarters(t: number): void {
    const cursors = this.workers.map((s) => s.cursor);
    this.workers.forEach((s, i) => {
      if (s.cursor.worker.startAfter !== null && !this.started.has(i) && s.cursor.released(cursors)) {
        this.started.add(i);
        s.baseNs = t;
        this.queue.push(t, { kind: 'due', w: i });
      }
    });
  }
}
