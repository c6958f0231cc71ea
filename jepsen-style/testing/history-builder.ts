// Builds small histories by hand for tests and generators (the `o` helper of Jepsen's kafka_test.clj,
// but event by event, so that invokes and completions can interleave). Indices and times are
// assigned in order; every built history follows the contract's rules.
import type { ClientEvent, ClientF, HistoryEvent, Mop, OpType } from '../history.ts';

export const send = (k: number, v: number): Mop => ['send', k, v];
export const sent = (k: number, offset: number | null, v: number): Mop => ['send', k, [offset, v]];
export const poll = (): Mop => ['poll'];
export const polled = (byKey: Record<number, [number, number][]>): Mop => ['poll', byKey];

export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private readonly pending = new Map<number, ClientF>();
  private time = 0;

  /** Index the next event will get. */
  get next(): number {
    return this.events.length;
  }

  invoke(process: number, f: ClientF, value: ClientEvent['value'], extra: Partial<ClientEvent> = {}): number {
    this.pending.set(process, f);
    return this.push({ process, type: 'invoke', f, value, ...extra });
  }

  complete(process: number, type: Exclude<OpType, 'invoke'>, value: ClientEvent['value'], extra: Partial<ClientEvent> = {}): number {
    const f = this.pending.get(process);
    if (f === undefined) throw new Error(`process ${process} has no pending invoke`);
    this.pending.delete(process);
    return this.push({ process, type, f, value, ...extra });
  }

  /** Invoke then complete; returns the completion's index. */
  op(process: number, type: Exclude<OpType, 'invoke'>, f: ClientF, invoked: ClientEvent['value'], completed: ClientEvent['value'] = invoked, extra: Partial<ClientEvent> = {}): number {
    this.invoke(process, f, invoked, extra);
    return this.complete(process, type, completed, extra);
  }

  nemesis(f: string, type: OpType = 'info', value: unknown = null): number {
    const index = this.events.length;
    this.events.push({ index, time: this.time++, process: 'nemesis', type, f, value });
    return index;
  }

  toJsonl(): string {
    return this.events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  }

  private push(e: Omit<ClientEvent, 'index' | 'time'>): number {
    const index = this.events.length;
    this.events.push({ index, time: this.time++, ...e });
    return index;
  }
}

/** The invoke value of completed mops: what a client would have invoked. */
export function invoked(mops: Mop[]): Mop[] {
  return mops.map((m) => (m[0] === 'send' ? (['send', m[1], Array.isArray(m[2]) ? m[2][1] : m[2]] as Mop) : (['poll'] as Mop)));
}

/** A hand-made event: [time in seconds, process, type, f, value, extra fields]. */
export type TimedRow = [number, number, ClientEvent['type'], ClientEvent['f'], ClientEvent['value'], Partial<ClientEvent>?];

/** Events at explicit times (seconds), put in time order and numbered as a history is. */
export function timedHistory(rows: TimedRow[]): HistoryEvent[] {
  return [...rows].sort((a, b) => a[0] - b[0])
    .map(([t, process, type, f, value, extra], index) => ({ index, time: Math.round(t * 1e9), process, type, f, value, ...extra }) as HistoryEvent);
}
