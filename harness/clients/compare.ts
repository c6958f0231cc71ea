// `--client a,b`: the same program and fault schedule once per client, each on a fresh cluster, in
// DIR/<client>/; DIR/verdict.json combines the verdicts (invalid if any client's run was), and says for
// each anomaly which clients showed it: one that some client did not show is that client's, not Kafka's.
import fs from 'node:fs';
import path from 'node:path';
import { runProgram, type RunConfig } from '../run/run.ts';
import type { ClientRunSummary, Outcome, RunVerdict } from '../run/verdict-file.ts';
import { writeProgramFile } from '../workload/programFile.ts';
import { clientSlug, type ClientSpec } from './spec.ts';
import { writeComparePage } from './compare-page.ts';

/** Runs the program with each client (one client: exactly `runProgram`); answers the combined verdict. */
export async function runProgramForClients(config: Omit<RunConfig, 'client'>, clients: readonly ClientSpec[] | undefined): Promise<RunVerdict> {
  if (clients === undefined || clients.length <= 1) return runProgram({ ...config, ...(clients?.[0] ? { client: clients[0] } : {}) });
  fs.mkdirSync(config.outDir, { recursive: true });
  writeProgramFile(config.outDir, config.program); // repro and shrink read the combined directory like a run's
  const runs: Array<{ spec: ClientSpec; dir: string; verdict: RunVerdict }> = [];
  for (const spec of clients) {
    const dir = clientSlug(spec);
    config.log(`client ${dir}: running the program on a fresh cluster`);
    const verdict = await runProgram({ ...config, client: spec, outDir: path.join(config.outDir, dir), log: (l) => config.log(`[${dir}] ${l}`) });
    runs.push({ spec, dir, verdict });
    writeCombined(config.outDir, runs.map((r) => ({ dir: r.dir, verdict: r.verdict })), clients.length);
  }
  return writeCombined(config.outDir, runs.map((r) => ({ dir: r.dir, verdict: r.verdict })), clients.length);
}

const PRECEDENCE: Outcome[] = ['anomalies', 'model-divergence', 'harness-error', 'inconclusive', 'valid'];

/** The combined verdict of per-client runs (pure). `expected`: how many clients were asked for. */
export function combineVerdicts(runs: ReadonlyArray<{ dir: string; verdict: RunVerdict }>, expected = runs.length): RunVerdict {
  const first = runs[0]!.verdict;
  const clients: ClientRunSummary[] = runs.map(({ dir, verdict: v }) => ({
    client: v.client, clientName: v.clientName ?? 'kafkajs', clientVersion: v.clientVersion ?? '', clientTxnVersion: v.clientTxnVersion ?? null,
    dir, outcome: v.outcome, anomalyTypes: v.anomalyTypes, complete: v.complete, inconclusive: v.inconclusive,
    ops: v.histories.kafka ? { ok: v.histories.kafka.verdict.stats.ok, fail: v.histories.kafka.verdict.stats.fail, info: v.histories.kafka.verdict.stats.info } : null,
    ...(v.harnessError !== undefined ? { harnessError: v.harnessError } : {}),
  }));
  const anomalyClients: Record<string, string[]> = {};
  for (const c of clients) for (const a of c.anomalyTypes) (anomalyClients[a] ??= []).push(c.client);
  const outcome = PRECEDENCE.find((o) => runs.some((r) => r.verdict.outcome === o)) ?? 'valid';
  const complete = runs.length === expected && runs.every((r) => r.verdict.complete);
  const prefixed = (label: string, xs: string[]) => xs.map((x) => `${label}: ${x}`);
  return {
    ...first,
    valid: outcome === 'valid' && complete,
    outcome,
    complete,
    client: clients.map((c) => c.client).join(' | '),
    clientName: undefined,
    clientVersion: undefined,
    clientTxnVersion: undefined,
    clientFixes: first.clientFixes,
    histories: {},
    anomalyTypes: Object.keys(anomalyClients).sort(),
    divergences: runs.flatMap((r) => r.verdict.divergences.map((d) => ({ ...d, explanation: `${r.verdict.client}: ${d.explanation}` }))),
    inconclusive: runs.flatMap((r) => prefixed(r.verdict.client, r.verdict.inconclusive)),
    notes: runs.flatMap((r) => prefixed(r.verdict.client, r.verdict.notes ?? [])),
    durationSeconds: runs.reduce((s, r) => s + r.verdict.durationSeconds, 0),
    clients,
    anomalyClients,
    ...(runs.some((r) => r.verdict.harnessError !== undefined)
      ? { harnessError: runs.filter((r) => r.verdict.harnessError !== undefined).map((r) => `${r.verdict.client}: ${r.verdict.harnessError}`).join('; ') } : {}),
  };
}

function writeCombined(outDir: string, runs: ReadonlyArray<{ dir: string; verdict: RunVerdict }>, expected: number): RunVerdict {
  const verdict = combineVerdicts(runs, expected);
  const file = path.join(outDir, 'verdict.json');
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(verdict, null, 1) + '\n');
  fs.renameSync(`${file}.tmp`, file);
  writeComparePage(outDir, verdict);
  return verdict;
}
