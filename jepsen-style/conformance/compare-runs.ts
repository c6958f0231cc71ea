// Compares the model's run and Kafka's run of the same program (`kafka-eos run --target both`): the
// final committed contents of each key, and the outcome of each op both runs performed. Faults make
// runs differ legitimately (a send that failed on one side), so each difference says whether the
// other run's outcomes explain it; only unexplained ones make the runs disagree.
import type { HistoryEvent } from '../history.ts';
import { historyOps, kv, readsOf, sendsOf, type HistoryOps, type ReplayOp } from './history-ops.ts';

export interface KeyDifference {
  key: number;
  /** Committed values only one run has. */
  onlyModel: number[];
  onlyKafka: number[];
  /** Of those, values whose writer was acknowledged (ok) in the run that lacks them. */
  unexplained: number[];
  /** First position where the common values appear in a different order (concurrency may explain it). */
  reorderedAt?: { model: number; kafka: number; index: number };
  explanation: string;
}

export interface OutcomeDifference {
  key: number;
  value: number;
  model: { index: number; type: string };
  kafka: { index: number; type: string };
  /** The run with the worse outcome had faults (nemesis events): a fail or info there is allowed. */
  explained: boolean;
  explanation: string;
}

export interface RunComparison {
  /** No unexplained difference. */
  agree: boolean;
  keys: KeyDifference[];
  outcomes: { matched: number; same: number; differences: OutcomeDifference[] };
}

/** Values a read_committed consumer would see at the end, per key, in offset order. */
function committedContents(h: HistoryOps): Map<number, number[]> {
  const byKey = new Map<number, Map<number, number>>();
  const see = (k: number, offset: number, v: number) => {
    let m = byKey.get(k);
    if (!m) byKey.set(k, (m = new Map()));
    if (!m.has(v) || m.get(v)! > offset) m.set(v, offset);
  };
  for (const op of h.ops) {
    if (op.committed) for (const s of sendsOf(op)) if (s.offset !== null) see(s.key, s.offset, s.value);
    if (op.type === 'ok') for (const m of op.mops) for (const [k, pairs] of readsOf(m)) for (const [o, v] of pairs) see(k, o, v);
  }
  return new Map([...byKey].map(([k, m]) => [k, [...m].sort((a, b) => a[1] - b[1]).map(([v]) => v)]));
}

const firstSend = (op: ReplayOp) => sendsOf(op)[0];

export function compareRuns(modelEvents: Iterable<HistoryEvent>, kafkaEvents: Iterable<HistoryEvent>): RunComparison {
  const model = historyOps(modelEvents), kafka = historyOps(kafkaEvents);
  const mc = committedContents(model), kc = committedContents(kafka);
  const keys: KeyDifference[] = [];
  for (const key of [...new Set([...mc.keys(), ...kc.keys()])].sort((a, b) => a - b)) {
    const m = mc.get(key) ?? [], k = kc.get(key) ?? [];
    const ms = new Set(m), ks = new Set(k);
    const onlyModel = m.filter((v) => !ks.has(v)), onlyKafka = k.filter((v) => !ms.has(v));
    const acked = (h: HistoryOps, v: number) => h.writerOf.get(kv(key, v))?.type === 'ok';
    const unexplained = [...onlyModel.filter((v) => acked(kafka, v)), ...onlyKafka.filter((v) => acked(model, v))];
    const cm = m.filter((v) => ks.has(v)), ck = k.filter((v) => ms.has(v));
    const at = cm.findIndex((v, i) => ck[i] !== v);
    if (onlyModel.length === 0 && onlyKafka.length === 0 && at < 0) continue;
    keys.push({
      key, onlyModel, onlyKafka, unexplained, ...(at >= 0 ? { reorderedAt: { model: cm[at]!, kafka: ck[at]!, index: at } } : {}),
      explanation: `key ${key}: ${onlyModel.length} committed value(s) only in the model run, ${onlyKafka.length} only in the Kafka run`
        + (unexplained.length > 0 ? `; ${unexplained.length} of them (${unexplained.slice(0, 8).join(', ')}) were acknowledged in the run that lacks them` : '')
        + (at >= 0 ? `; common values first differ in order at position ${at} (model ${cm[at]}, Kafka ${ck[at]})` : ''),
    });
  }
  const differences: OutcomeDifference[] = [];
  let matched = 0, same = 0;
  const kafkaBySend = new Map<string, ReplayOp>();
  for (const op of kafka.ops) { const s = firstSend(op); if (s) kafkaBySend.set(kv(s.key, s.value), op); }
  for (const op of model.ops) {
    const s = firstSend(op);
    const other = s && kafkaBySend.get(kv(s.key, s.value));
    if (!s || !other) continue;
    matched++;
    if (other.type === op.type) { same++; continue; }
    const worse = op.type === 'ok' ? kafka : other.type === 'ok' ? model : op.type === 'fail' ? model : kafka;
    const explained = worse.nemesisEvents > 0;
    differences.push({
      key: s.key, value: s.value, model: { index: op.index, type: op.type }, kafka: { index: other.index, type: other.type }, explained,
      explanation: `the op sending value ${s.value} to key ${s.key} was ${op.type} in the model (op ${op.index}) and ${other.type} on Kafka (op ${other.index})${explained ? ' (the run with the worse outcome had faults)' : ', and no fault explains it'}`,
    });
  }
  const agree = keys.every((d) => d.unexplained.length === 0) && differences.every((d) => d.explained);
  return { agree, keys, outcomes: { matched, same, differences } };
}
