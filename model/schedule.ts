// When messages in flight are delivered (network.ts). Immediately (the synchronous cluster, as the model
// was before messages were data), when a driver says so (the conformance replay), or after delays drawn from
// a seeded generator: late, reordered across connections, never within one. The generator is the model's
// only randomness and its state travels with forks, so a seed always gives the same deliveries.

export type Delivery =
  /** Every message as soon as it is sent: markers land and transactions complete inside the client's call. */
  | { kind: 'immediate' }
  /** At once, except what the driver holds (a transactional id's follow-ups: `Sim.hold`) and client requests
   *  left on the wire: those wait for `deliver` (the conformance replay, tests). */
  | { kind: 'manual' }
  /**
   * Each message is due `delay` ticks after it is sent: 0 with probability 1 - `lateP`, else uniform in
   * 1..`maxDelayTicks`. A client waits `requestTimeoutTicks` for its answer, then times out (the request
   * still lands when due); time passing (`advance`) delivers what fell due.
   */
  | { kind: 'seeded'; seed: number; lateP: number; maxDelayTicks: number; requestTimeoutTicks: number };

export const IMMEDIATE: Delivery = { kind: 'immediate' };

/** mulberry32: a 32-bit state, a uniform float in [0, 1). */
export function nextRandom(state: number): [value: number, state: number] {
  const s = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, s];
}

export class Schedule {
  constructor(readonly delivery: Delivery, private rng = delivery.kind === 'seeded' ? delivery.seed | 0 : 0) {}

  fork(): Schedule { return new Schedule(this.delivery, this.rng); }

  /** The tick at which a message sent at `now` falls due. */
  dueAt(now: number): number {
    const d = this.delivery;
    if (d.kind !== 'seeded') return now;
    const [late, s1] = nextRandom(this.rng);
    this.rng = s1;
    if (late >= d.lateP) return now;
    const [pick, s2] = nextRandom(this.rng);
    this.rng = s2;
    return now + 1 + Math.floor(pick * d.maxDelayTicks);
  }

  /** How long a client waits for an answer before it times out (ticks past now). */
  patience(): number {
    return this.delivery.kind === 'seeded' ? this.delivery.requestTimeoutTicks : this.delivery.kind === 'immediate' ? Infinity : 0;
  }
}
