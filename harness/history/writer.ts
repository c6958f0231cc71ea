// Streams history.jsonl as the run happens. Each event is one line written with one fs.writeSync on
// a file opened for appending, so a run killed with SIGKILL leaves every line it wrote (the kernel
// holds it), at worst with a torn last line, which the checker drops (history-format.md §1).
// The writer also enforces the per-process rules of the format, so a runner bug fails loudly here
// instead of producing a history the checker would reject.
import fs from 'node:fs';
import path from 'node:path';
import type { ClientEvent, ClientF, HistoryEvent, NemesisEvent, OpType } from '../../jepsen-style/history.ts';
import { harnessError, usageError } from '../cli/exit-codes.ts';
import type { Clock } from './clock.ts';

export interface OpenHistoryOptions {
  /** Replace an existing non-empty file instead of refusing to. */
  overwrite?: boolean;
}

type Completion = Exclude<OpType, 'invoke'>;

export class HistoryWriter {
  readonly path: string;
  readonly #clock: Clock;
  #fd: number | null;
  #index = 0;
  #lastTime = 0;
  /** Client processes with an invocation in flight, and its f. */
  readonly #pending = new Map<number, ClientF>();
  /** Client processes that completed `info` (or crashed): they may never invoke again. */
  readonly #retired = new Set<number>();

  constructor(file: string, clock: Clock, options: OpenHistoryOptions = {}) {
    this.path = file;
    this.#clock = clock;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
    if (size > 0 && !options.overwrite) throw usageError(`${file} already holds a history; choose another --out directory or remove it`);
    if (size > 0) fs.truncateSync(file, 0);
    this.#fd = fs.openSync(file, 'a');
  }

  /** Events written so far (also the next index). */
  get count(): number {
    return this.#index;
  }

  /** Client processes that invoked and have not completed yet. */
  get pending(): ReadonlyMap<number, ClientF> {
    return this.#pending;
  }

  /**
   * `txnId`: the logical transactional id (program.json's) of a `txn` op, an optional field the checker
   * uses to tell producer instances apart (jepsen-style/rules.ts).
   */
  invoke(process: number, f: ClientF, value: ClientEvent['value'], txnId?: string): ClientEvent {
    if (this.#retired.has(process)) throw new Error(`history: process ${process} invokes ${f} after completing info; use a fresh process id`);
    const open = this.#pending.get(process);
    if (open !== undefined) throw new Error(`history: process ${process} invokes ${f} while its ${open} is not complete`);
    this.#pending.set(process, f);
    return this.#write(txnId === undefined ? { process, type: 'invoke', f, value } : { process, type: 'invoke', f, value, txnId });
  }

  complete(process: number, type: Completion, f: ClientF, value: ClientEvent['value'], error?: string): ClientEvent {
    const open = this.#pending.get(process);
    if (open !== f) throw new Error(`history: process ${process} completes ${f} but its open invocation is ${open ?? 'none'}`);
    this.#pending.delete(process);
    if (type === 'info') this.#retired.add(process);
    return this.#write(error === undefined ? { process, type, f, value } : { process, type, f, value, error });
  }

  /** A nemesis event (Jepsen records an `invoke` when a fault begins and an `info` once it is applied). */
  nemesis(type: OpType, f: string, value: unknown, error?: string): NemesisEvent {
    return this.#write(error === undefined ? { process: 'nemesis', type, f, value } : { process: 'nemesis', type, f, value, error });
  }

  close(): void {
    if (this.#fd !== null) fs.closeSync(this.#fd);
    this.#fd = null;
  }

  #write<E extends HistoryEvent>(body: Omit<E, 'index' | 'time'>): E {
    if (this.#fd === null) throw new Error(`history: ${this.path} is closed`);
    // Time never decreases, even if the clock source hiccups.
    this.#lastTime = Math.max(this.#lastTime, Math.round(this.#clock.now()));
    const event = { index: this.#index, time: this.#lastTime, ...body } as E;
    const line = Buffer.from(JSON.stringify(event) + '\n');
    try {
      // One write per line; the loop only matters if the kernel accepts part of it (disk nearly full).
      for (let done = 0; done < line.length; ) done += fs.writeSync(this.#fd, line, done);
    } catch (e) {
      throw harnessError(`could not append to ${this.path}: ${(e as Error).message}`);
    }
    this.#index++;
    return event;
  }
}

export function openHistory(file: string, clock: Clock, options: OpenHistoryOptions = {}): HistoryWriter {
  return new HistoryWriter(file, clock, options);
}
