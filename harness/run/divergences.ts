// Holding a real history against the model: replay it through the XState model (every completed op must
// be a transition the model allows), and, when both ran the same program, compare the two runs. The
// findings become the run's divergences (verdict.json); the judging is jepsen-style's, this only calls it.
import fs from 'node:fs';
import { compareRuns } from '../../jepsen-style/conformance/compare-runs.ts';
import { replayAgainstModel } from '../../jepsen-style/conformance/replay.ts';
import type { HistoryEvent } from '../../jepsen-style/history.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { parseHistoryText } from '../../jepsen-style/reader.ts';
import type { Divergence } from './verdict-file.ts';

/** The replay is quadratic in a key's log: beyond this many events it would take minutes, so it is skipped (and said so). */
export const REPLAY_EVENT_LIMIT = 60_000;

export function readEvents(path: string): HistoryEvent[] {
  return parseHistoryText(fs.readFileSync(path, 'utf8')).events;
}

/** Proved divergences, reasons the replay could not decide (`inconclusive`), and a note on what it skipped. */
export function conformanceDivergences(kafka: HistoryEvent[], program: ProgramInfo): { divergences: Divergence[]; inconclusive?: string[]; note?: string } {
  if (kafka.length > REPLAY_EVENT_LIMIT) {
    return { divergences: [], note: `model replay skipped: ${kafka.length} events exceed the replay limit of ${REPLAY_EVENT_LIMIT}` };
  }
  // kafkajs speaks transaction version 1 whatever the cluster runs (model/README.md).
  const result = replayAgainstModel(kafka, { txnVersion: 1, program });
  const d = result.divergence;
  if (result.conforms || !d) return { divergences: [] };
  // An op that completed `info` was abandoned by its client: its requests may have reached Kafka at any
  // time before a newer instance initialised, an order the replay cannot know. A refusal of such an op
  // is therefore no evidence (seen: a kill run where the model fenced an info txn Kafka had committed).
  const event = kafka.find((e) => e.index === d.index);
  if (d.kind === 'refused' && event?.type === 'info') {
    return { divergences: [], note: `model replay stopped at op ${d.index}, an info op whose timing the history does not fix: ${d.explanation}` };
  }
  return {
    divergences: [{
      kind: `model-conformance-${d.kind}`,
      explanation: `${d.explanation} (model: ${d.model}; Kafka: ${d.kafka}; ${result.replayed} of ${result.ops} ops replayed before it)`,
      ops: [d.index],
    }],
  };
}

export function comparisonDivergences(model: HistoryEvent[], kafka: HistoryEvent[]): Divergence[] {
  const comparison = compareRuns(model, kafka);
  return [
    ...comparison.keys.filter((k) => k.unexplained.length > 0).map((k) => ({
      kind: 'model-vs-kafka-contents', explanation: k.explanation,
    })),
    ...comparison.outcomes.differences.filter((d) => !d.explained).map((d) => ({
      kind: 'model-vs-kafka-outcome', explanation: d.explanation, ops: [d.model.index, d.kafka.index],
    })),
  ];
}
