// What `kafka-eos campaign` does once its options are settled: claim the campaign directory, run the
// seeds with a progress bar, print the tally and the failing seeds, answer the exit code.
import path from 'node:path';
import { runCampaign } from '../campaign/campaign.ts';
import { progressLine } from '../campaign/progress.ts';
import { campaignExitCode, tally, tallyWords } from '../campaign/result.ts';
import { formatDuration } from '../campaign/index-page.ts';
import { formatSeeds, type Shard } from '../campaign/seeds.ts';
import { ensureDockerEngine } from '../docker/provision.ts';
import { runFlags, type RunSettings } from '../run/settings.ts';
import { claimOutDir, timestamp } from './out-dir.ts';
import { prepareClients } from '../clients/registry.ts';
import { logLine, progressPrinter } from './terminal.ts';

export async function campaignCommand(seeds: number[], run: RunSettings, shard: Shard | null = null): Promise<number> {
  // campaign.json records the settings in canonical form, so that campaigns (and shards) compare by them;
  // without --shard, so that shards merged read like the campaign run in one piece.
  await prepareClients(run.clients, logLine());
  const args = ['--seeds', formatSeeds(seeds), ...runFlags(run).flatMap((flag) => flag.split(' '))];
  const part = shard ? `-shard-${shard.index}-of-${shard.count}` : '';
  const outDir = claimOutDir('campaign', run.out, () => path.join('campaigns', `seeds-${seeds[0]}-${seeds[seeds.length - 1]}${part}-${timestamp()}`));
  const log = logLine();
  if (run.target !== 'model' && !run.cluster?.bootstrap.length) await ensureDockerEngine(log);
  const progress = progressPrinter(30_000);
  let lastSeed = -1;
  const result = await runCampaign({
    seeds, shard, run, outDir, args, log,
    // In a CI log, a line for each new seed as well as one every 30 s.
    onProgress: (state) => {
      const newSeed = state.seed !== lastSeed;
      lastSeed = state.seed;
      progress.show(progressLine(state), newSeed);
    },
  });
  progress.done();
  const t = tally(result);
  console.log(`campaign: ${result.runs.length} seeds in ${formatDuration(result.durationSeconds)}: ${tallyWords(t, ', ')}` +
    (t.anomalyTypes.length > 0 ? ` (${t.anomalyTypes.join(', ')})` : ''));
  for (const r of result.runs.filter((x) => x.status !== 'valid')) {
    const what = r.status === 'invalid' ? r.anomalyTypes.join(', ') || 'model divergence'
      : r.status === 'inconclusive' ? `inconclusive: ${(r.inconclusive ?? []).join(' ')}` : `could not run: ${r.error}`;
    console.log(`  seed ${r.seed}: ${what}\n    repro: ${r.repro}`);
  }
  console.log(`  index:  ${path.join(outDir, 'index.html')}`);
  console.log(`  junit:  ${path.join(outDir, 'junit.xml')}`);
  return campaignExitCode(result);
}
