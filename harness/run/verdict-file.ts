// verdict.json: what `kafka-eos run` concludes, for scripts (contract: at least `{"valid": bool}`) and
// for the report. One file per run directory, beside program.json and the histories.
import type { Verdict } from '../../jepsen-style/checker.ts';
import type { ForensicsSummary } from '../forensics/forensics.ts';
import type { HarnessIdentity } from '../meta/version.ts';
import type { TargetRecord } from '../target/target.ts';

export type Target = 'model' | 'kafka' | 'both';
/**
 * `inconclusive`: nothing proves a violation, but the harness could not decide either (a replay that
 * cannot order an `info` op, final reads that fell short without a cause): Jepsen's `:valid? :unknown`.
 */
export type Outcome = 'valid' | 'anomalies' | 'model-divergence' | 'inconclusive' | 'harness-error';

export interface HistorySummary {
  /** Relative to the run directory: `model/history.jsonl` or `kafka/history.jsonl`. */
  path: string;
  verdict: Verdict;
  /** Warnings from reading the file (e.g. a torn last line was dropped). */
  warnings: string[];
}

export interface RunVerdict {
  /** The contract's field: true only when the run was judged valid (false too when inconclusive). */
  valid: boolean;
  outcome: Outcome;
  /** False when the run stopped early (Ctrl-C, crash, harness error): what is here is a prefix. */
  complete: boolean;
  seed: number;
  target: Target;
  nemesis: string[];
  mutate: string | null;
  txnVersion: 1 | 2;
  timeLimitSeconds: number;
  kafkaVersion: string | null;
  kafkaImage: string | null;
  /** The client library and version that talked to Kafka, e.g. `kafkajs 2.2.4`. */
  client: string;
  /** The client under test by name (`kafkajs`, `java`, `franz-go`) and version; absent in older runs (kafkajs). */
  clientName?: string;
  clientVersion?: string;
  /**
   * The transaction version (KIP-890) the client's transactions ran under, as the client itself saw it
   * (`txnVersion` is what the cluster offered); null when no transaction told.
   */
  clientTxnVersion?: 1 | 2 | null;
  /**
   * `--client a,b`: the same program and fault schedule ran once per client, each on a fresh cluster,
   * in a subdirectory of its own; this verdict combines theirs (harness/clients/compare.ts).
   */
  clients?: ClientRunSummary[];
  /** Each invalid anomaly type with the clients whose runs showed it; one not seen by all is theirs. */
  anomalyClients?: Record<string, string[]>;
  /** kafkajs bugs fixed for this run (`--client-fix`), e.g. `abort-filter`; empty or absent (older runs): the stock client. */
  clientFixes?: string[];
  /** The one-line command that reproduces this run from scratch. */
  repro: string;
  startedAt: string;
  durationSeconds: number;
  histories: Partial<Record<'model' | 'kafka', HistorySummary>>;
  /** Invalid anomaly names across the histories, sorted. */
  anomalyTypes: string[];
  /** Model-vs-real comparison and conformance findings, when the target allowed them. */
  divergences: Divergence[];
  /** Things the run could not judge and says so (e.g. a model replay it had to stop or skip). */
  notes?: string[];
  /** Why the harness could not decide, one sentence each; non-empty exactly when outcome is `inconclusive` (or worse). */
  inconclusive: string[];
  /** Where the run's Kafka was (harness/target): the harness' own cluster or an existing one, its namespace, the fault backend. Absent: model only, or older runs. */
  cluster?: TargetRecord;
  /** The harness that judged: package version and git commit. */
  harness: HarnessIdentity;
  /** What stopped the harness from doing its job, when outcome is `harness-error`. */
  harnessError?: string;
  /** End-of-run forensics (harness/forensics): the sentence to act on; details in kafka/forensics.json. */
  forensics?: ForensicsSummary;
}

export interface Divergence {
  kind: string;
  explanation: string;
  ops?: number[];
}

/** One client's run inside a multi-client verdict. */
export interface ClientRunSummary {
  /** Label, e.g. `java (kafka-clients) 4.4.0`. */
  client: string;
  clientName: string;
  clientVersion: string;
  clientTxnVersion: 1 | 2 | null;
  /** Relative to the combined run directory. */
  dir: string;
  outcome: Outcome;
  anomalyTypes: string[];
  complete: boolean;
  ops: { ok: number; fail: number; info: number } | null;
  inconclusive: string[];
  harnessError?: string;
}
