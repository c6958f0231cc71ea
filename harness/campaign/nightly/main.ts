// The nightly workflow's helper (.github/workflows/nightly.yml), one subcommand per step:
//   plan  --date D --per-night N --shards N [--state FILE]   tonight's seeds, shards and legs (LEGS), for $GITHUB_OUTPUT
//   image [--kafka-version V]                               the images a leg needs and their cache key part
//   pick-state --branch B < listing.json                    the run holding the newest nightly-state artifact
//   summary --leg NAME DIR                                  a leg's verdict table in Markdown (job summary)
//   state --date D [--previous FILE] --campaigns DIR --out FILE [--max-carried N]
//                                                           the next night's state from DIR/campaign-<leg>/ of
//                                                           every leg in LEGS; Markdown of what is carried
// Logic lives in the modules beside this one (tested); this file only reads and writes.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CampaignResult } from '../result.ts';
import { imagePlan } from './image-key.ts';
import { parseLegs } from './legs.ts';
import { DEFAULT_MAX_CARRIED, nextState, parseState } from './nightly-state.ts';
import { pickStateRun, type ArtifactListing } from './pick-state.ts';
import { planNight } from './seeds.ts';
import { renderCarriedSummary, renderLegSummary } from './summary.ts';

const readIfExists = (file: string | undefined) => (file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null);

function positiveInt(name: string, raw: string | undefined, fallback?: number): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (value === undefined || !Number.isInteger(value) || value < 1) throw new Error(`nightly: --${name} must be a positive integer, got '${raw}'`);
  return value;
}

function loadCampaign(dir: string): CampaignResult | null {
  const text = readIfExists(path.join(dir, 'campaign.json'));
  return text === null ? null : (JSON.parse(text) as CampaignResult);
}

const outputs = (pairs: Record<string, string | number>) =>
  Object.entries(pairs).map(([k, v]) => `${k}=${String(v).replace(/[\r\n]+/g, ' ')}`).join('\n') + '\n';

/** `env` is where LEGS comes from: the workflow declares the legs there once. */
export function nightly(argv: string[], stdin: () => string, env: NodeJS.ProcessEnv = process.env): string {
  const [command, ...rest] = argv;
  const flags = {
    date: { type: 'string' }, 'per-night': { type: 'string' }, shards: { type: 'string' }, state: { type: 'string' },
    'kafka-version': { type: 'string' }, branch: { type: 'string' }, leg: { type: 'string' }, previous: { type: 'string' },
    campaigns: { type: 'string' }, out: { type: 'string' }, 'max-carried': { type: 'string' },
  } as const;
  const { values, positionals } = parseArgs({ args: rest, options: flags, strict: true, allowPositionals: true });
  switch (command) {
    case 'plan': {
      const shards = positiveInt('shards', values.shards);
      const legs = parseLegs(env['LEGS']);
      const state = parseState(readIfExists(values.state));
      const plan = planNight(values.date ?? '', positiveInt('per-night', values['per-night']), state);
      return outputs({
        date: plan.date, seeds: plan.seeds, carried: plan.carried.join(',') || 'none', 'shard-count': shards,
        shards: JSON.stringify(Array.from({ length: shards }, (_, i) => i)), legs: JSON.stringify(legs), state: JSON.stringify(state),
      });
    }
    case 'image': {
      const plan = imagePlan(values['kafka-version']);
      return outputs({ version: plan.version, images: plan.images, key: plan.key });
    }
    case 'pick-state': {
      if (!values.branch) throw new Error('nightly: pick-state needs --branch (the default branch)');
      return outputs({ 'run-id': pickStateRun(JSON.parse(stdin()) as ArtifactListing, values.branch) ?? '' });
    }
    case 'summary': {
      if (!values.leg || positionals.length !== 1) throw new Error('nightly: summary --leg NAME DIR');
      return renderLegSummary(values.leg, loadCampaign(positionals[0]!));
    }
    case 'state': {
      if (!values.date || !values.out || !values.campaigns) throw new Error('nightly: state needs --date, --campaigns and --out');
      // Every declared leg counts: one whose merged campaign never arrived is null, and proves nothing.
      const campaigns = Object.fromEntries(parseLegs(env['LEGS']).map((leg) => [leg.name, loadCampaign(path.join(values.campaigns!, `campaign-${leg.name}`))]));
      const change = nextState(parseState(readIfExists(values.previous)), values.date, campaigns,
        positiveInt('max-carried', values['max-carried'], DEFAULT_MAX_CARRIED));
      fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      fs.writeFileSync(values.out, JSON.stringify(change.state, null, 1) + '\n');
      return renderCarriedSummary(change);
    }
    default:
      throw new Error(`nightly: unknown step '${command ?? ''}': plan, image, pick-state, summary or state`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.stdout.write(nightly(process.argv.slice(2), () => fs.readFileSync(0, 'utf8')));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
