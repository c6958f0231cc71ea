// `kafka-eos campaign --seeds A..B [--shard I/N] [run options] [--out DIR]`: runs seed after seed with the `run` options
// (--target, --time-limit, --nemesis, --mutate, ...), a progress bar on stderr, and writes DIR/index.html,
// DIR/junit.xml and DIR/campaign.json. Exit 1 if any seed found anomalies (or a model divergence), else 3
// if any seed could not run, else 4 if any was inconclusive, else 0; 2 for bad usage (campaignExitCode).
import { Option, type Command } from 'commander';
import { act, invoke, newCommand } from './command.ts';
import { addRunOptions, settingsFrom } from './run.ts';
import { parseSeedRange, parseShard } from '../campaign/seeds.ts';

export function define(): Command {
  const command = addRunOptions(newCommand('campaign')
    .description('run many seeds with the same run options; write index.html, junit.xml and campaign.json')
    .addOption(new Option('--seeds <range>', 'the seeds to run: A..B (inclusive), N, or several comma-separated (required)'))
    .addOption(new Option('--shard <I/N>', 'run only the seeds with seed mod N = I (one of N machines; kafka-eos merge joins them)')), { seed: false });
  return act(command, async () => {
    // Checked here, not by commander, so that its message can say how a range is written.
    const raw = command.opts()['seeds'] as string | undefined;
    const seeds = parseSeedRange(raw);
    const shard = parseShard(command.opts()['shard'] as string | undefined);
    const settings = settingsFrom(command, 'campaign');
    const { campaignCommand } = await import('./campaign-action.ts');
    return campaignCommand(seeds, settings, shard);
  });
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);
