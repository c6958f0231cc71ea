// `kafka-eos run` without the command line: program → model and/or real cluster → histories →
// checker → verdict.json (+ the report). Each stage writes to the run directory as it goes, so a run
// that stops early leaves everything recorded so far, and verdict.json says it is incomplete.
import fs from 'node:fs';
import path from 'node:path';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import type { KafkaCluster } from '../cluster/cluster.ts';
import { openTarget } from '../target/open.ts';
import type { TargetSettings } from '../target/settings.ts';
import type { OpenTarget } from '../target/target.ts';
import { onInterrupt } from '../cluster/interrupts.ts';
import { CliError } from '../cli/exit-codes.ts';
import { runKafka, type KafkaProgress } from '../kafka-runner/run-kafka.ts';
import { enableClientFixes, type ClientFix } from '../kafka-runner/client-fixes.ts';
import type { ClientKind } from '../clients/client.ts';
import { clientKindOf } from '../clients/registry.ts';
import type { ClientSpec } from '../clients/spec.ts';
import { runModel } from '../model-runner/runModel.ts';
import type { Program } from '../workload/program.ts';
import { writeProgramFile } from '../workload/programFile.ts';
import type { HistorySummary, RunVerdict, Target } from './verdict-file.ts';
import { writeVerdict } from './verdict.ts';
import { comparisonDivergences, conformanceDivergences, readEvents } from './divergences.ts';
import { workersOfProgram } from '../../jepsen-style/conformance/attribution.ts';
import type { Divergence } from './verdict-file.ts';
import { startForensics, type ForensicsMode, type RunForensics } from '../forensics/forensics.ts';


export interface RunConfig {
  program: Program;
  target: Target;
  outDir: string;
  kafkaVersion: string;
  repro: string;
  /** Known kafkajs bugs to fix for this run (none by default: the stock client is under test too). */
  clientFixes?: readonly ClientFix[];
  /** The client library under test (harness/clients, `--client`); kafkajs when absent. */
  client?: ClientSpec | ClientKind;
  /** An existing cluster and the fault backend (harness/target); absent: a fresh cluster of the harness' own. */
  cluster?: TargetSettings;
  /** End-of-run forensics and the hanging-transaction detector (harness/forensics): default auto. */
  forensics?: ForensicsMode;
  log: (line: string) => void;
  progress: (line: string) => void;
}

export async function runProgram(config: RunConfig): Promise<RunVerdict> {
  const { program, target, outDir } = config;
  fs.mkdirSync(outDir, { recursive: true });
  const clientFixes = [...(config.clientFixes ?? [])];
  const client = config.client === undefined ? clientKindOf({ name: 'kafkajs', version: 'installed' })
    : 'start' in config.client ? config.client : clientKindOf(config.client);
  const clientLabel = client.description.label;
  if (target !== 'model') enableClientFixes(clientFixes);
  writeProgramFile(outDir, program);
  const startedAt = new Date();
  const histories: RunVerdict['histories'] = {};
  const divergences: Divergence[] = [];
  const notes: string[] = [];
  const inconclusive: string[] = [];
  const base = {
    seed: program.seed, target, nemesis: program.options.nemesis, mutate: program.mutate, txnVersion: program.txnVersion,
    timeLimitSeconds: program.phases.timeLimitMs / 1000, client: clientFixes.length > 0 ? `${clientLabel} (fixed: ${clientFixes.join(', ')})` : clientLabel, clientFixes,
    clientName: client.description.name, clientVersion: client.description.version, clientTxnVersion: null as 1 | 2 | null, repro: config.repro, startedAt: startedAt.toISOString(),
    kafkaVersion: target === 'model' ? null : config.kafkaVersion, kafkaImage: null as string | null,
    cluster: undefined as OpenTarget['record'] | undefined,
  };
  const finish = (extra: Partial<RunVerdict> & { complete: boolean }) =>
    writeVerdict(outDir, { ...base, histories, divergences, notes, inconclusive, durationSeconds: (Date.now() - startedAt.getTime()) / 1000, ...extra });

  const abort = new AbortController();
  let interrupted = false;
  const forget = onInterrupt(async () => {
    interrupted = true;
    abort.abort();
    // Give the runner a moment to close its history; the cluster's own cleanup comes after this one.
    await new Promise((r) => setTimeout(r, 2_000));
    await finish({ complete: false, harnessError: 'interrupted (Ctrl-C / signal): the histories are prefixes' });
  });

  let cluster: (OpenTarget & { managed: KafkaCluster | null }) | undefined;
  let forensics: RunForensics | undefined;
  try {
    if (target !== 'kafka') {
      config.log('running the program against the model');
      const result = await runModel(program, outDir, { signal: abort.signal, txnVersion: program.txnVersion, client: client.description.name });
      histories.model = await summarize(outDir, result.historyPath, result.programInfo);
    }
    if (target !== 'model' && !abort.signal.aborted) {
      await client.prepare(config.log); // a driver build (cached) before the cluster, so a bad version costs no cluster
      cluster = await openTarget(config.cluster, program, { outDir, kafkaVersion: config.kafkaVersion, log: config.log });
      base.kafkaImage = cluster.kafkaImage;
      base.kafkaVersion = cluster.kafkaVersion;
      base.cluster = cluster.record;
      config.log(`cluster ready: ${cluster.brokers.join(',')}; running the program against Kafka`);
      // Forensics read the brokers' containers (logs, segment dumps): only a cluster of the harness' own has them.
      if (cluster.managed) forensics = await startForensics({ mode: config.forensics ?? 'auto', cluster: cluster.managed, program: cluster.program, outDir, log: config.log });
      else if (config.forensics === 'always') notes.push('forensics: not taken on an existing cluster (--bootstrap): they read the brokers\' containers');
      const result = await runKafka(cluster.program, outDir, {
        cluster, signal: abort.signal, client, onProgress: (p) => config.progress(progressLine(p)),
      });
      base.clientTxnVersion = result.clientTxnVersion;
      await forensics?.afterRun(result.historyPath);
      const summary = await summarize(outDir, result.historyPath, result.programInfo);
      histories.kafka = forensics ? forensics.judge(summary) : summary;
      inconclusive.push(...(forensics?.inconclusive ?? []));
      await forensics?.keepEvidence(histories.kafka);
      // The names the cluster saw: on an existing cluster, the program's ids prefixed with the run's namespace.
      const ranProgram = cluster.program;
      await cluster.close();
      cluster = undefined;
      if (!abort.signal.aborted) {
        config.log('holding the Kafka history against the model');
        const kafkaEvents = readEvents(result.historyPath);
        const conformance = conformanceDivergences(kafkaEvents, result.programInfo, { workers: workersOfProgram(ranProgram), client: client.description.name, txnVersion: result.clientTxnVersion, clusterTxnVersion: program.txnVersion });
        if (conformance.note) {
          config.log(conformance.note);
          notes.push(conformance.note);
        }
        divergences.push(...conformance.divergences);
        inconclusive.push(...(conformance.inconclusive ?? []));
        if (histories.model) divergences.push(...comparisonDivergences(readEvents(`${outDir}/${histories.model.path}`), kafkaEvents));
      }
    }
    return await finish({ complete: !interrupted && !abort.signal.aborted, ...(forensics?.summary ? { forensics: forensics.summary } : {}) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finish({ complete: false, harnessError: message });
    throw error instanceof CliError ? error : new CliError(message, 3);
  } finally {
    forget();
    await forensics?.dispose();
    await cluster?.close();
  }
}

async function summarize(outDir: string, historyPath: string, program: ProgramInfo): Promise<HistorySummary> {
  const { verdict, warnings } = await checkHistoryFile(historyPath, { program });
  fs.writeFileSync(path.join(path.dirname(historyPath), 'program-info.json'), JSON.stringify(program, null, 1) + '\n');
  return { path: path.relative(outDir, historyPath), verdict, warnings };
}

function progressLine(p: KafkaProgress): string {
  const s = p.stats;
  return `[${(p.elapsedMs / 1000).toFixed(0)}s ${p.phase}] ops ${s.ops} (ok ${s.ok}, fail ${s.fail}, info ${s.info}) · faults: ${p.faults}`;
}
