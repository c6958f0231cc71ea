// Reduces a history to what a report shows, in one streaming pass: every client op's process, type,
// start and latency (for the plots and statistics), the fault periods, and an excerpt of the events
// (the start, the end, and windows around the events the anomalies name), so a 100k-op history
// never becomes 100k table rows. Pure: events in, digest out.
import type { HistoryEvent, OpType } from '../jepsen-style/history.ts';
import { truncate } from './escape.ts';

export const TYPE_CODE = { ok: 0, fail: 1, info: 2 } as const;
export type CompletionType = keyof typeof TYPE_CODE;

/** One row of the history table: the event as text, ready to be escaped and shown. */
export interface ExcerptRow {
  index: number;
  timeNs: number;
  process: number | 'nemesis';
  type: OpType;
  f: string;
  value: string;
  error?: string;
  /** History index of this op's invoke (on completions) or completion (on invokes), when known. */
  pair?: number;
}

/** A period during which a fault was in force: from its start op to the op that healed it. */
export interface FaultBand {
  family: string;
  startNs: number;
  /** Null when the history ends before the fault was healed. */
  endNs: number | null;
  startIndex: number;
  label: string;
}

/** Client ops in completion order, as columns. Ops that never completed have latency null. */
export interface OpColumns {
  index: number[];
  invokeNs: number[];
  latencyNs: Array<number | null>;
  process: number[];
  type: number[];
  f: number[];
}

export interface HistoryDigest {
  events: number;
  lastTimeNs: number;
  ops: OpColumns;
  fNames: string[];
  faults: FaultBand[];
  rows: ExcerptRow[];
  /** Events left out of `rows` although they were wanted, because of the row cap. */
  rowsCapped: number;
  processes: number;
  nemesisEvents: number;
}

export interface DigestOptions {
  /** History indices to show with context (the anomalies' ops). */
  focus?: Iterable<number>;
  /** Events shown around each focused event, before and after. Default 12. */
  context?: number;
  /** Events shown from the start and from the end of the history. Defaults 150 and 60. */
  head?: number;
  tail?: number;
  /** At most this many table rows in all. Default 4000. */
  maxRows?: number;
  /** Values are cut to this many characters in the table. Default 300. */
  maxValueChars?: number;
}

const FAULT_START: Record<string, string> = { kill: 'kill', pause: 'pause' };
const FAULT_STOP: Record<string, string> = { restart: 'kill', resume: 'pause' };
const familyOf = (f: string): { family: string; start: boolean } | undefined => {
  if (f.startsWith('start-')) return { family: f.slice(6), start: true };
  if (f.startsWith('stop-')) return { family: f.slice(5), start: false };
  if (FAULT_START[f]) return { family: FAULT_START[f]!, start: true };
  if (FAULT_STOP[f]) return { family: FAULT_STOP[f]!, start: false };
  return undefined;
};

/** The last `n` items (`slice(-0)` would give them all). */
const last = <T>(xs: T[], n: number): T[] => (n > 0 ? xs.slice(-n) : []);

export class HistoryDigester {
  private readonly focus: Set<number>;
  private readonly context: number;
  private readonly head: number;
  private readonly tail: number;
  private readonly maxRows: number;
  private readonly maxValueChars: number;
  private readonly ops: OpColumns = { index: [], invokeNs: [], latencyNs: [], process: [], type: [], f: [] };
  private readonly fIds = new Map<string, number>();
  private readonly pending = new Map<number, { row: ExcerptRow; time: number }>();
  private readonly processes = new Set<number>();
  private readonly rows = new Map<number, ExcerptRow>();
  private readonly recent: ExcerptRow[] = [];
  private readonly faults: FaultBand[] = [];
  private readonly open = new Map<string, FaultBand>();
  /** The band a stop op closed, so the stop's completion (Jepsen's invoke/info pair) can extend it. */
  private readonly closedBy = new Map<string, FaultBand>();
  private after = 0;
  private events = 0;
  private lastTimeNs = 0;
  private readonly capped = new Set<number>();
  private nemesisEvents = 0;

  constructor(options: DigestOptions = {}) {
    this.focus = new Set(options.focus ?? []);
    this.context = options.context ?? 12;
    this.head = options.head ?? 150;
    this.tail = options.tail ?? 60;
    this.maxRows = options.maxRows ?? 4000;
    this.maxValueChars = options.maxValueChars ?? 300;
  }

  add(e: HistoryEvent): void {
    this.events++;
    this.lastTimeNs = e.time;
    const row = this.rowOf(e);
    if (e.process === 'nemesis') {
      this.nemesisEvents++;
      this.fault(e.f, e.time, e.index, e.value);
      this.keep(row);
    } else if (e.type === 'invoke') {
      this.processes.add(e.process);
      this.pending.set(e.process, { row, time: e.time });
    } else {
      const invoke = this.pending.get(e.process);
      this.pending.delete(e.process);
      if (invoke) {
        row.pair = invoke.row.index;
        invoke.row.pair = row.index;
      }
      this.op(row.index, invoke?.time ?? e.time, e.time, e.process, e.type, e.f);
      // An anomaly names the completion; its invoke may lie far back, so it comes along.
      if (this.focus.has(row.index) && invoke) this.keep(invoke.row);
    }
    if (this.focus.has(row.index)) {
      for (const r of last(this.recent, this.context)) this.keep(r);
      this.keep(row);
      this.after = this.context;
    } else if (row.index < this.head || this.after > 0) {
      if (this.after > 0) this.after--;
      this.keep(row);
    }
    this.recent.push(row);
    if (this.recent.length > Math.max(this.context, this.tail)) this.recent.shift();
  }

  finish(): HistoryDigest {
    for (const [process, { row, time }] of this.pending) {
      this.op(row.index, time, null, process, 'info', row.f);
      if (this.focus.has(row.index)) this.keep(row);
    }
    for (const r of last(this.recent, this.tail)) this.keep(r);
    const rows = [...this.rows.values()].sort((a, b) => a.index - b.index);
    return {
      events: this.events, lastTimeNs: this.lastTimeNs, ops: this.ops, fNames: [...this.fIds.keys()],
      faults: this.faults, rows, rowsCapped: this.capped.size, processes: this.processes.size, nemesisEvents: this.nemesisEvents,
    };
  }

  private op(index: number, invokeNs: number, completeNs: number | null, process: number, type: CompletionType, f: string): void {
    let fId = this.fIds.get(f);
    if (fId === undefined) this.fIds.set(f, (fId = this.fIds.size));
    const o = this.ops;
    o.index.push(index); o.invokeNs.push(invokeNs); o.latencyNs.push(completeNs === null ? null : completeNs - invokeNs);
    o.process.push(process); o.type.push(TYPE_CODE[type]); o.f.push(fId);
  }

  private fault(f: string, time: number, index: number, value: unknown): void {
    const kind = familyOf(f);
    if (!kind) return;
    const current = this.open.get(kind.family);
    if (kind.start) {
      if (current) return;
      const band: FaultBand = { family: kind.family, startNs: time, endNs: null, startIndex: index, label: `${f} ${truncate(JSON.stringify(value) ?? '', 120)}` };
      this.open.set(kind.family, band);
      this.faults.push(band);
      this.closedBy.delete(kind.family);
    } else if (current) {
      current.endNs = time;
      this.open.delete(kind.family);
      this.closedBy.set(kind.family, current);
    } else {
      const closed = this.closedBy.get(kind.family);
      if (closed) closed.endNs = time;
    }
  }

  private keep(row: ExcerptRow): void {
    if (this.rows.has(row.index)) return;
    if (this.rows.size >= this.maxRows) {
      this.capped.add(row.index);
      return;
    }
    this.rows.set(row.index, row);
  }

  private rowOf(e: HistoryEvent): ExcerptRow {
    const row: ExcerptRow = {
      index: e.index, timeNs: e.time, process: e.process, type: e.type, f: e.f,
      value: truncate(JSON.stringify(e.value) ?? 'null', this.maxValueChars),
    };
    if (e.error !== undefined) row.error = truncate(String(e.error), this.maxValueChars);
    return row;
  }
}
