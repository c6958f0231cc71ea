// What a report is made of, and the decisions about it that need no I/O: the headline outcome when
// verdict.json is missing, and the repro command rebuilt from program.json.
import type { Verdict } from '../jepsen-style/checker.ts';
import type { Outcome, RunVerdict } from '../harness/run/verdict-file.ts';
import type { Program } from '../harness/workload/program.ts';
import type { HistoryDigest } from './digest.ts';
import { versionLine } from '../harness/meta/version.ts';

export type HistoryTarget = 'model' | 'kafka';

export interface HistoryReport {
  target: HistoryTarget;
  /** Relative to the run directory. */
  path: string;
  /** Null when the history could not be read or checked (then `error` says why). */
  verdict: Verdict | null;
  /** True when the verdict was computed by the report, not read from verdict.json. */
  checkedByReport: boolean;
  warnings: string[];
  error?: string;
  digest: HistoryDigest | null;
}

/** verdict.json as read: the contract promises only `valid`, so every other field may be missing. */
export type RecordedVerdict = Partial<RunVerdict> & { valid: boolean };

export interface ReportData {
  /** The run directory as the user named it. */
  dir: string;
  generatedAt: string;
  program: Program | null;
  verdict: RecordedVerdict | null;
  histories: HistoryReport[];
  /** Files that were there but could not be used, with why. */
  problems: string[];
}

export interface Headline {
  outcome: Outcome;
  complete: boolean;
  /** Why the run counts as incomplete, for the banner. */
  incompleteReasons: string[];
  seed: number | null;
  target: string;
  kafkaVersion: string | null;
  client: string | null;
  nemesis: string[];
  mutate: string | null;
  repro: string | null;
  anomalyTypes: string[];
  harnessError: string | null;
  /** Why the run could not decide (verdict.json's `inconclusive`). */
  inconclusive: string[];
  /** The harness that judged, `0.1.0 (commit 1234abcd5678)`, when verdict.json says. */
  harness: string | null;
  /** verdict.json's `forensics.summary`: one sentence on what the cluster's logs showed. */
  forensics: string | null;
}

const targetOf = (histories: HistoryReport[]): string => {
  const names = histories.map((h) => h.target);
  return names.includes('model') && names.includes('kafka') ? 'both' : names[0] ?? 'model';
};

/** The `run` command that regenerates this program from its seed (history-format.md §3). */
export function reproFromProgram(program: Program, target: string): string {
  const parts = ['npx kafka-eos run', `--seed ${program.seed}`, `--target ${target}`];
  if (program.options.nemesis.length > 0) parts.push(`--nemesis ${program.options.nemesis.join(',')}`);
  parts.push(`--time-limit ${program.options.timeLimitMs / 1000}`);
  if (program.mutate) parts.push(`--mutate ${program.mutate}`);
  return parts.join(' ');
}

export function headlineOf(d: ReportData): Headline {
  const v = d.verdict;
  const incompleteReasons: string[] = [];
  if (!v) incompleteReasons.push('there is no verdict.json: the run did not finish, so the report checked the recorded histories itself');
  else if (v.complete === false) incompleteReasons.push('verdict.json says the run stopped early: what is shown is the prefix that was recorded');
  if (d.histories.length === 0) incompleteReasons.push('no history was recorded');
  for (const h of d.histories) {
    // A torn last line means the writer died mid-line; unfinished invokes alone happen in finished runs too.
    for (const w of h.warnings) if (/torn/.test(w)) incompleteReasons.push(`${h.path}: ${w}`);
  }
  const checked = d.histories.flatMap((h) => (h.verdict ? [h.verdict] : []));
  const anomalyTypes = v?.anomalyTypes ?? [...new Set(checked.flatMap((x) => x.invalidTypes))].sort();
  const unreadable = d.histories.filter((h) => h.error !== undefined);
  const outcome: Outcome = v?.outcome ?? (v ? (v.valid ? 'valid' : 'anomalies') : unreadable.length > 0 ? 'harness-error' : anomalyTypes.length > 0 ? 'anomalies' : 'valid');
  const target = v?.target ?? targetOf(d.histories);
  const forensics = (v as { forensics?: { summary?: unknown } } | null)?.forensics;
  return {
    outcome,
    complete: incompleteReasons.length === 0,
    incompleteReasons,
    seed: v?.seed ?? d.program?.seed ?? null,
    target,
    kafkaVersion: v?.kafkaVersion ?? null,
    client: v?.client ?? null,
    nemesis: v?.nemesis ?? d.program?.options.nemesis ?? [],
    mutate: v?.mutate ?? d.program?.mutate ?? null,
    repro: v?.repro ?? (d.program ? reproFromProgram(d.program, target) : null),
    anomalyTypes,
    harnessError: v?.harnessError ?? (unreadable.length > 0 ? unreadable.map((h) => `${h.path}: ${h.error}`).join('; ') : null),
    inconclusive: Array.isArray(v?.inconclusive) ? v.inconclusive.filter((r): r is string => typeof r === 'string') : [],
    harness: typeof v?.harness?.version === 'string' ? versionLine(v.harness) : null,
    forensics: typeof forensics?.summary === 'string' ? forensics.summary : null,
  };
}
