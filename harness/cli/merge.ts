// `kafka-eos merge DIR... [--out DIR]`: joins the shard directories of one campaign (`campaign --shard
// I/N`, run on N machines) into one directory with the index page, junit.xml and campaign.json the whole
// campaign would have written, and every seed's run directory. Exit codes as campaign's (1, 3, 4, 0;
// a missing shard is 3); 2 for shards of different harness versions, seeds, run settings or splits.
import { Option, type Command } from 'commander';
import { act, invoke, newCommand } from './command.ts';
import { claimOutDir, timestamp } from './out-dir.ts';

export function define(): Command {
  const command = newCommand('merge')
    .description('merge the shard directories of one campaign into one index.html, junit.xml and campaign.json')
    .argument('<dirs...>', 'the directories `kafka-eos campaign --shard I/N --out DIR` wrote')
    .addOption(new Option('--out <dir>', 'where the merged campaign goes; must not exist or be empty (default: campaigns/merged-<time>)'));
  return act(command, async (dirs: string[]) => {
    const outDir = claimOutDir('merge', command.opts()['out'] as string | undefined, () => `campaigns/merged-${timestamp()}`);
    const [{ mergeShardDirs }, { campaignExitCode, tally, tallyWords }, { formatDuration }] = await Promise.all([
      import('../campaign/merge-dirs.ts'), import('../campaign/result.ts'), import('../campaign/index-page.ts')]);
    const merged = mergeShardDirs({ dirs, outDir, log: (line) => process.stderr.write(`${line}\n`) });
    const t = tally(merged);
    console.log(`merge: ${merged.shards!.length} shard(s), ${merged.runs.length} of ${merged.seeds.length} seeds in ${formatDuration(merged.durationSeconds)}: ` +
      tallyWords(t, ', ') + (t.anomalyTypes.length > 0 ? ` (${t.anomalyTypes.join(', ')})` : ''));
    console.log(`  index:  ${outDir}/index.html`);
    console.log(`  junit:  ${outDir}/junit.xml`);
    return campaignExitCode(merged);
  });
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);
