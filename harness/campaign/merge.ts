// `kafka-eos merge` without the files: shards of one campaign (`campaign --shard I/N`, run on N machines)
// become the campaign.json the whole campaign would have written, seeds in order. Shards are only
// comparable when the same code ran the same seeds with the same flags, so any difference in harness
// version, planned seeds, run settings or split is refused with a message naming the directories.
// A shard index no directory was given for is not refused (a CI job that died uploads nothing): the
// merged campaign is then incomplete, as a campaign stopped midway is, and says which shards are missing.
import { usageError } from '../cli/exit-codes.ts';
import { versionLine } from '../meta/version.ts';
import type { CampaignResult, MergedShard } from './result.ts';
import { formatShard, parseSeedRange, type Shard } from './seeds.ts';

export interface ShardInput {
  /** The directory as the user named it (messages and the merged page show it). */
  dir: string;
  campaign: CampaignResult;
}

export interface Merged {
  merged: CampaignResult;
  warnings: string[];
}

const shardOf = (c: CampaignResult): Shard => c.shard ?? { index: 0, count: 1 };

/** Stable text for a value: objects with sorted keys, so that key order never makes two settings differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Refuses unless every input has the same `what`: "harness 0.1.0+ab (a, b) vs 0.1.0+cd (c)". */
function requireSame(inputs: ShardInput[], what: string, fix: string, value: (c: CampaignResult) => unknown, show = canonical): void {
  const groups = new Map<string, { shown: string; dirs: string[] }>();
  for (const { dir, campaign } of inputs) {
    const key = canonical(value(campaign));
    const group = groups.get(key) ?? { shown: show(value(campaign)), dirs: [] };
    group.dirs.push(dir);
    groups.set(key, group);
  }
  if (groups.size > 1) {
    const listed = [...groups.values()].map((g) => `${g.shown} (${g.dirs.join(', ')})`).join(' vs ');
    throw usageError(`merge: the shards differ in ${what}: ${listed}; ${fix}`);
  }
}

function settingsDiff(inputs: ShardInput[]): void {
  const keys = [...new Set(inputs.flatMap((i) => Object.keys(i.campaign.settings)))].sort();
  const differing = keys.filter((k) => new Set(inputs.map((i) => canonical(i.campaign.settings[k]))).size > 1);
  if (differing.length === 0) return;
  const per = differing.map((k) => `${k}: ${inputs.map((i) => `${canonical(i.campaign.settings[k])} (${i.dir})`).join(' vs ')}`);
  throw usageError(`merge: the shards differ in run settings (${per.join('; ')}); ` +
    'merge only shards of one campaign: the same flags on every shard, only --shard and --out differ');
}

function checkCompatible(inputs: ShardInput[]): void {
  const oneCampaign = 'merge only shards of one campaign';
  requireSame(inputs, 'harness version', `${oneCampaign}, run by the same code (same commit); re-run the odd ones out`,
    (c) => c.harness, (id) => versionLine(id as NonNullable<CampaignResult['harness']>));
  requireSame(inputs, 'planned seeds', `${oneCampaign}: every shard must be given the same --seeds`, (c) => c.seedSpec, (s) => `--seeds ${s}`);
  settingsDiff(inputs);
  requireSame(inputs, 'split', `${oneCampaign}: every shard must say the same N in --shard I/N`, (c) => shardOf(c).count, (n) => `N=${n}`);
  const byIndex = new Map<number, string>();
  for (const { dir, campaign } of inputs) {
    const shard = shardOf(campaign);
    const other = byIndex.get(shard.index);
    if (other !== undefined) throw usageError(`merge: shard ${formatShard(shard)} is given twice (${other}, ${dir}); give each shard's directory once`);
    byIndex.set(shard.index, dir);
    const stray = campaign.runs.find((r) => r.seed % shard.count !== shard.index);
    if (stray) throw usageError(`merge: ${dir} says it is shard ${formatShard(shard)} but holds seed ${stray.seed}; its campaign.json was edited or damaged`);
  }
}

export function mergeCampaigns(inputs: ShardInput[]): Merged {
  if (inputs.length === 0) throw usageError('merge: no shard directories given; name the directories `kafka-eos campaign --shard I/N --out DIR` wrote');
  checkCompatible(inputs);
  const sorted = [...inputs].sort((a, b) => shardOf(a.campaign).index - shardOf(b.campaign).index);
  const first = sorted[0]!.campaign;
  const count = shardOf(first).count;
  const present = new Set(sorted.map((i) => shardOf(i.campaign).index));
  const missingShards = Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i));
  const starts = sorted.map((i) => Date.parse(i.campaign.startedAt));
  const ends = sorted.map((i, n) => starts[n]! + i.campaign.durationSeconds * 1000);
  const startedAt = Math.min(...starts);
  const shards: MergedShard[] = sorted.map(({ dir, campaign: c }) => ({
    shard: shardOf(c), dir, startedAt: c.startedAt, durationSeconds: c.durationSeconds, complete: c.complete, runs: c.runs.length,
  }));
  const warnings = [
    ...(first.harness?.commit === 'unknown' ? ['the shards do not say which commit ran them (no .git, no KAFKA_EOS_COMMIT): that they ran the same code is assumed, not checked'] : []),
    ...missingShards.map((i) => `shard ${i}/${count} is missing: its seeds did not run (the merged campaign is incomplete)`),
    ...shards.filter((s) => !s.complete).map((s) => `shard ${formatShard(s.shard)} (${s.dir}) stopped before its last seed`),
  ];
  const merged: CampaignResult = {
    version: 1, ...(first.harness ? { harness: first.harness } : {}), seedSpec: first.seedSpec, seeds: parseSeedRange(first.seedSpec), shard: null,
    settings: first.settings, args: first.args, target: first.target, startedAt: new Date(startedAt).toISOString(),
    durationSeconds: (Math.max(...ends) - startedAt) / 1000, complete: missingShards.length === 0 && shards.every((s) => s.complete),
    runs: sorted.flatMap((i) => i.campaign.runs).sort((a, b) => a.seed - b.seed),
    shards, missingShards,
  };
  return { merged, warnings };
}
