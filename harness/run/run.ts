// `kafka-eos run` without the command line: program → model and/or real cluster → histories →
// checker → verdict.json (+ the report). Each stage writes to the run directory as it goes, so a run
// that stops early leaves everything recorded so far, and verdict.json says it is incomplete.
import fs from 'node:fs';
import path from 'node:path';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { startCluster, type KafkaCluster } from '../cluster/cluster.ts';
import { onInterrupt } from '../cluster/interrupts.ts';
import { CliError } from '../cli/exit-codes.ts';
import { runKafka, type KafkaProgress } from '../kafka-runner/run-kafka.ts';
import { enableClientFixes, type ClientFix } from '../kafka-runner/client-fixes.ts';
import { runModel } from '../model-runner/runModel.ts';
import type { Program } from '../workload/program.ts';
import { writeProgramFile } from '../workload/programFile.ts';
import type { HistorySummary, RunVerdict, Target } from './verdict-file.ts';
import { writeVerdict } from './verdict.ts';
import { comparisonDivergences, conformanceDivergences, readEvents } from './divergences.ts';
import type { Divergence } from './verdict-file.ts';
import { startForensics, type ForensicsMode, type RunForensics } from '../forensics/forensics.ts';

export const CLIENT = 'kafkajs 2.2.4';

export interface RunConfig {
  program: Program;
  target: Target;
  outDir: string;
  kafkaVersion: string;
  repro: string;
  /** Known kafkajs bugs to fix for this run (none by default: the stock client is under test too). */
  clientFixes?: readonly ClientFix[];
  /** End-of-run forensics and the hanging-transaction detector (harness/forensics): default auto. */
  forensics?: ForensicsMode;
  log: (line: string) => void;
  progress: (line: string) => void;
}

export async function runProgram(config: RunConfig): Promise<RunVerdict> {
  const { program, target, outDir } = config;
  fs.mkdirSync(outDir, { recursive: true });
  const clientFixes = [...(config.clientFixes ?? [])];
  if (target !== 'model') enableClientFixes(clientFixes);
  writeProgramFile(outDir, program);
  const startedAt = new Date();
  const histories: RunVerdict['histories'] = {};
  const divergences: Divergence[] = [];
  const notes: string[] = [];
  const inconclusive: string[] = [];
  const base = {
    seed: program.seed, target, nemesis: program.options.nemesis, mutate: program.mutate, txnVersion: program.txnVersion,
    timeLimitSeconds: program.phases.timeLimitMs / 1000, client: clientFixes.length > 0 ? `${CLIENT} (fixed: ${clientFixes.join(', ')})` : CLIENT, clientFixes, repro: config.repro, startedAt: startedAt.toISOString(),
    kafkaVersion: target === 'model' ? null : config.kafkaVersion, kafkaImage: null as string | null,
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

  let cluster: KafkaCluster | undefined;
  let forensics: RunForensics | undefined;
  try {
    if (target !== 'kafka') {
      config.log('running the program against the model');
      const result = await runModel(program, outDir, { signal: abort.signal, txnVersion: 1 });
      histories.model = await summarize(outDir, result.historyPath, result.programInfo);
    }
    if (target !== 'model' && !abort.signal.aborted) {
      cluster = await startCluster({ nodes: program.nodes.length, kafkaVersion: config.kafkaVersion, log: config.log });
      base.kafkaImage = cluster.image.name;
      base.kafkaVersion = cluster.image.version;
      config.log(`cluster ready: ${cluster.bootstrapServers}; running the program against Kafka`);
      forensics = await startForensics({ mode: config.forensics ?? 'auto', cluster, program, outDir, log: config.log });
      const result = await runKafka(program, outDir, {
        cluster, signal: abort.signal, onProgress: (p) => config.progress(progressLine(p)),
      });
      await forensics.afterRun(result.historyPath);
      histories.kafka = forensics.judge(await summarize(outDir, result.historyPath, result.programInfo));
      inconclusive.push(...forensics.inconclusive);
      await forensics.keepEvidence(histories.kafka);
      await cluster.stop();
      cluster = undefined;
      if (!abort.signal.aborted) {
        config.log('holding the Kafka history against the model');
        const kafkaEvents = readEvents(result.historyPath);
        const conformance = conformanceDivergences(kafkaEvents, result.programInfo);
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
    await cluster?.stop();
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
