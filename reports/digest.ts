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
  /** The nodes it hit, in words: `n1`, `n1, n3`, `n2 n3 | n1` (a partition's sides); '' when the op did not say. */
  target: string;
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
  /** History indices to show with context (the ops of anomalies that invalidate the history, of divergences). */
  focus?: Iterable<number>;
  /** The same, ranked after the end of the history under the row cap (the ops of allowed anomalies). */
  secondaryFocus?: Iterable<number>;
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

/** Node ids a nemesis value names (`nodes`, or a partition's sides), sorted; [] when it names none. */
function nodesOf(value: unknown): number[] {
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Record<string, unknown>;
  const ids = ['nodes', 'isolated', 'majority', 'minority', 'ring'].flatMap((k) => (Array.isArray(v[k]) ? (v[k] as unknown[]) : []));
  return [...new Set(ids.filter((n): n is number => typeof n === 'number'))].sort((a, b) => a - b);
}

const sameNodes = (a: number[], b: number[]) => a.length === b.length && a.every((n, i) => n === b[i]);
const names = (xs: unknown) => (Array.isArray(xs) ? xs.map((n) => `n${n}`).join(' ') : '');

/** The nodes a fault hit, as a person reads them: `n1`, `n2 n3 | n1`, `ring n2 n1 n3`, `clients | n1`. */
function targetOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value === 'string' ? value : '';
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'one': return `${names(v.isolated)} isolated`;
    case 'majority-minority': return `${names(v.majority)} | ${names(v.minority)}`;
    case 'majorities-ring': return `ring ${names(v.ring)}`;
    case 'client-isolation': return `clients | ${names(v.nodes)}`;
    default: return names(v.nodes);
  }
}

/** What the excerpt keeps first when it cannot keep every wanted row (lower first). */
const RANK = { cited: 0, tail: 1, window: 2, secondary: 3, secondaryWindow: 4, nemesis: 5, head: 6 } as const;

/** The last `n` items (`slice(-0)` would give them all). */
const last = <T>(xs: T[], n: number): T[] => (n > 0 ? xs.slice(-n) : []);

export class HistoryDigester {
  /** History index → the rank of that cited event (RANK.cited, or RANK.secondary for allowed anomalies' ops). */
  private readonly focus: Map<number, number>;
  private readonly context: number;
  private readonly head: number;
  private readonly tail: number;
  private readonly maxRows: number;
  private readonly maxValueChars: number;
  private readonly ops: OpColumns = { index: [], invokeNs: [], latencyNs: [], process: [], type: [], f: [] };
  private readonly fIds = new Map<string, number>();
  private readonly pending = new Map<number, { row: ExcerptRow; time: number }>();
  private readonly processes = new Set<number>();
  /** Every row the excerpt wants, with its rank (lower is kept first when the row cap bites). */
  private readonly wanted = new Map<number, { row: ExcerptRow; rank: number }>();
  private readonly recent: ExcerptRow[] = [];
  private readonly faults: FaultBand[] = [];
  /** Bands in force, per family: several at once when they hit different nodes (kill n1, then kill n3). */
  private readonly open = new Map<string, Array<FaultBand & { nodes: number[] }>>();
  /** The bands a stop op closed, so the stop's completion (Jepsen's invoke/info pair) can extend them. */
  private readonly closedBy = new Map<string, FaultBand[]>();
  /** Rows still to keep after the last focused event, and how far the next one is from it. */
  private after = 0;
  private afterDistance = 0;
  private afterRank: number = RANK.window;
  private events = 0;
  private lastTimeNs = 0;
  private nemesisEvents = 0;

  constructor(options: DigestOptions = {}) {
    this.focus = new Map([...[...(options.secondaryFocus ?? [])].map((i): [number, number] => [i, RANK.secondary]), ...[...(options.focus ?? [])].map((i): [number, number] => [i, RANK.cited])]);
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
      this.keep(row, RANK.nemesis);
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
      const cited = this.focus.get(row.index);
      if (cited !== undefined && invoke) this.keep(invoke.row, cited);
    }
    const cited = this.focus.get(row.index);
    if (cited !== undefined) {
      // Its window ranks just after it: the next rank (the tail comes between a cited event and its window).
      const window = cited === RANK.cited ? RANK.window : RANK.secondaryWindow;
      const before = last(this.recent, this.context);
      before.forEach((r, i) => this.keep(r, window + (before.length - i) / 1000));
      this.keep(row, cited);
      this.after = this.context;
      this.afterDistance = 0;
      this.afterRank = window;
    } else if (this.after > 0) {
      this.after--;
      this.keep(row, this.afterRank + ++this.afterDistance / 1000);
    }
    if (row.index < this.head) this.keep(row, RANK.head);
    this.recent.push(row);
    if (this.recent.length > Math.max(this.context, this.tail)) this.recent.shift();
  }

  finish(): HistoryDigest {
    for (const [process, { row, time }] of this.pending) {
      this.op(row.index, time, null, process, 'info', row.f);
      const cited = this.focus.get(row.index);
      if (cited !== undefined) this.keep(row, cited);
    }
    for (const r of last(this.recent, this.tail)) this.keep(r, RANK.tail);
    // The row cap drops the least wanted rows: the events that invalidating anomalies cite and the end
    // of the history go first to the excerpt, then the windows around them (nearest first), then the
    // ops of allowed anomalies and their windows, the faults, the start.
    const ranked = [...this.wanted.values()].sort((a, b) => a.rank - b.rank || a.row.index - b.row.index);
    const rows = ranked.slice(0, this.maxRows).map((w) => w.row).sort((a, b) => a.index - b.index);
    return {
      events: this.events, lastTimeNs: this.lastTimeNs, ops: this.ops, fNames: [...this.fIds.keys()],
      faults: this.faults.map(({ family, startNs, endNs, startIndex, label, target }) => ({ family, startNs, endNs, startIndex, label, target })), rows, rowsCapped: Math.max(0, ranked.length - this.maxRows), processes: this.processes.size, nemesisEvents: this.nemesisEvents,
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
    const open = this.open.get(kind.family) ?? [];
    const nodes = nodesOf(value);
    if (kind.start) {
      // A start already in force on the same nodes is the completion of its invoke (or a repeat).
      if (open.some((b) => sameNodes(b.nodes, nodes))) return;
      const band = { family: kind.family, startNs: time, endNs: null, startIndex: index, label: `${f} ${truncate(JSON.stringify(value) ?? '', 120)}`, target: targetOf(value), nodes };
      this.open.set(kind.family, [...open, band]);
      this.faults.push(band);
      this.closedBy.delete(kind.family);
      return;
    }
    // A stop that names nodes heals the bands on those nodes; one that names none heals the family.
    const healed = open.filter((b) => nodes.length === 0 || b.nodes.length === 0 || b.nodes.some((n) => nodes.includes(n)));
    if (healed.length > 0) {
      for (const b of healed) b.endNs = time;
      this.open.set(kind.family, open.filter((b) => !healed.includes(b)));
      this.closedBy.set(kind.family, healed);
    } else {
      for (const b of this.closedBy.get(kind.family) ?? []) b.endNs = time;
    }
  }

  private keep(row: ExcerptRow, rank: number): void {
    const w = this.wanted.get(row.index);
    if (w === undefined) this.wanted.set(row.index, { row, rank });
    else if (rank < w.rank) w.rank = rank;
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
