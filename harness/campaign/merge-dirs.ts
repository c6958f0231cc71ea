// `kafka-eos merge DIR... --out OUT` on disk: reads each shard's campaign.json (refusing what is not
// one), merges them (merge.ts), copies every seed's run directory into OUT (so that OUT reads like one
// campaign's directory: seed-N/ with its report, links unchanged) and writes OUT's campaign.json,
// index.html and junit.xml. The shard directories are only read.
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../cli/exit-codes.ts';
import { refuseUsedDir, writeCampaignFiles } from './campaign.ts';
import { mergeCampaigns, type ShardInput } from './merge.ts';
import type { CampaignResult } from './result.ts';
import { SEED_STATUSES } from './result.ts';

const FROM_SHARD = 'give the directories `kafka-eos campaign --shard I/N --out DIR` wrote';

/** What merge relies on, checked, so that a damaged or foreign file is refused by name, not half-read. */
function validate(dir: string, c: unknown): CampaignResult {
  const bad = (what: string) => usageError(`merge: ${path.join(dir, 'campaign.json')} ${what}`);
  if (typeof c !== 'object' || c === null || (c as { version?: unknown }).version !== 1) throw bad('is not a version 1 campaign.json');
  const x = c as Record<string, unknown>;
  const harness = x['harness'] as { version?: unknown; commit?: unknown } | undefined;
  if (typeof harness?.version !== 'string' || typeof harness.commit !== 'string' || typeof x['seedSpec'] !== 'string'
    || typeof x['settings'] !== 'object' || x['settings'] === null || !('shard' in x)) {
    throw bad('was written by a harness without shards (no harness, seedSpec, settings, shard); run the campaign again with this one');
  }
  if (!Array.isArray(x['runs']) || !Array.isArray(x['args']) || typeof x['startedAt'] !== 'string' || Number.isNaN(Date.parse(x['startedAt']))
    || typeof x['durationSeconds'] !== 'number' || typeof x['complete'] !== 'boolean' || typeof x['target'] !== 'string') {
    throw bad('is damaged (runs, args, startedAt, durationSeconds, complete or target missing or of the wrong type)');
  }
  const shard = x['shard'] as { index?: unknown; count?: unknown } | null;
  if (shard !== null && !(Number.isInteger(shard.index) && Number.isInteger(shard.count) && (shard.index as number) >= 0 && (shard.index as number) < (shard.count as number))) {
    throw bad(`has a damaged shard (${JSON.stringify(shard)})`);
  }
  for (const r of x['runs'] as Array<Record<string, unknown>>) {
    const dirOk = typeof r['dir'] === 'string' && !path.isAbsolute(r['dir']) && !path.normalize(r['dir']).startsWith('..') && path.normalize(r['dir']) !== '.';
    if (!Number.isInteger(r['seed']) || !SEED_STATUSES.includes(r['status'] as never) || !dirOk || typeof r['durationSeconds'] !== 'number') {
      throw bad(`has a damaged run entry (${JSON.stringify(r).slice(0, 120)})`);
    }
  }
  return c as CampaignResult;
}

export function loadShard(dir: string): ShardInput {
  const file = path.join(dir, 'campaign.json');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw usageError(`merge: ${dir} is not a directory; ${FROM_SHARD}`);
  if (!fs.existsSync(file)) throw usageError(`merge: ${dir} holds no campaign.json; ${FROM_SHARD}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw usageError(`merge: ${file} is not JSON (${(error as Error).message}); was the shard's upload cut short?`);
  }
  return { dir, campaign: validate(dir, parsed) };
}

export interface MergeConfig {
  dirs: string[];
  outDir: string;
  log?: (line: string) => void;
}

export function mergeShardDirs(config: MergeConfig): CampaignResult {
  const log = config.log ?? (() => {});
  const outDir = path.resolve(config.outDir);
  const inputs = config.dirs.map(loadShard);
  if (inputs.some((i) => path.resolve(i.dir) === outDir)) throw usageError(`merge: --out ${config.outDir} is one of the shards; give a new directory`);
  const { merged, warnings } = mergeCampaigns(inputs);
  refuseUsedDir(outDir, 'merge');
  fs.mkdirSync(outDir, { recursive: true });
  for (const warning of warnings) log(`merge: ${warning}`);
  const sourceOf = new Map(inputs.flatMap((i) => i.campaign.runs.map((r) => [r.seed, i.dir] as const)));
  merged.runs = merged.runs.map((r) => {
    const from = path.join(sourceOf.get(r.seed)!, r.dir);
    if (!fs.existsSync(from)) {
      log(`merge: seed ${r.seed}'s run directory ${from} is missing; its row stays, without a report link`);
      return { ...r, report: null };
    }
    fs.cpSync(from, path.join(outDir, r.dir), { recursive: true, errorOnExist: true, force: false });
    return r;
  });
  writeCampaignFiles(outDir, merged);
  return merged;
}
