// Reads what a run directory holds (program.json, histories, verdict.json) into ReportData. A file
// that is missing or broken is reported, not fatal: a crashed run still gets a report of what it left.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../harness/cli/exit-codes.ts';
import { programInfoOf } from '../harness/workload/programInfo.ts';
import { readProgramFile } from '../harness/workload/programFile.ts';
import type { Program } from '../harness/workload/program.ts';
import { checkHistoryFile } from '../jepsen-style/check-file.ts';
import type { Verdict } from '../jepsen-style/checker.ts';
import { readHistoryFile } from '../jepsen-style/reader.ts';
import { HistoryDigester, type DigestOptions } from './digest.ts';
import type { HistoryReport, HistoryTarget, RecordedVerdict, ReportData } from './run-data.ts';

const TARGETS: HistoryTarget[] = ['model', 'kafka'];
/** Anomaly examples per type whose ops get a window in the history table. */
const FOCUS_PER_TYPE = 40;

export interface LoadOptions {
  digest?: Omit<DigestOptions, 'focus'>;
  /** Fixed for reproducible output in tests; default now. */
  generatedAt?: string;
}

/** Throws a usage error (exit 2) when DIR is not a directory or holds neither a history nor a program. */
export async function loadRunData(dir: string, options: LoadOptions = {}): Promise<ReportData> {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw usageError(`report: ${dir}: no such directory (give the --out directory of a kafka-eos run)`);
  }
  const problems: string[] = [];
  const program = readProgram(dir, problems);
  const verdict = readVerdict(dir, problems);
  const present = TARGETS.filter((t) => existsSync(path.join(dir, t, 'history.jsonl')));
  if (present.length === 0 && !program) {
    throw usageError(`report: ${dir} holds no model/history.jsonl, kafka/history.jsonl or program.json, so there is nothing to report (give the --out directory of a kafka-eos run)`);
  }
  const histories: HistoryReport[] = [];
  for (const target of present) histories.push(await loadHistory(dir, target, program, verdict, options.digest ?? {}));
  return { dir, generatedAt: options.generatedAt ?? new Date().toISOString(), program, verdict, histories, problems };
}

function readProgram(dir: string, problems: string[]): Program | null {
  const file = path.join(dir, 'program.json');
  if (!existsSync(file)) return null;
  try {
    return readProgramFile(file);
  } catch (e) {
    problems.push(`program.json could not be used: ${(e as Error).message}`);
    return null;
  }
}

function readVerdict(dir: string, problems: string[]): RecordedVerdict | null {
  const file = path.join(dir, 'verdict.json');
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as RecordedVerdict;
    if (typeof v !== 'object' || v === null || typeof v.valid !== 'boolean') throw new Error('it has no boolean "valid" field');
    return v;
  } catch (e) {
    problems.push(`verdict.json could not be used (${(e as Error).message}); the histories were checked by the report instead`);
    return null;
  }
}

async function loadHistory(dir: string, target: HistoryTarget, program: Program | null, runVerdict: RecordedVerdict | null, digestOptions: Omit<DigestOptions, 'focus'>): Promise<HistoryReport> {
  const rel = `${target}/history.jsonl`;
  const file = path.join(dir, rel);
  // Trusted only if it has the checker's shape; otherwise the report checks the history itself.
  const recorded = isVerdict(runVerdict?.histories?.[target]?.verdict) ? runVerdict!.histories![target]! : undefined;
  let verdict: Verdict | null = recorded?.verdict ?? null;
  let warnings = Array.isArray(recorded?.warnings) ? recorded.warnings : [];
  let error: string | undefined;
  if (!verdict) {
    try {
      ({ verdict, warnings } = await checkHistoryFile(file, program ? { program: programInfoOf(program) } : {}));
    } catch (e) {
      error = (e as Error).message;
    }
  }
  const digester = new HistoryDigester({ ...digestOptions, ...focusOf(verdict, runVerdict) });
  try {
    await readHistoryFile(file, (e) => digester.add(e));
  } catch (e) {
    // Keep what was read before the bad line: it is still the recorded prefix.
    error ??= (e as Error).message;
  }
  return { target, path: rel, verdict, checkedByReport: !recorded, warnings, ...(error !== undefined ? { error } : {}), digest: digester.finish() };
}

/** The ops to show with context: of invalidating anomalies and divergences first, of allowed anomalies after the end. */
function focusOf(verdict: Verdict | null, runVerdict: RecordedVerdict | null): { focus: number[]; secondaryFocus: number[] } {
  const focus: number[] = [], secondaryFocus: number[] = [];
  for (const list of Object.values(verdict?.anomalies ?? {})) {
    for (const a of list.slice(0, FOCUS_PER_TYPE)) (a.allowed ? secondaryFocus : focus).push(...a.ops);
  }
  for (const d of runVerdict?.divergences ?? []) focus.push(...(d.ops ?? []));
  return { focus, secondaryFocus };
}

function isVerdict(v: unknown): v is Verdict {
  const x = v as Verdict | undefined;
  return typeof x === 'object' && x !== null && typeof x.valid === 'boolean' && Array.isArray(x.anomalyTypes)
    && typeof x.anomalies === 'object' && x.anomalies !== null && typeof x.stats === 'object';
}
