// `kafka-eos campaign --seeds A..B [run flags] [--out DIR]`: runs seed after seed with the `run` flags
// (--target, --time-limit, --nemesis, --mutate, ...), a progress bar on stderr, and writes DIR/index.html,
// DIR/junit.xml and DIR/campaign.json. Exit 1 if any seed found anomalies (or a model divergence), else 3
// if any seed could not run, else 0; 2 for bad usage (see campaignExitCode for why 1 wins over 3).
import path from 'node:path';
import { parseRunFlags } from './run.ts';
import { usageError } from './exit-codes.ts';
import { runCampaign } from '../campaign/campaign.ts';
import { progressLine } from '../campaign/progress.ts';
import { campaignExitCode, tally } from '../campaign/result.ts';
import { parseSeedRange } from '../campaign/seeds.ts';
import { formatDuration } from '../campaign/index-page.ts';

/** Splits `--seeds X` / `--seeds=X` off; the rest are `run` flags (a lone `--seed` is refused). */
export function splitSeedsFlag(argv: string[]): { seeds: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let seeds: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--seeds') seeds = argv[++i];
    else if (arg.startsWith('--seeds=')) seeds = arg.slice('--seeds='.length);
    else if (arg === '--seed' || arg.startsWith('--seed=')) throw usageError('campaign: use --seeds A..B (a range), not --seed');
    else rest.push(arg);
  }
  return { seeds, rest };
}

export async function main(argv: string[]): Promise<number> {
  const { seeds: rawSeeds, rest } = splitSeedsFlag(argv);
  const seeds = parseSeedRange(rawSeeds);
  const run = parseRunFlags('campaign', rest);
  const outDir = path.resolve(run.out ?? path.join('campaigns', `seeds-${seeds[0]}-${seeds[seeds.length - 1]}-${timestamp()}`));
  const interactive = process.stderr.isTTY === true;
  let lastPrinted = 0;
  let lastSeed = -1;
  const result = await runCampaign({
    seeds, run, outDir, args: argv,
    log: (line) => process.stderr.write(`${interactive ? '\r\x1b[K' : ''}${line}\n`),
    onProgress: (state) => {
      const line = progressLine(state);
      // On a terminal the bar updates in place; in CI logs, a line per seed and one every 30 s.
      if (interactive) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 200) - 1)}`);
      else if (state.seed !== lastSeed || Date.now() - lastPrinted >= 30_000) {
        lastSeed = state.seed;
        lastPrinted = Date.now();
        process.stderr.write(`${line}\n`);
      }
    },
  });
  if (interactive) process.stderr.write('\n');
  const t = tally(result);
  console.log(`campaign: ${result.runs.length} seeds in ${formatDuration(result.durationSeconds)}: valid ${t.valid}, anomalies ${t.invalid}, could not run ${t.error}` +
    (t.anomalyTypes.length > 0 ? ` (${t.anomalyTypes.join(', ')})` : ''));
  for (const r of result.runs.filter((x) => x.status !== 'valid')) {
    console.log(`  seed ${r.seed}: ${r.status === 'invalid' ? r.anomalyTypes.join(', ') || 'model divergence' : `could not run: ${r.error}`}\n    repro: ${r.repro}`);
  }
  console.log(`  index:  ${path.join(outDir, 'index.html')}`);
  console.log(`  junit:  ${path.join(outDir, 'junit.xml')}`);
  return campaignExitCode(result);
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
}
