// Judging a recorded run again, without Kafka: its history is checked afresh and kafka/forensics.json
// (snapshot, hanging transactions, settings, key map) stands in for the cluster.
import fs from 'node:fs';
import path from 'node:path';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { readEvents } from '../run/divergences.ts';
import type { KeyPartition } from '../workload/program.ts';
import { conclude, type Conclusion } from './conclude.ts';
import type { HangingSettings, HangingTransaction } from './hanging.ts';
import { historyFacts } from './history-facts.ts';
import { expandSnapshot, type CompactSnapshot } from './snapshot-file.ts';

export interface ForensicsFile {
  runStartMs: number;
  keys: KeyPartition[];
  settings: HangingSettings;
  hangingTransactions: HangingTransaction[];
  detectorRan?: boolean;
  snapshot: CompactSnapshot | null;
}

export async function judgeRecorded(runDir: string): Promise<Conclusion> {
  const kafkaDir = path.join(runDir, 'kafka');
  const file = JSON.parse(fs.readFileSync(path.join(kafkaDir, 'forensics.json'), 'utf8')) as ForensicsFile;
  const historyPath = path.join(kafkaDir, 'history.jsonl');
  const infoPath = path.join(kafkaDir, 'program-info.json');
  const program = fs.existsSync(infoPath) ? (JSON.parse(fs.readFileSync(infoPath, 'utf8')) as ProgramInfo) : undefined;
  const { verdict } = await checkHistoryFile(historyPath, program ? { program } : {});
  const snapshot = file.snapshot ? expandSnapshot(file.snapshot) : null;
  return conclude({
    verdict, facts: historyFacts(readEvents(historyPath)), keys: file.keys, snapshot, hanging: file.hangingTransactions, detectorRan: file.detectorRan ?? file.hangingTransactions.length > 0,
    settings: file.settings, runStartMs: file.runStartMs, nowMs: snapshot?.takenAtMs ?? file.runStartMs,
  });
}
