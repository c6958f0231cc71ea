// Holding a real history against the model: replay it through the XState model (every answer Kafka gave
// must be one the model can give, in an order the history allows), and, when both ran the same program,
// compare the two runs. The findings become the run's divergences (proved) and inconclusive reasons (the
// replay could not decide) in verdict.json; the judging is jepsen-style's, this only calls it.
import fs from 'node:fs';
import { compareRuns } from '../../jepsen-style/conformance/compare-runs.ts';
import type { WorkerInfo } from '../../jepsen-style/conformance/attribution.ts';
import { replayAgainstModel } from '../../jepsen-style/conformance/replay.ts';
import type { HistoryEvent } from '../../jepsen-style/history.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { parseHistoryText } from '../../jepsen-style/reader.ts';
import type { ClientModel, TxnVersion } from '../../model/index.ts';
import { modelledClient } from '../model-runner/runModel.ts';
import type { Divergence } from './verdict-file.ts';

/** Beyond this many events the replay would take minutes, so it is skipped (and said so). */
export const REPLAY_EVENT_LIMIT = 60_000;

export function readEvents(path: string): HistoryEvent[] {
  return parseHistoryText(fs.readFileSync(path, 'utf8')).events;
}

export interface ConformanceOptions {
  /** program.json's workers (`workersOfProgram`): attribute processes that never named their transactional id. */
  workers?: readonly WorkerInfo[];
  /** The client library that ran (verdict.json `clientName`: kafkajs, java, franz-go; a `name@version` spec
   *  is fine): the replay's producers are its modelled client (harness/model-runner modelledClient). */
  client?: string;
  /** The transaction version the client's transactions ran under (verdict.json `clientTxnVersion`); kafkajs
   *  speaks 1 whatever the cluster runs (model/README.md). Unknown (null) for another client: the cluster's. */
  txnVersion?: TxnVersion | null;
  /** The cluster's transaction.version (program.json `txnVersion`): the client's when it never said. */
  clusterTxnVersion?: TxnVersion;
}

/** The modelled client and the transaction version the replay holds a run's history to. */
export function replayProtocol(options: Pick<ConformanceOptions, 'client' | 'txnVersion' | 'clusterTxnVersion'>): { client: ClientModel; txnVersion: TxnVersion } {
  const client = modelledClient(options.client);
  if (client === 'kafkajs') return { client, txnVersion: 1 };
  return { client, txnVersion: options.txnVersion ?? options.clusterTxnVersion ?? 2 };
}

export interface ConformanceResult {
  /** Divergences the replay proves: no order of the history and no hidden event it considers makes the model agree. */
  divergences: Divergence[];
  /** Why the replay could not decide, one sentence each. */
  inconclusive: string[];
  note?: string;
}

export function conformanceDivergences(kafka: HistoryEvent[], program: ProgramInfo, options: ConformanceOptions = {}): ConformanceResult {
  if (kafka.length > REPLAY_EVENT_LIMIT) {
    return { divergences: [], inconclusive: [], note: `model replay skipped: ${kafka.length} events exceed the replay limit of ${REPLAY_EVENT_LIMIT}` };
  }
  const result = replayAgainstModel(kafka, { ...replayProtocol(options), program, ...(options.workers ? { workers: options.workers } : {}) });
  const notes = [
    ...(result.explanations.length > 0 ? [`model replay explained ${result.explanations.length} answer(s) by events the history cannot show: ${result.explanations.slice(0, 3).join('; ')}${result.explanations.length > 3 ? '; ...' : ''}`] : []),
    ...(result.unjudged > 0 ? [`${result.unjudged} answer(s) were not held to the model (lost connections, timeouts, and busy coordinators the model does not time yet)`] : []),
  ];
  const note = notes.length > 0 ? notes.join('. ') : undefined;
  const d = result.divergence;
  if (result.conforms || !d) return { divergences: [], inconclusive: result.inconclusive, ...(note ? { note } : {}) };
  return {
    divergences: [{
      kind: `model-conformance-${d.kind}`,
      explanation: `${d.explanation} (model: ${d.model}; Kafka: ${d.kafka}; ${result.replayed} of ${result.ops} ops replayed before it)`,
      ops: [d.index],
    }],
    inconclusive: result.inconclusive,
    ...(note ? { note } : {}),
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
