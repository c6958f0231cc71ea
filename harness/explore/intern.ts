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
  /** Per snapshot id: event key → next snapshot id. */
  private readonly memo: Array<Map<string, number>> = [];
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
    const key = eventKey(event as unknown as Record<string, unknown>);
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

/** The JSON of the objects events carry (a produce request, a partition list), by identity: producers ask
 *  for the same request object from the same snapshot again and again. */
const nestedJson = new WeakMap<object, string>();

/** An event's identity: its field values in order (its type first; each kind is built by one piece of code). */
function eventKey(e: Record<string, unknown>): string {
  let key = '';
  for (const f in e) {
    const v = e[f];
    if (typeof v === 'object' && v !== null) {
      let j = nestedJson.get(v);
      if (j === undefined) { j = JSON.stringify(v); nestedJson.set(v, j); }
      key += `${f}:${j};`;
    } else key += `${f}:${v as string};`;
  }
  return key;
}
