// Re-judging a recorded run without Kafka: the checker over its Kafka history and the conformance replay
// against the model, as `kafka-eos run` does after the cluster is gone. A run directory kept as a fixture
// (test/fixtures/runs/) is re-judged in the unit suite, so a false alarm once fixed stays fixed, and a real
// finding stays found. Reads what a run directory holds: program.json (its workers), kafka/history.jsonl,
// kafka/program-info.json, and verdict.json (the client that ran).
import fs from 'node:fs';
import path from 'node:path';
import { workersOfProgram } from '../../jepsen-style/conformance/attribution.ts';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { namespaced } from '../target/namespace.ts';
import type { Program } from '../workload/program.ts';
import { type ConformanceOptions, conformanceDivergences, readEvents, replayProtocol } from './divergences.ts';
import type { Divergence } from './verdict-file.ts';

export type RecheckOutcome = 'valid' | 'anomalies' | 'model-divergence' | 'inconclusive';

export interface RecheckResult {
  dir: string;
  outcome: RecheckOutcome;
  /** The modelled client and transaction version the history was held to. */
  modelled: string;
  /** Invalid anomaly names the checker found, sorted. */
  anomalyTypes: string[];
  divergences: Divergence[];
  inconclusive: string[];
  note?: string;
  checkMs: number;
  replayMs: number;
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

/** What the run's verdict.json says about its client: the library (kafkajs when it does not say), the
 *  transaction version its transactions ran under, and the cluster's (program.json). */
export function runClient(dir: string): Pick<ConformanceOptions, 'client' | 'txnVersion' | 'clusterTxnVersion'> {
  const verdict = fs.existsSync(path.join(dir, 'verdict.json'))
    ? readJson(path.join(dir, 'verdict.json')) as { clientName?: string | null; client?: string; clientTxnVersion?: 1 | 2 | null; txnVersion?: number } : {};
  const program = fs.existsSync(path.join(dir, 'program.json')) ? readJson(path.join(dir, 'program.json')) as { txnVersion?: number } : {};
  // Runs recorded before the client boundary name only a label ("kafkajs 2.2.4 (fixed: ...)").
  const client = verdict.clientName ?? verdict.client?.split(' ')[0] ?? 'kafkajs';
  const cluster = program.txnVersion ?? verdict.txnVersion;
  return {
    client: client === 'java' || client === 'franz-go' ? client : 'kafkajs',
    txnVersion: verdict.clientTxnVersion ?? null,
    ...(cluster === 1 || cluster === 2 ? { clusterTxnVersion: cluster } : {}),
  };
}

/**
 * The namespace a run on an existing cluster (--bootstrap) put before its Kafka names (verdict.json
 * `cluster.namespace`); '' for a cluster of the harness' own. program.json keeps the seed's plain names.
 */
export function runNamespace(dir: string): string {
  const file = path.join(dir, 'verdict.json');
  const verdict = fs.existsSync(file) ? readJson(file) as { cluster?: { namespace?: unknown } | null } : {};
  return typeof verdict.cluster?.namespace === 'string' ? verdict.cluster.namespace : '';
}

export async function recheckRunDir(dir: string): Promise<RecheckResult> {
  const history = path.join(dir, 'kafka', 'history.jsonl');
  if (!fs.existsSync(history)) throw new Error(`${dir}: no kafka/history.jsonl (recheck judges a run against Kafka; run it with --target kafka or both)`);
  const infoFile = path.join(dir, 'kafka', 'program-info.json');
  const program: ProgramInfo = fs.existsSync(infoFile) ? readJson(infoFile) as ProgramInfo : {};
  // The workers as the cluster saw them, as `kafka-eos run` holds them (its namespaced program).
  const ns = runNamespace(dir);
  const plain = fs.existsSync(path.join(dir, 'program.json')) ? readJson(path.join(dir, 'program.json')) : null;
  const workers = plain === null ? [] : workersOfProgram(ns === '' ? plain : namespaced(plain as Program, ns));
  let t = Date.now();
  const { verdict } = await checkHistoryFile(history, { program });
  const checkMs = Date.now() - t;
  t = Date.now();
  const client = runClient(dir);
  const conformance = conformanceDivergences(readEvents(history), program, { workers, ...client });
  const replayMs = Date.now() - t;
  const anomalyTypes = [...verdict.invalidTypes].sort();
  const outcome: RecheckOutcome = anomalyTypes.length > 0 ? 'anomalies'
    : conformance.divergences.length > 0 ? 'model-divergence'
    : conformance.inconclusive.length > 0 ? 'inconclusive' : 'valid';
  return {
    dir, outcome, modelled: `${replayProtocol(client).client} TV${replayProtocol(client).txnVersion}`, anomalyTypes, divergences: conformance.divergences, inconclusive: conformance.inconclusive,
    ...(conformance.note ? { note: conformance.note } : {}), checkMs, replayMs,
  };
}

/** Every run directory under `root` (a directory holding kafka/history.jsonl), sorted by name. */
export function runDirsUnder(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'kafka', 'history.jsonl')))
    .map((d) => path.join(root, d.name)).sort();
}
