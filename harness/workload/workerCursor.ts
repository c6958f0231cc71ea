// Walking one worker's ops across its processes: the bookkeeping both runners must do identically
// (workload README, "Rules for runners"): which op comes next, when a process ends and a fresh one
// takes over, re-issuing the assignment for a fresh process, the zombie's start gate and its stop when
// fenced. Pure: the runner supplies process ids and outcomes.
import type { ProgramOp, Worker } from './program.ts';

export interface Step {
  op: ProgramOp;
  /** A re-issued assign/subscribe for a fresh process: recorded, but not one of the worker's ops. */
  extra: boolean;
}

export interface StepOutcome {
  type: 'ok' | 'fail' | 'info';
  /** The process must be replaced although the op was not `info` (fenced, out-of-order, ...). */
  endProcess?: boolean;
  /** The producer was fenced by a newer instance of its transactional id. */
  fenced?: boolean;
}

export class WorkerCursor {
  /** Program ops completed, re-issued assignments excluded (what `startAfter.completedOps` counts). */
  completedOps = 0;
  /** The current process id, or null before the first op and after a process ended. */
  process: number | null = null;
  /** Every process id this worker ran as, in order. */
  readonly processes: number[] = [];
  /** Set when a `stopWhenFenced` worker was fenced. */
  stopped = false;
  private next = 0;
  private assignment: ProgramOp | null = null;
  private reassign = false;

  constructor(readonly worker: Worker) {}

  /** No op left, or stopped. */
  get done(): boolean {
    return this.stopped || this.next >= this.worker.ops.length;
  }

  /** Index of the next program op (for pacing: op i is due i intervals after the worker began). */
  get nextIndex(): number {
    return this.next;
  }

  /** Whether the worker may begin: always, unless it waits for another worker (the zombie's second instance). */
  released(cursors: readonly WorkerCursor[]): boolean {
    const gate = this.worker.startAfter;
    return gate === null || (cursors[gate.worker]?.completedOps ?? 0) >= gate.completedOps;
  }

  /** The current process, starting one if needed: the first is the worker's id, later ones come from `fresh`. */
  ensureProcess(fresh: () => number): { process: number; started: boolean } {
    if (this.process !== null) return { process: this.process, started: false };
    this.process = this.processes.length === 0 ? this.worker.id : fresh();
    this.processes.push(this.process);
    return { process: this.process, started: true };
  }

  /** What to invoke next, or null when done. */
  peek(): Step | null {
    if (this.done) return null;
    const op = this.worker.ops[this.next]!;
    if (this.reassign && this.assignment !== null && op.f !== 'assign' && op.f !== 'subscribe') {
      return { op: this.assignment, extra: true };
    }
    return { op, extra: false };
  }

  /** Records a step's completion; says whether the process ended (the runner then tears its clients down). */
  complete(step: Step, outcome: StepOutcome): { processEnded: boolean } {
    this.reassign = false;
    if (step.op.f === 'assign' || step.op.f === 'subscribe') this.assignment = step.op;
    if (!step.extra) {
      this.next++;
      this.completedOps++;
    }
    const processEnded = outcome.type === 'info' || outcome.endProcess === true;
    if (processEnded) {
      this.process = null;
      this.reassign = true;
      if (outcome.fenced && this.worker.stopWhenFenced) this.stopped = true;
    }
    return { processEnded };
  }
}
