// End-of-run forensics and the hanging-transaction detector, as one object the run drives:
//   start (before the workload)  -> the detector watches open transactions
//   afterRun (cluster still up)  -> detector stopped; a snapshot if a key's reads fell short (or always)
//   judge (after the check)      -> causes for every unseen and lost-write, hanging-transaction
//                                   anomalies, kafka/forensics.json, the verdict's sentence
//   keepEvidence                 -> server logs and segment dumps when the run is not valid
// Everything goes through Kafka's own admin API and tools (client-independent). Forensics never fail a
// run: what they cannot do is said in forensics.json and the verdict.
import fs from 'node:fs';
import path from 'node:path';
import type { Key } from '../../jepsen-style/history.ts';
import type { KafkaCluster } from '../cluster/cluster.ts';
import { eosDefaults } from '../cluster/node-config.ts';
import { readEvents } from '../run/divergences.ts';
import type { HistorySummary } from '../run/verdict-file.ts';
import type { Program } from '../workload/program.ts';
import type { Attribution, Cause } from './attribution.ts';
import { conclude } from './conclude.ts';
import { HangingDetector } from './detector.ts';
import { keepBrokerEvidence, type EvidenceResult } from './evidence.ts';
import { countCauses, type ShortKeyExplanation } from './findings.ts';
import { DEFAULT_HANGING_SETTINGS, type HangingSettings, type HangingTransaction } from './hanging.ts';
import { historyFacts, shortKeys, type KeyFacts } from './history-facts.ts';
import { kafkaTools, type KafkaTools } from './jvm.ts';
import { takeSnapshot, type ClusterSnapshot } from './snapshot.ts';
import { compactSnapshot } from './snapshot-file.ts';

import type { ForensicsMode } from './modes.ts';

export { FORENSICS_MODES, type ForensicsMode } from './modes.ts';

/** What verdict.json says about forensics (the details are in `file`). */
export interface ForensicsSummary {
  mode: ForensicsMode;
  file: string;
  /** One sentence a person can act on (the contract's `forensics.summary`); absent when there was nothing to explain. */
  summary?: string;
  shortKeys: Key[];
  causes: Partial<Record<Cause, number>>;
  hangingTransactions: number;
  detectorPolls: number;
  /** Seconds forensics added between the final reads and the check (snapshot, detector stop). */
  overheadSeconds: number;
  /** CPU seconds the detector's JVM used during the run (beside the workload, not added to the run's time). */
  detectorCpuSeconds?: number;
  /** Relative path of the broker evidence, when kept. */
  evidence?: string;
  /** Why (part of) forensics could not run. */
  unavailable?: string;
}

export interface ForensicsConfig {
  mode: ForensicsMode;
  cluster: KafkaCluster;
  program: Program;
  outDir: string;
  log: (line: string) => void;
  settings?: Partial<HangingSettings>;
  detectorIntervalMs?: number;
  snapshotTimeoutMs?: number;
}

export async function startForensics(config: ForensicsConfig): Promise<RunForensics> {
  const f = new RunForensics(config);
  await f.start();
  return f;
}

export class RunForensics {
  private tools: KafkaTools | null = null;
  private unavailable: string | undefined;
  private detector: HangingDetector | null = null;
  private snapshot: ClusterSnapshot | null = null;
  private snapshotError: string | undefined;
  private facts: Map<Key, KeyFacts> = new Map();
  private shorts: KeyFacts[] = [];
  private readonly settings: HangingSettings;
  private runStartMs = Date.now();
  private overheadMs = 0;
  private result: ForensicsSummary | undefined;
  private inconclusiveReasons: string[] = [];

  constructor(private readonly config: ForensicsConfig) {
    const abortIntervalMs = Number(eosDefaults(3)['transaction.abort.timed.out.transaction.cleanup.interval.ms']);
    this.settings = { ...DEFAULT_HANGING_SETTINGS, abortIntervalMs, ...config.settings };
  }

  private get kafkaDir(): string {
    return path.join(this.config.outDir, 'kafka');
  }

  private get topics(): string[] {
    return this.config.program.topics.map((t) => t.name);
  }

  async start(): Promise<void> {
    if (this.config.mode === 'off') return;
    try {
      this.tools = await kafkaTools(this.config.cluster.image.name);
    } catch (error) {
      this.unavailable = (error as Error).message;
      this.config.log(`forensics unavailable: ${this.unavailable}`);
      return;
    }
    fs.mkdirSync(this.kafkaDir, { recursive: true });
    this.runStartMs = Date.now();
    this.detector = new HangingDetector(this.tools, {
      bootstrap: this.config.cluster.bootstrapServers,
      topics: [...this.topics, '__consumer_offsets'],
      intervalMs: this.config.detectorIntervalMs ?? 3_000,
      settings: this.settings,
      logPath: path.join(this.kafkaDir, 'open-transactions.jsonl'),
      brokers: this.config.cluster.nodes.length,
      faultFree: () => {
        const f = this.config.cluster.faults.state();
        return f.partition === null && f.clientIsolated.length + f.killed.length + f.paused.length === 0;
      },
    });
  }

  /** Right after the final reads, while the cluster is up. */
  async afterRun(historyPath: string): Promise<void> {
    if (this.config.mode === 'off') return;
    const started = Date.now();
    const stopping = this.detector?.stop();
    this.facts = historyFacts(readEvents(historyPath));
    this.shorts = shortKeys(this.facts);
    const open = this.detector?.tracker.stillOpen().length ?? 0;
    const wanted = this.config.mode === 'always' || this.shorts.length > 0 || open > 0 || (this.detector?.tracker.hanging().length ?? 0) > 0;
    if (wanted && this.tools) {
      this.config.log(`forensics: ${this.shorts.length > 0 ? `reads of key(s) ${this.shorts.map((s) => s.key).join(', ')} fell short` : this.config.mode === 'always' ? 'taken on request' : `${open} transaction(s) still open`}; asking the brokers`);
      try {
        this.snapshot = await takeSnapshot(this.tools, {
          bootstrap: this.config.cluster.bootstrapServers,
          topics: [...this.topics, '__consumer_offsets'],
          reads: this.config.program.keys.map((k) => ({ topic: k.topic, partition: k.partition, from: 0 })),
          timeoutMs: this.config.snapshotTimeoutMs ?? 2_000,
        });
      } catch (error) {
        this.snapshotError = (error as Error).message;
        this.config.log(`forensics: no snapshot: ${this.snapshotError}`);
      }
    }
    await stopping;
    this.overheadMs = Date.now() - started;
  }

  /** After the check: attributes unseen and lost-write, adds hanging transactions, writes forensics.json. */
  judge(summary: HistorySummary): HistorySummary {
    if (this.config.mode === 'off') return summary;
    const hanging = this.hangingTransactions();
    const c = conclude({
      verdict: summary.verdict, facts: this.facts, keys: this.config.program.keys, snapshot: this.snapshot, hanging, detectorRan: (this.detector?.pollCount ?? 0) > 0,
      settings: this.settings, runStartMs: this.runStartMs, nowMs: Date.now(),
    });
    this.inconclusiveReasons = c.inconclusive;
    this.result = {
      mode: this.config.mode,
      file: 'kafka/forensics.json',
      ...(c.sentence ? { summary: c.sentence } : {}),
      shortKeys: this.shorts.map((s) => s.key),
      causes: countCauses(c.attributions),
      hangingTransactions: c.hangingCount,
      detectorPolls: this.detector?.pollCount ?? 0,
      overheadSeconds: this.overheadMs / 1000,
      ...(this.detector?.cpu != null ? { detectorCpuSeconds: this.detector.cpu } : {}),
      ...(this.unavailable || this.snapshotError ? { unavailable: this.unavailable ?? this.snapshotError } : {}),
    };
    this.writeFile(c.shortKeys, c.attributions, hanging);
    return { ...summary, verdict: c.verdict };
  }

  /** Hanging transactions seen by the detector, and any the final snapshot shows open past the threshold. */
  private hangingTransactions(): HangingTransaction[] {
    const tracker = this.detector?.tracker;
    if (!tracker) return [];
    if (this.snapshot) {
      const producers = this.snapshot.partitions.flatMap((p) => (p.producers ?? []).map((x) => ({ ...x, topic: p.topic, partition: p.partition })));
      const answered = new Set(this.snapshot.partitions.filter((p) => p.producers !== undefined).map((p) => `${p.topic}-${p.partition}`));
      tracker.observe({
        atMs: this.snapshot.takenAtMs, producers, answered, transactions: this.snapshot.transactions,
        allCoordinatorsListed: this.snapshot.listedBy.length >= this.config.cluster.nodes.length, faultFree: true,
      });
    }
    return tracker.hanging();
  }

  /** Broker evidence when the run is not valid (or always, on request), before the cluster goes. */
  async keepEvidence(summary: HistorySummary | undefined): Promise<EvidenceResult | null> {
    if (this.config.mode === 'off') return null;
    const worth = this.config.mode === 'always' || !summary || !summary.verdict.valid || this.inconclusiveReasons.length > 0;
    if (!worth) return null;
    const dir = path.join(this.kafkaDir, 'evidence');
    this.config.log(`forensics: keeping the brokers' evidence in ${dir}`);
    const result = await keepBrokerEvidence(this.config.cluster, this.tools, dir, this.topics);
    if (this.result) {
      this.result.evidence = 'kafka/evidence';
      const file = path.join(this.config.outDir, this.result.file);
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      fs.writeFileSync(file, JSON.stringify({ ...doc, evidence: result }, null, 1) + '\n');
    }
    return result;
  }

  get summary(): ForensicsSummary | undefined {
    return this.result ?? (this.config.mode === 'off' ? undefined : { mode: this.config.mode, file: 'kafka/forensics.json', shortKeys: [], causes: {}, hangingTransactions: 0, detectorPolls: 0, overheadSeconds: 0, ...(this.unavailable ? { unavailable: this.unavailable } : {}) });
  }

  get inconclusive(): string[] {
    return this.inconclusiveReasons;
  }

  /** Stops the detector if the run ended early (error, Ctrl-C). */
  async dispose(): Promise<void> {
    await this.detector?.stop().catch(() => undefined);
  }

  private writeFile(shorts: ShortKeyExplanation[], attributions: Attribution[], hanging: HangingTransaction[]): void {
    const doc = {
      summary: this.result,
      runStartMs: this.runStartMs,
      keys: this.config.program.keys,
      settings: this.settings,
      shortKeys: shorts,
      attributions,
      hangingTransactions: hanging,
      stillOpenAtEnd: this.detector?.tracker.stillOpen() ?? [],
      // Found orphaned, then seen closed: not hanging (docs/forensics.md), but kept for whoever reads the run.
      closedAfterOrphaned: this.detector?.tracker.closedAfterOrphaned() ?? [],
      snapshotError: this.snapshotError,
      detectorRan: (this.detector?.pollCount ?? 0) > 0,
      detectorError: this.detector?.error ?? undefined,
      snapshot: this.snapshot ? compactSnapshot(this.snapshot) : null,
    };
    fs.mkdirSync(this.kafkaDir, { recursive: true });
    fs.writeFileSync(path.join(this.config.outDir, 'kafka', 'forensics.json'), JSON.stringify(doc, null, 1) + '\n');
  }
}
