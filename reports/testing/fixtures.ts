// Realistic run directories for the report's tests: a seeded program run against the model (the
// model history), a copy of that history with anomalies injected standing in for a real Kafka
// history, and optionally a verdict.json as `kafka-eos run` writes it. `hostile` puts HTML and script
// tags wherever a history or verdict carries free text, to prove the report shows them as text.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runModel } from '../../harness/model-runner/index.ts';
import type { Divergence, RunVerdict } from '../../harness/run/verdict-file.ts';
import { generateProgram, programInfoOf, writeProgramFile, type Program } from '../../harness/workload/index.ts';
import { checkHistory, parseHistoryText, type Verdict } from '../../jepsen-style/index.ts';
import type { HistoryEvent } from '../../jepsen-style/history.ts';
import { INJECTIONS } from '../../jepsen-style/testing/inject.ts';

export const PAYLOAD = '<script>window.__pwned = 1</script></script><img src=x onerror="window.__pwned = 2"><b id="injected">bold</b>\u2028&amp;';

export interface FixtureOptions {
  seed?: number;
  timeLimitMs?: number;
  /** Anomalies injected into the stand-in Kafka history; none means no kafka/history.jsonl. */
  inject?: Array<keyof typeof INJECTIONS>;
  /** Write verdict.json (default true). */
  verdict?: boolean;
  complete?: boolean;
  hostile?: boolean;
}

export interface Fixture { program: Program; model: HistoryEvent[]; kafka: HistoryEvent[] | null; verdict: RunVerdict | null }

const jsonl = (events: HistoryEvent[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

function hostile(events: HistoryEvent[]): HistoryEvent[] {
  let n = 0;
  return events.map((e) => {
    if (e.process === 'nemesis') return { ...e, value: { note: PAYLOAD, nodes: [1] } };
    if (e.type === 'fail' || e.type === 'info') return { ...e, error: `${PAYLOAD} #${n++}` };
    return e;
  });
}

/** One model run per program and process: the runner is deterministic, so tests may share it. */
const runs = new Map<string, Promise<{ events: HistoryEvent[]; workerProcesses: number[][] }>>();

function modelRun(program: Program, timeLimitMs: number) {
  const id = `${program.seed}/${timeLimitMs}`;
  if (!runs.has(id)) {
    runs.set(id, (async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kafka-eos-fixture-'));
      const run = await runModel(program, dir);
      const events = parseHistoryText(readFileSync(run.historyPath, 'utf8')).events;
      rmSync(dir, { recursive: true, force: true });
      return { events, workerProcesses: run.workerProcesses };
    })());
  }
  return runs.get(id)!;
}

export async function makeRunDir(dir: string, o: FixtureOptions = {}): Promise<Fixture> {
  const seed = o.seed ?? 7;
  const program = generateProgram(seed, { timeLimitMs: o.timeLimitMs ?? 3000, nemesis: ['partition', 'kill', 'pause'], nemesisIntervalMs: 700 });
  writeProgramFile(dir, program);
  const run = await modelRun(program, o.timeLimitMs ?? 3000);
  let model = run.events;
  if (o.hostile) model = hostile(model);
  mkdirSync(path.join(dir, 'model'), { recursive: true });
  writeFileSync(path.join(dir, 'model', 'history.jsonl'), jsonl(model));
  let kafka: HistoryEvent[] | null = null;
  if (o.inject?.length) {
    kafka = model;
    for (const name of o.inject) kafka = INJECTIONS[name](kafka, (k) => Math.floor(k / 2)) ?? kafka;
    mkdirSync(path.join(dir, 'kafka'), { recursive: true });
    writeFileSync(path.join(dir, 'kafka', 'history.jsonl'), jsonl(kafka));
  }
  const info = programInfoOf(program, run.workerProcesses);
  const verdicts: Partial<Record<'model' | 'kafka', Verdict>> = { model: checkHistory(model, { program: info }) };
  if (kafka) verdicts.kafka = checkHistory(kafka, { program: info });
  let verdict: RunVerdict | null = null;
  if (o.verdict ?? true) {
    const anomalyTypes = [...new Set(Object.values(verdicts).flatMap((v) => v.invalidTypes))].sort();
    const divergences: Divergence[] = kafka && anomalyTypes.length > 0
      ? [{ kind: 'anomaly-not-in-model', explanation: `the real history shows ${anomalyTypes.join(', ')}, which the model never produces${o.hostile ? ` ${PAYLOAD}` : ''}`, ops: verdicts.kafka!.anomalies[anomalyTypes[0]!]![0]!.ops }]
      : [];
    verdict = {
      valid: anomalyTypes.length === 0, outcome: anomalyTypes.length > 0 ? 'anomalies' : 'valid', complete: o.complete ?? true,
      seed, target: kafka ? 'both' : 'model', nemesis: program.options.nemesis, mutate: null, txnVersion: program.txnVersion,
      timeLimitSeconds: program.options.timeLimitMs / 1000, kafkaVersion: kafka ? (o.hostile ? `4.1.0 ${PAYLOAD}` : '4.1.0') : null,
      kafkaImage: kafka ? 'kafka-eos/kafka:4.1.0' : null, client: o.hostile ? `kafkajs ${PAYLOAD}` : 'kafkajs 2.2.4',
      repro: `npx kafka-eos run --seed ${seed} --target ${kafka ? 'both' : 'model'} --nemesis partition,kill,pause --time-limit ${program.options.timeLimitMs / 1000}`,
      startedAt: '2026-11-28T14:00:00.000Z', durationSeconds: 42.5,
      histories: Object.fromEntries(Object.entries(verdicts).map(([t, v]) => [t, { path: `${t}/history.jsonl`, verdict: v, warnings: [] }])),
      anomalyTypes, divergences, inconclusive: [], harness: { version: '0.1.0', commit: '0'.repeat(40) },
    };
    writeFileSync(path.join(dir, 'verdict.json'), JSON.stringify(verdict, null, 2));
  }
  return { program, model, kafka, verdict };
}
