// Judging a recorded run again, without Kafka: its history is checked afresh, the detector's recorded
// polls (kafka/open-transactions.jsonl) are replayed through today's rule with the faults the history
// records, and kafka/forensics.json (snapshot, settings, key map) stands in for the end-of-run cluster.
import fs from 'node:fs';
import path from 'node:path';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import type { HistoryEvent } from '../../jepsen-style/history.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { readEvents } from '../run/divergences.ts';
import type { KeyPartition } from '../workload/program.ts';
import { conclude, type Conclusion } from './conclude.ts';
import type { WatchPoll } from './detector.ts';
import { DEFAULT_HANGING_SETTINGS, OpenTransactionTracker, type HangingSettings, type HangingTransaction } from './hanging.ts';
import { historyFacts } from './history-facts.ts';
import { expandSnapshot, type CompactSnapshot } from './snapshot-file.ts';
import type { ClusterSnapshot } from './snapshot.ts';

export interface ForensicsFile {
  runStartMs: number;
  keys: KeyPartition[];
  settings: HangingSettings;
  hangingTransactions: HangingTransaction[];
  detectorRan?: boolean;
  snapshot: CompactSnapshot | null;
}

export async function judgeRecorded(runDir: string, brokers = 3): Promise<Conclusion> {
  const kafkaDir = path.join(runDir, 'kafka');
  const file = JSON.parse(fs.readFileSync(path.join(kafkaDir, 'forensics.json'), 'utf8')) as ForensicsFile;
  const historyPath = path.join(kafkaDir, 'history.jsonl');
  const infoPath = path.join(kafkaDir, 'program-info.json');
  const program = fs.existsSync(infoPath) ? (JSON.parse(fs.readFileSync(infoPath, 'utf8')) as ProgramInfo) : undefined;
  const { verdict } = await checkHistoryFile(historyPath, program ? { program } : {});
  const events = readEvents(historyPath);
  const snapshot = file.snapshot ? expandSnapshot(file.snapshot) : null;
  const settings = { ...DEFAULT_HANGING_SETTINGS, ...file.settings };
  const pollsPath = path.join(kafkaDir, 'open-transactions.jsonl');
  const hanging = fs.existsSync(pollsPath) ? replayDetector(pollsPath, events, file.runStartMs, settings, brokers, snapshot) : file.hangingTransactions;
  return conclude({
    verdict, facts: historyFacts(events), keys: file.keys, snapshot, hanging, detectorRan: fs.existsSync(pollsPath),
    settings, runStartMs: file.runStartMs, nowMs: snapshot?.takenAtMs ?? file.runStartMs,
  });
}

/** The detector's recorded polls (and the final snapshot) through today's rule. */
export function replayDetector(pollsPath: string, events: readonly HistoryEvent[], runStartMs: number, settings: HangingSettings,
  brokers: number, snapshot: ClusterSnapshot | null): HangingTransaction[] {
  const faultFree = faultTimeline(events, runStartMs);
  const tracker = new OpenTransactionTracker(settings);
  for (const line of fs.readFileSync(pollsPath, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const p = JSON.parse(line) as WatchPoll;
    tracker.observe({
      atMs: p.atMs, producers: p.producers, transactions: p.transactions, faultFree: faultFree(p.atMs),
      answered: new Set(p.partitions.filter((x) => !p.unanswered.includes(x))), allCoordinatorsListed: p.listedBy.length >= brokers,
    });
  }
  if (snapshot) {
    tracker.observe({
      atMs: snapshot.takenAtMs, transactions: snapshot.transactions, faultFree: true, allCoordinatorsListed: snapshot.listedBy.length >= brokers,
      producers: snapshot.partitions.flatMap((p) => (p.producers ?? []).map((x) => ({ ...x, topic: p.topic, partition: p.partition }))),
      answered: new Set(snapshot.partitions.filter((p) => p.producers !== undefined).map((p) => `${p.topic}-${p.partition}`)),
    });
  }
  return tracker.hanging();
}

/** Whether no fault was active at a wall-clock time, from the nemesis' completions in the history. */
export function faultTimeline(events: readonly HistoryEvent[], runStartMs: number): (atMs: number) => boolean {
  const changes: Array<{ atMs: number; faultFree: boolean }> = [];
  let partitioned = false;
  const down = new Set<string>();
  for (const e of events) {
    if (e.process !== 'nemesis' || e.type === 'invoke') continue;
    if (e.f === 'start-partition') partitioned = true;
    if (e.f === 'stop-partition') partitioned = false;
    const nodes = (e.value as { nodes?: number[] } | null)?.nodes ?? [];
    for (const n of nodes) {
      if (e.f === 'kill' || e.f === 'pause') down.add(`${e.f}:${n}`);
      if (e.f === 'restart') down.delete(`kill:${n}`);
      if (e.f === 'resume') down.delete(`pause:${n}`);
      if (e.f === 'start-leader-move') down.add(`leader-move:${n}`);
      if (e.f === 'stop-leader-move') down.delete(`leader-move:${n}`);
    }
    changes.push({ atMs: runStartMs + e.time / 1e6, faultFree: !partitioned && down.size === 0 });
  }
  return (atMs) => {
    let free = true;
    for (const c of changes) {
      if (c.atMs > atMs) break;
      free = c.faultFree;
    }
    return free;
  };
}
