// Where a history's `time` comes from: nanoseconds since the run started. Real runs read the
// monotonic clock; model runs use logical time, which the model runner advances itself, so that a
// model history is byte-identical from one run to the next.

export interface Clock {
  /** Integer nanoseconds since the start of the run. */
  now(): number;
}

/** Monotonic wall clock (process.hrtime), zero at creation. */
export function realClock(): Clock {
  const start = process.hrtime.bigint();
  return { now: () => Number(process.hrtime.bigint() - start) };
}

/** Logical time: it only moves when told to, and never backwards. */
export class LogicalClock implements Clock {
  #ns: number;

  constructor(startNs = 0) {
    this.#ns = startNs;
  }

  now(): number {
    return this.#ns;
  }

  /** Moves to `ns` if that is later than now; returns the (possibly unchanged) time. */
  advanceTo(ns: number): number {
    if (ns > this.#ns) this.#ns = Math.round(ns);
    return this.#ns;
  }

  advanceBy(ns: number): number {
    return this.advanceTo(this.#ns + ns);
  }
}
