// The forensics' judgement as a pure function of what was recorded: the history's facts, the end-of-run
// snapshot and the hanging transactions the detector found, applied to the checker's verdict. The run
// calls it with what it just gathered; `judgeRecorded` calls it with what kafka/forensics.json kept, so a
// recorded run can be judged again without Kafka.
import type { Verdict } from '../../jepsen-style/checker.ts';
import type { Key } from '../../jepsen-style/history.ts';
import type { KeyPartition } from '../workload/program.ts';
import { attribute, explainShortKey, type Attribution, type AttributionInput } from './attribution.ts';
import { hangingAnomaly, summarySentence, type ShortKeyExplanation } from './findings.ts';
import type { HangingSettings, HangingTransaction } from './hanging.ts';
import { shortKeys, type KeyFacts } from './history-facts.ts';
import type { ClusterSnapshot } from './snapshot.ts';
import { applyForensics } from './verdict-effects.ts';

export interface ConclusionInput {
  verdict: Verdict;
  facts: ReadonlyMap<Key, KeyFacts>;
  keys: readonly KeyPartition[];
  snapshot: ClusterSnapshot | null;
  hanging: readonly HangingTransaction[];
  /** Whether the detector watched the run (then its findings alone decide what is overdue). */
  detectorRan: boolean;
  settings: HangingSettings;
  runStartMs: number;
  /** When the judgement is made, if there is no snapshot (ms). */
  nowMs: number;
}

export interface Conclusion {
  verdict: Verdict;
  inconclusive: string[];
  attributions: Attribution[];
  shortKeys: ShortKeyExplanation[];
  sentence: string | null;
  hangingCount: number;
}

export function conclude(c: ConclusionInput): Conclusion {
  const keyPartition = (key: Key) => c.keys[key] ?? { topic: '?', partition: -1 };
  const keyOf = (topic: string, partition: number) => c.keys.find((k) => k.topic === topic && k.partition === partition)?.key;
  const input: AttributionInput = {
    anomalies: [...(c.verdict.anomalies['unseen'] ?? []), ...(c.verdict.anomalies['lost-write'] ?? [])],
    facts: c.facts,
    keyPartition,
    partitions: c.snapshot?.partitions ?? null,
    transactions: c.snapshot?.transactions ?? [],
    hanging: c.hanging,
    runStartMs: c.runStartMs,
    atMs: c.snapshot?.takenAtMs ?? c.nowMs,
    detectorRan: c.detectorRan,
    hangingThresholdMs: c.settings.defaultTimeoutMs + c.settings.abortIntervalMs + c.settings.slackMs,
  };
  const attributions = attribute(input);
  const shorts = shortKeys(c.facts).map((f): ShortKeyExplanation => {
    const { cause, evidence } = explainShortKey(input, f);
    return { key: f.key, ...keyPartition(f.key), lastRead: f.lastRead, lastAcked: f.lastAcked, cause, evidence };
  });
  const anomalies = c.hanging.map((h) => hangingAnomaly(h, { keyOf, facts: c.facts, runStartMs: c.runStartMs }));
  const effects = applyForensics(c.verdict, attributions, anomalies);
  return {
    verdict: effects.verdict,
    inconclusive: effects.inconclusive,
    attributions,
    shortKeys: shorts,
    sentence: summarySentence(shorts, attributions, anomalies.length),
    hangingCount: anomalies.length,
  };
}
