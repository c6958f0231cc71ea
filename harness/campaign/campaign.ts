// `kafka-eos campaign` without the command line: run seed after seed (each a full `runProgram` into
// DIR/seed-<n>/, with its report), and after every seed rewrite DIR/campaign.json, DIR/index.html and
// DIR/junit.xml, so that a campaign stopped midway (Ctrl-C, a CI timeout) still leaves its index.
import fs from 'node:fs';
import path from 'node:path';
import { CliError, EXIT, usageError } from '../cli/exit-codes.ts';
import { programFor, reproCommand, type RunSettings } from '../run/settings.ts';
import { onInterrupt } from '../cluster/interrupts.ts';
import { harnessIdentity } from '../meta/version.ts';
import { renderRunReport } from '../run/report-hook.ts';
import { runProgramForClients } from '../clients/compare.ts';
import type { RunVerdict } from '../run/verdict-file.ts';
import { renderCampaignIndex } from './index-page.ts';
import { renderJunit } from './junit.ts';
import type { ProgressState } from './progress.ts';
import type { CampaignResult, SeedResult } from './result.ts';
import { formatSeeds, shardSeeds, type Shard } from './seeds.ts';
import type { HarnessIdentity } from '../meta/version.ts';

export interface CampaignConfig {
  /** Every seed of the campaign (`--seeds`); a shard runs its part of them. */
  seeds: number[];
  /** `--shard I/N`: run only the seeds with seed mod N = I. */
  shard?: Shard | null;
  /** The run flags every seed shares (its `seed` is replaced per run). */
  run: RunSettings;
  outDir: string;
  /**
   * The campaign's flags, recorded in campaign.json and on the index page: the CLI passes them in
   * canonical form without --out and --shard, so that shards of one campaign, merged, read like it.
   */
  args: string[];
  /** Defaults to this checkout's (`harnessIdentity()`). */
  harness?: HarnessIdentity;
  log?: (line: string) => void;
  onProgress?: (state: ProgressState) => void;
  /** Renders each seed's report; the CLI passes the reports module's, tests may pass a no-op. */
  renderReport?: (runDir: string) => Promise<string | null>;
}

export function writeCampaignFiles(outDir: string, c: CampaignResult): void {
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(outDir, `${name}.tmp`), text);
    fs.renameSync(path.join(outDir, `${name}.tmp`), path.join(outDir, name));
  };
  write('campaign.json', JSON.stringify(c, null, 1) + '\n');
  write('junit.xml', renderJunit(c));
  write('index.html', renderCampaignIndex(c));
}

/** The run settings shards must share: every parsed run flag but the seed and the output directory. */
export function runSettings(run: RunSettings): Record<string, unknown> {
  const { seed: _seed, out: _out, ...settings } = run;
  return JSON.parse(JSON.stringify(settings)) as Record<string, unknown>; // as campaign.json will hold them
}

/**
 * A seed's entry from its verdict: `invalid` when it found anomalies or a divergence, else `error` when
 * the run did not finish, else `inconclusive` when the run could not decide (with its reasons), else `valid`.
 */
export function seedResult(seed: number, dir: string, report: string | null, v: RunVerdict): SeedResult {
  const failed = v.anomalyTypes.length > 0 || v.divergences.length > 0;
  const status = failed ? 'invalid' : v.outcome === 'harness-error' || !v.complete ? 'error' : v.outcome === 'inconclusive' ? 'inconclusive' : 'valid';
  return {
    seed, status, outcome: v.outcome, anomalyTypes: v.anomalyTypes, divergences: v.divergences.length,
    durationSeconds: v.durationSeconds, dir, report, repro: v.repro,
    ops: Object.fromEntries(Object.entries(v.histories).map(([t, h]) => [t, h!.verdict.stats.ops])),
    error: status === 'error' ? v.harnessError ?? 'the run stopped before it finished' : null,
    ...(status === 'inconclusive' ? { inconclusive: v.inconclusive } : {}),
    anomalyCounts: anomalyCountsOf(v),
    client: v.client,
  };
}

/** Per anomaly name, how many the run's histories hold (for the index page's matrix). */
function anomalyCountsOf(v: RunVerdict): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const h of Object.values(v.histories)) for (const [type, n] of Object.entries(h?.verdict.anomalyCounts ?? {})) counts[type] = (counts[type] ?? 0) + n;
  return counts;
}

export function refuseUsedDir(outDir: string, command = 'campaign'): void {
  if (fs.existsSync(path.join(outDir, 'campaign.json'))) {
    throw usageError(`${command}: ${outDir} already holds a campaign (campaign.json); give a new --out directory or remove it`);
  }
}

export async function runCampaign(config: CampaignConfig): Promise<CampaignResult> {
  const { outDir } = config;
  const shard = config.shard ?? null;
  const seeds = shardSeeds(config.seeds, shard);
  refuseUsedDir(outDir);
  fs.mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const result: CampaignResult = {
    version: 1, harness: config.harness ?? harnessIdentity(), seedSpec: formatSeeds(config.seeds), seeds, shard,
    settings: runSettings(config.run), args: config.args, target: config.run.target,
    startedAt: new Date(started).toISOString(), durationSeconds: 0, complete: false, runs: [],
  };
  const save = () => {
    result.durationSeconds = (Date.now() - started) / 1000;
    writeCampaignFiles(outDir, result);
  };
  save();
  // Ctrl-C: the running seed's own handler marks its verdict incomplete; this one (registered first,
  // so run last) records the campaign as stopped before the process exits.
  const forget = onInterrupt(async () => save());
  const render = config.renderReport ?? renderRunReport;
  const log = config.log ?? (() => {});
  try {
    for (const [index, seed] of seeds.entries()) {
      const parsed = { ...config.run, seed };
      const dirName = `seed-${seed}`;
      const runDir = path.join(outDir, dirName);
      const state = (detail?: string): ProgressState => ({
        index, total: seeds.length, seed, elapsedSeconds: (Date.now() - started) / 1000,
        doneSeconds: result.runs.map((r) => r.durationSeconds),
        anomalies: result.runs.filter((r) => r.status === 'invalid').map((r) => ({ seed: r.seed, types: r.anomalyTypes })),
        errors: result.runs.filter((r) => r.status === 'error').length,
        ...(detail ? { detail } : {}),
      });
      config.onProgress?.(state());
      const seedStarted = Date.now();
      let entry: SeedResult;
      try {
        const verdict = await runProgramForClients({
          program: programFor(parsed), target: parsed.target, outDir: runDir, kafkaVersion: parsed.kafkaVersion, clientFixes: parsed.clientFixes, cluster: parsed.cluster, forensics: parsed.forensics,
          repro: reproCommand(parsed), log: (line) => log(`[seed ${seed}] ${line}`), progress: (line) => config.onProgress?.(state(line)),
        }, parsed.clients);
        const report = await render(runDir);
        entry = seedResult(seed, dirName, report ? path.relative(outDir, report) : null, verdict);
      } catch (error) {
        if (error instanceof CliError && error.exitCode === EXIT.usage) throw error; // same for every seed
        const message = error instanceof Error ? error.message : String(error);
        log(`[seed ${seed}] could not run: ${message}`);
        const verdictFile = path.join(runDir, 'verdict.json');
        const report = fs.existsSync(verdictFile) ? await render(runDir) : null;
        const link = report ? path.relative(outDir, report) : null;
        // What the run recorded before it failed still counts: anomalies found by then make the seed invalid.
        const recorded = fs.existsSync(verdictFile) ? seedResult(seed, dirName, link, JSON.parse(fs.readFileSync(verdictFile, 'utf8')) as RunVerdict) : null;
        entry = recorded ? { ...recorded, error: recorded.error ?? message } : {
          seed, status: 'error', outcome: 'harness-error', anomalyTypes: [], divergences: 0,
          durationSeconds: (Date.now() - seedStarted) / 1000, dir: dirName, report: link,
          repro: reproCommand(parsed), ops: {}, error: message,
        };
      }
      result.runs.push(entry);
      save();
    }
    result.complete = true;
    save();
    return result;
  } finally {
    forget();
  }
}
