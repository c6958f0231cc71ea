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
import { conformanceDivergences, readEvents } from './divergences.ts';
import type { Divergence } from './verdict-file.ts';

export type RecheckOutcome = 'valid' | 'anomalies' | 'model-divergence' | 'inconclusive';

export interface RecheckResult {
  dir: string;
  outcome: RecheckOutcome;
  /** Invalid anomaly names the checker found, sorted. */
  anomalyTypes: string[];
  divergences: Divergence[];
  inconclusive: string[];
  note?: string;
  checkMs: number;
  replayMs: number;
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

/** The transaction protocol the run's client spoke: kafkajs always 1; others the cluster's (program.json). */
export function clientTxnVersion(dir: string): 1 | 2 {
  const verdict = fs.existsSync(path.join(dir, 'verdict.json')) ? readJson(path.join(dir, 'verdict.json')) as { client?: string; txnVersion?: number } : {};
  if (verdict.client === undefined || verdict.client.startsWith('kafkajs')) return 1;
  const program = readJson(path.join(dir, 'program.json')) as { txnVersion?: number };
  return (program.txnVersion ?? verdict.txnVersion) === 2 ? 2 : 1;
}

export async function recheckRunDir(dir: string): Promise<RecheckResult> {
  const history = path.join(dir, 'kafka', 'history.jsonl');
  if (!fs.existsSync(history)) throw new Error(`${dir}: no kafka/history.jsonl (recheck judges a run against Kafka; run it with --target kafka or both)`);
  const infoFile = path.join(dir, 'kafka', 'program-info.json');
  const program: ProgramInfo = fs.existsSync(infoFile) ? readJson(infoFile) as ProgramInfo : {};
  const workers = fs.existsSync(path.join(dir, 'program.json')) ? workersOfProgram(readJson(path.join(dir, 'program.json'))) : [];
  let t = Date.now();
  const { verdict } = await checkHistoryFile(history, { program });
  const checkMs = Date.now() - t;
  t = Date.now();
  const conformance = conformanceDivergences(readEvents(history), program, { workers, txnVersion: clientTxnVersion(dir) });
  const replayMs = Date.now() - t;
  const anomalyTypes = [...verdict.invalidTypes].sort();
  const outcome: RecheckOutcome = anomalyTypes.length > 0 ? 'anomalies'
    : conformance.divergences.length > 0 ? 'model-divergence'
    : conformance.inconclusive.length > 0 ? 'inconclusive' : 'valid';
  return {
    dir, outcome, anomalyTypes, divergences: conformance.divergences, inconclusive: conformance.inconclusive,
    ...(conformance.note ? { note: conformance.note } : {}), checkMs, replayMs,
  };
}

/** Every run directory under `root` (a directory holding kafka/history.jsonl), sorted by name. */
export function runDirsUnder(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'kafka', 'history.jsonl')))
    .map((d) => path.join(root, d.name)).sort();
}
