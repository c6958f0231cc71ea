// One worker's life on the real cluster: its ops in order, each no earlier than its pacing slot, across
// as many processes as outcomes demand (WorkerCursor decides, exactly as in the model runner).
import type { AckedOffsets } from '../history/ackedOffsets.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { RunStats } from '../model-runner/stats.ts';
import { invocationOf, type Program, type Worker } from '../workload/program.ts';
import { WorkerCursor } from '../workload/workerCursor.ts';
import { sleep } from '../clients/deadline.ts';
import type { ClientProcess, ProcessSpec } from '../clients/client.ts';

export interface WorkerContext {
  program: Program;
  writer: HistoryWriter;
  stats: RunStats;
  acked: AckedOffsets;
  signal: AbortSignal;
  /** Date.now() when the main phase began. */
  startedAt: number;
  freshProcess: () => number;
  /** A fresh client process in worker slot `slot` (the worker's id, or a final reader's index). */
  newClient: (slot: number, spec: ProcessSpec) => ClientProcess;
  /** The client objects of an ended process, going on as `process` (only when `carryOn`). */
  continueClient: (ended: ClientProcess, process: number) => ClientProcess;
  /** The client carries on after `info` (RunClients.carryOn). */
  carryOn: boolean;
  /** Every worker's cursor, so a gated worker (the zombie's twin) can wait for its gate. */
  cursors: WorkerCursor[];
}

/**
 * A fresh process waits this long before its first op, as an application backs off before it
 * reconnects. Without it, a failure that comes back at once (connection refused while a broker is down)
 * turns into hundreds of one-op processes per second: seen, 1,500 `info` assigns in 20 s of one run.
 */
export const RESTART_BACKOFF_MS = 250;

/** Runs the worker until its ops run out, it stops, or the main phase ends; returns its process ids. */
export async function runWorker(ctx: WorkerContext, worker: Worker): Promise<number[]> {
  const { program, writer, stats, signal } = ctx;
  const cursor = new WorkerCursor(worker);
  ctx.cursors[worker.id] = cursor;
  const endOfMain = ctx.startedAt + program.phases.timeLimitMs;
  const interval = program.pacing.opIntervalMs;
  // Stagger first ops over one interval, as the model runner does.
  const offset = (worker.id * interval) / Math.max(1, program.workers.length);
  const zombieTwin = worker.startAfter !== null && program.mutate === 'unfenced-zombie';
  const transactionalId = worker.transactionalId === null ? null : zombieTwin ? `${worker.transactionalId}-zombie` : worker.transactionalId;

  while (!cursor.released(ctx.cursors) && !signal.aborted && Date.now() < endOfMain) await sleep(20);
  const began = Date.now();
  let client: ClientProcess | null = null;
  /** A client whose process ended `info`, to go on as the next process (clients that carry on). */
  let carried: ClientProcess | null = null;
  while (!cursor.done && !signal.aborted) {
    const due = began + offset + cursor.nextIndex * interval;
    if (due >= endOfMain) break;
    if (due > Date.now()) await sleep(due - Date.now());
    if (Date.now() >= endOfMain || signal.aborted) break;

    const { process } = cursor.ensureProcess(ctx.freshProcess);
    if (client === null && carried?.continueAs) client = ctx.continueClient(carried, process);
    carried = null;
    client ??= ctx.newClient(worker.id, { process, transactionalId, groupId: worker.groupId });
    const step = cursor.peek()!;
    const { f, value } = invocationOf(step.op);
    const txnId = f === 'txn' && worker.transactionalId !== null ? worker.transactionalId : undefined;
    writer.invoke(process, f, value, txnId);
    const result = await client.execute(step.op, value);
    writer.complete(process, result.type, f, result.value, result.error);
    stats.count(result.type);
    if (result.type === 'ok') ctx.acked.track(result.value);
    if (cursor.complete(step, result).processEnded) {
      if (ctx.carryOn && result.type === 'info' && step.op.f !== 'crash' && !result.fenced && !cursor.done) carried = client;
      else void client.abandon();
      client = null;
      await sleep(RESTART_BACKOFF_MS);
    }
  }
  await (client ?? carried)?.abandon();
  return [...cursor.processes];
}
