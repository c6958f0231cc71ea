// Streams history.jsonl: one JSON.parse per line, rules checked as lines arrive, nothing kept but
// what the caller's sink keeps. A run that is killed leaves a torn last line (history-format.md §1),
// so a line that is not JSON is only an error once another line follows it.
import { createReadStream } from 'node:fs';
import type { HistoryEvent } from './history.ts';
import { HistoryFormatError, HistoryRules } from './rules.ts';

export interface ReadSummary {
  /** Events accepted. */
  count: number;
  /** Human-readable notes (a dropped torn line, unfinished invokes). */
  warnings: string[];
}

/** Splits text into lines, validates each event and hands it to `sink`, in order. */
export class HistoryLineParser {
  private readonly rules = new HistoryRules();
  private line = 0;
  private events = 0;
  private carry = '';
  private torn: { line: number; reason: string } | undefined;

  constructor(private readonly sink: (event: HistoryEvent) => void) {}

  push(chunk: string): void {
    const text = this.carry + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.handle(text.slice(start, nl));
      start = nl + 1;
    }
    this.carry = text.slice(start);
  }

  end(): ReadSummary {
    if (this.carry.length > 0) this.handle(this.carry);
    this.carry = '';
    const warnings: string[] = [];
    if (this.torn) warnings.push(`line ${this.torn.line}: torn last line dropped (${this.torn.reason})`);
    const unfinished = this.rules.unfinished();
    if (unfinished.length > 0) {
      warnings.push(`${unfinished.length} invoke(s) without completion treated as info (processes ${unfinished.slice(0, 10).join(', ')}${unfinished.length > 10 ? ', ...' : ''})`);
    }
    return { count: this.events, warnings };
  }

  private handle(text: string): void {
    this.line++;
    if (this.torn) {
      throw new HistoryFormatError(this.torn.line, `not valid JSON (${this.torn.reason}); only the last line may be torn. Fix or remove that line`);
    }
    if (text.length === 0 || (text.trim().length === 0)) {
      this.torn = { line: this.line, reason: 'empty line' };
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      this.torn = { line: this.line, reason: (error as Error).message };
      return;
    }
    this.sink(this.rules.accept(raw, this.line));
    this.events++;
  }
}

/** Reads a history file, streaming; throws HistoryFormatError (with a line number) on bad input. */
export async function readHistoryFile(path: string, sink: (event: HistoryEvent) => void): Promise<ReadSummary> {
  const parser = new HistoryLineParser(sink);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) parser.push(chunk as string);
  return parser.end();
}

/** Parses a whole history held in memory (tests, small files). */
export function parseHistoryText(text: string): { events: HistoryEvent[] } & ReadSummary {
  const events: HistoryEvent[] = [];
  const parser = new HistoryLineParser((e) => events.push(e));
  parser.push(text);
  return { ...parser.end(), events };
}
