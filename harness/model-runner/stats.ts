// Counts of a model run, for the progress line and the report.
export class RunStats {
  /** Completed client ops (invocations that got their completion). */
  ops = 0;
  ok = 0;
  fail = 0;
  info = 0;
  /** Nemesis ops applied (each is an invoke/info pair in the history). */
  nemesis = 0;
  /** Logical duration of the run, nanoseconds. */
  durationNs = 0;
  /** Model machine transitions taken (the unit of the model benchmark). */
  modelSteps = 0;

  count(type: 'ok' | 'fail' | 'info'): void {
    this.ops++;
    this[type]++;
  }

  /** The run was stopped early through its abort signal. */
  aborted = false;

  finish(durationNs: number, modelSteps: number, aborted = false): this {
    this.durationNs = durationNs;
    this.modelSteps = modelSteps;
    this.aborted = aborted;
    return this;
  }
}
