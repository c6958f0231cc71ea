// What `kafka-eos run` does once its options are settled: claim the run directory, make sure a Docker
// engine answers when a real cluster is wanted, run, print the verdict lines, answer the exit code.
import path from 'node:path';
import { runProgramForClients } from '../clients/compare.ts';
import { prepareClients } from '../clients/registry.ts';
import { programFor, reproCommand, type RunSettings } from '../run/settings.ts';
import { renderRunReport } from '../run/report-hook.ts';
import { exitCodeFor } from '../run/verdict.ts';
import { ensureDockerEngine } from '../docker/provision.ts';
import { claimOutDir, timestamp } from './out-dir.ts';
import { logLine, progressPrinter } from './terminal.ts';

export async function runCommand(settings: RunSettings): Promise<number> {
  await prepareClients(settings.clients, logLine());
  const outDir = claimOutDir('run', settings.out, () => path.join('runs', `seed-${settings.seed}-${timestamp()}`));
  const program = programFor(settings);
  const log = logLine();
  if (settings.target !== 'model' && !settings.cluster?.bootstrap.length) await ensureDockerEngine(log);
  const progress = progressPrinter(10_000);
  const verdict = await runProgramForClients({
    program, target: settings.target, outDir, kafkaVersion: settings.kafkaVersion, clientFixes: settings.clientFixes, repro: reproCommand(settings), cluster: settings.cluster, forensics: settings.forensics,
    log, progress: (line) => progress.show(line),
  }, settings.clients);
  progress.done();
  const report = await renderRunReport(outDir);
  console.log(`${verdict.outcome === 'valid' ? 'VALID' : verdict.outcome.toUpperCase()}: seed ${verdict.seed}` +
    (verdict.anomalyTypes.length ? `, anomalies: ${verdict.anomalyTypes.join(', ')}` : '') +
    (verdict.divergences.length ? `, ${verdict.divergences.length} model divergence(s)` : ''));
  for (const why of verdict.inconclusive) console.log(`  could not decide: ${why}`);
  for (const c of verdict.clients ?? []) {
    const only = Object.entries(verdict.anomalyClients ?? {}).filter(([, cs]) => cs.length < verdict.clients!.length && cs.includes(c.client)).map(([t]) => t);
    console.log(`  ${c.client}: ${c.outcome}${c.anomalyTypes.length ? ` (${c.anomalyTypes.join(', ')})` : ''}${only.length ? `; this client's only: ${only.join(', ')}` : ''}` +
      `, transaction version ${c.clientTxnVersion ?? 'unknown'}${c.ops ? `, ok ${c.ops.ok} fail ${c.ops.fail} info ${c.ops.info}` : ''}, ${c.dir}/`);
  }
  for (const [name, h] of Object.entries(verdict.histories)) {
    console.log(`  ${name}: ${h.verdict.stats.ops} ops (ok ${h.verdict.stats.ok}, fail ${h.verdict.stats.fail}, info ${h.verdict.stats.info}), ${h.path}`);
  }
  if (!verdict.clients && verdict.clientName && verdict.clientName !== 'kafkajs') console.log(`  client:  ${verdict.client}, transaction version ${verdict.clientTxnVersion ?? 'unknown'}`);
  console.log(`  verdict: ${path.join(outDir, 'verdict.json')}`);
  if (report) console.log(`  report:  ${report}`);
  console.log(`  repro:   ${verdict.repro}`);
  return exitCodeFor(verdict.outcome);
}
