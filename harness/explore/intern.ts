// Hash-consing for exhaustive exploration: every machine snapshot (and message) gets a small integer, equal
// contents the same integer, so a world's state is a short list of integers; and each machine step is
// computed once per (snapshot, event) and remembered. The machines are the model's own XState machines
// (mutants included): exploring them is checking them.
import type { AnyStateMachine, EventFromLogic, SnapshotFrom } from 'xstate';
import { stepperFor } from '../../model/step.ts';

/** Integers for values by content; identical objects are looked up once. */
export class Interner<T extends object> {
  private readonly byObject = new WeakMap<T, number>();
  private readonly byKey = new Map<string, number>();
  readonly values: T[] = [];

  constructor(private readonly keyOf: (value: T) => string) {}

  id(value: T): number {
    const known = this.byObject.get(value);
    if (known !== undefined) return known;
    const key = this.keyOf(value);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.byKey.set(key, id);
    }
    this.byObject.set(value, id);
    return id;
  }

  get size(): number { return this.values.length; }
}

/** A machine whose steps are remembered: (snapshot id, event) → next snapshot id. */
export class MemoMachine<M extends AnyStateMachine> {
  readonly snapshots = new Interner<SnapshotFrom<M>>((s) => { const x = s as unknown as { value: unknown; context: unknown }; return `${JSON.stringify(x.value)}|${JSON.stringify(x.context)}`; });
  /** Per snapshot id: event fingerprint → next snapshot id. */
  private readonly memo: Array<Map<number, number>> = [];
  private readonly stepper;
  hits = 0;
  misses = 0;

  /** Called once per (snapshot, event) the exploration computes (coverage). */
  onStep?: (before: SnapshotFrom<M>, event: EventFromLogic<M>, after: SnapshotFrom<M>) => void;

  constructor(readonly machine: M, sampleInput: unknown) {
    this.stepper = stepperFor(machine, sampleInput as never);
  }

  initial(input: unknown): number { return this.snapshots.id(this.stepper.initial(input as never)); }

  snapshot(id: number): SnapshotFrom<M> { return this.snapshots.values[id]!; }

  step(id: number, event: EventFromLogic<M>): number {
    const key = eventFingerprint(event as unknown as Record<string, unknown>);
    const byEvent = this.memo[id] ??= new Map();
    const known = byEvent.get(key);
    if (known !== undefined) { this.hits++; return known; }
    this.misses++;
    const after = this.stepper.step(this.snapshot(id), event);
    this.onStep?.(this.snapshot(id), event, after);
    const next = this.snapshots.id(after);
    byEvent.set(key, next);
    return next;
  }
}

/** Small integers for the strings events carry (field names, types, error names): V8 keeps a string's hash. */
const stringIds = new Map<string, number>();
const stringId = (s: string): number => {
  let x = stringIds.get(s);
  if (x === undefined) { x = stringIds.size + 1; stringIds.set(s, x); }
  return x;
};
/** Integers for the objects events carry (a produce request, a partition list), by content, remembered by
 *  identity: producers ask for the same request object from the same snapshot again and again. */
const objectIds = new WeakMap<object, number>();
const objectId = (o: object): number => {
  let x = objectIds.get(o);
  if (x === undefined) { x = stringId(JSON.stringify(o)); objectIds.set(o, x); }
  return x;
};

/**
 * An event's (or a message's) identity as a 53-bit fingerprint of its fields in order (each kind is built by
 * one piece of code, so the order is fixed), without building a string: the memo is consulted several times per
 * explored transition. Two of k events share a fingerprint with probability about k²/2⁵⁴.
 */
export function eventFingerprint(e: Record<string, unknown>): number {
  // No closure here (a `const mix = ...` would be created, and named by tsx's keepNames, on every call).
  const h = new FieldHash();
  for (const f in e) {
    h.mix(stringId(f));
    const v = e[f];
    switch (typeof v) {
      case 'number':
        if (Number.isInteger(v) && Math.abs(v) < 2 ** 31) { h.mix(1); h.mix(v); } else { h.mix(2); h.mix(stringId(String(v))); }
        break;
      case 'string': h.mix(3); h.mix(stringId(v)); break;
      case 'boolean': h.mix(v ? 4 : 5); break;
      case 'undefined': h.mix(6); break;
      default: if (v === null) h.mix(7); else { h.mix(8); h.mix(objectId(v as object)); }
    }
  }
  return h.value();
}

/** Two 32-bit multiplicative hashes of a sequence of integers, combined into 53 bits (the explorer's
 *  fingerprints: states, events, messages). */
export class FieldHash {
  private h1 = 0x811c9dc5 | 0;
  private h2 = 0x1b873593 | 0;

  mix(x: number): void {
    this.h1 = Math.imul(this.h1 ^ x, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ x, 0x5bd1e995) ^ (this.h2 >>> 15);
  }

  value(): number { return (this.h1 >>> 0) * 2097152 + ((this.h2 >>> 0) >>> 11); }
}
