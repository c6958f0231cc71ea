// `campaign --shard I/N` and `kafka-eos merge`: shards partition the seeds; shards merged give the index
// page, junit.xml and campaign.json of the campaign run in one piece (real model campaigns, and every
// seed status on made-up results); shards that are not of one campaign are refused (exit 2) by name.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import { tempDir } from '../repro/testing.ts';
import { main as campaignMain } from '../cli/campaign.ts';
import { main as mergeMain } from '../cli/merge.ts';
import { renderCampaignIndex } from './index-page.ts';
import { renderJunit } from './junit.ts';
import { mergeCampaigns, type ShardInput } from './merge.ts';
import { mergeShardDirs } from './merge-dirs.ts';
import { campaignExitCode, type CampaignResult, type SeedResult } from './result.ts';
import { formatSeeds, parseSeedRange, parseShard, shardSeeds } from './seeds.ts';

/** What differs between any two runs of the same seeds (times, durations) and the merged page's shard list. */
const sameContent = {
  index: (page: string) => page.replace(/(<(td|span) class="timing">)[^<]*</g, '$1<')
    .replace(/<div class="provenance">[\s\S]*?<\/ul><\/div>/, ''),
  junit: (text: string) => text.replace(/ (time|timestamp)="[^"]*"/g, ''),
  campaign: ({ startedAt: _s, durationSeconds: _d, shards: _h, missingShards: _m, ...rest }: CampaignResult) =>
    ({ ...rest, runs: rest.runs.map(({ durationSeconds: _r, ...run }) => run) }),
};

function usage(f: () => unknown): string {
  try { f(); } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return (error as CliError).message;
  }
  throw new Error('expected a usage error (exit 2)');
}

describe('--seeds lists and --shard I/N', () => {
  it('shards partition the seeds: every seed in exactly one shard, in order', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.nat({ max: 10_000 }), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (raw, n) => {
      const seeds = [...raw].sort((a, b) => a - b);
      const parts = Array.from({ length: n }, (_, i) => shardSeeds(seeds, { index: i, count: n }));
      expect(parts.flat().sort((a, b) => a - b)).toEqual(seeds);
      parts.forEach((part, i) => expect(part.every((s) => s % n === i)).toBe(true));
    }));
  });

  it('formatSeeds writes --seeds that parse back to the same seeds', () => {
    fc.assert(fc.property(fc.array(fc.nat({ max: 300 }), { minLength: 1, maxLength: 80 }), (seeds) => {
      expect(parseSeedRange(formatSeeds(seeds))).toEqual([...new Set(seeds)].sort((a, b) => a - b));
    }));
    expect(formatSeeds([9, 1, 2, 3, 5, 6])).toBe('1..3,5..6,9');
  });

  it('parses I/N and refuses the rest, naming the fix', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    expect(parseShard(undefined)).toBeNull();
    for (const raw of ['3/3', '0/0', '1', '-1/2', 'a/b', '1/2/3']) expect(usage(() => parseShard(raw))).toContain('--shard I/N');
    expect(usage(() => parseSeedRange('0..2000000'))).toMatch(/more than 1000000 seeds/);
  });
});

// ---- made-up results: every status, split the way runCampaign splits ----

function seedRun(seed: number, status: SeedResult['status']): SeedResult {
  return {
    seed, status, outcome: ({ valid: 'valid', invalid: 'anomalies', error: 'harness-error', inconclusive: 'valid' } as const)[status],
    anomalyTypes: status === 'invalid' ? ['G1a'] : [], divergences: 0, durationSeconds: 10 + seed,
    ...(status === 'inconclusive' ? { inconclusive: [`seed ${seed}: unseen write 7 of key 2 has no attributed cause`] } : {}),
    dir: `seed-${seed}`, report: `seed-${seed}/index.html`, repro: `npx kafka-eos run --seed ${seed}`, ops: { kafka: seed * 10 },
    error: status === 'error' ? 'cluster did not come up' : null,
  };
}

const STATUSES = ['valid', 'invalid', 'inconclusive', 'error'] as const;
const whole = (seeds: number[], extra: Partial<CampaignResult> = {}): CampaignResult => ({
  version: 1, harness: { version: '0.1.0', commit: 'a'.repeat(40) }, seedSpec: formatSeeds(seeds), seeds, shard: null, settings: { target: 'kafka', timeLimitSeconds: 120 },
  args: ['--seeds', formatSeeds(seeds)], target: 'kafka', startedAt: '2026-11-28T02:17:00.000Z', durationSeconds: 600, complete: true,
  runs: seeds.map((s) => seedRun(s, STATUSES[s % 4]!)), ...extra,
});

/** Shard I of N as `campaign --shard I/N` would have written it, started `I` minutes after the first. */
function shardOf(c: CampaignResult, index: number, count: number): ShardInput {
  return {
    dir: `shard-${index}`,
    campaign: {
      ...c, shard: { index, count }, seeds: shardSeeds(c.seeds, { index, count }), runs: c.runs.filter((r) => r.seed % count === index),
      startedAt: new Date(Date.parse(c.startedAt) + index * 60_000).toISOString(), durationSeconds: 100 + index,
    },
  };
}

describe('merge: the shards of a campaign give the campaign', () => {
  it('every seed status (valid, anomalies, inconclusive, could not run) comes through, as one campaign would show it', () => {
    const full = whole([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const { merged, warnings } = mergeCampaigns([2, 0, 1].map((i) => shardOf(full, i, 3)));
    expect(warnings).toEqual([]);
    expect(sameContent.campaign(merged)).toEqual(sameContent.campaign(full));
    expect(sameContent.index(renderCampaignIndex(merged))).toBe(sameContent.index(renderCampaignIndex(full)));
    expect(sameContent.junit(renderJunit(merged))).toBe(sameContent.junit(renderJunit(full)));
    expect(renderJunit(merged)).toContain('<skipped message="inconclusive: seed 2: unseen write 7 of key 2 has no attributed cause">');
    expect(renderJunit(merged)).toMatch(/tests="9" failures="3" errors="2" skipped="2"/);
    // Wall time of the sharded campaign: first start to last end (shard 2 started 2 min in, ran 102 s).
    expect(merged.startedAt).toBe(full.startedAt);
    expect(merged.durationSeconds).toBe(222);
    expect(merged.shards!.map((s) => s.dir)).toEqual(['shard-0', 'shard-1', 'shard-2']);
    expect(renderCampaignIndex(merged)).toContain('merged from 3 shard(s)');
  });

  it('a missing shard leaves the campaign incomplete (exit 3) and says whose seeds did not run', () => {
    const full = whole([2, 4, 6, 8]); // all even: shard 1/2 has no seeds, shard 0/2 has every one
    const { merged, warnings } = mergeCampaigns([shardOf(full, 1, 2)]);
    expect(warnings).toEqual(['shard 0/2 is missing: its seeds did not run (the merged campaign is incomplete)']);
    expect(merged).toMatchObject({ complete: false, missingShards: [0], seeds: [2, 4, 6, 8], runs: [] });
    expect(campaignExitCode(merged)).toBe(EXIT.harnessError);
    expect(renderCampaignIndex(merged)).toContain('shard 0/2 missing: its seeds did not run');
    // ...which is what makes the comparison above able to fail.
    expect(sameContent.index(renderCampaignIndex(merged))).not.toBe(sameContent.index(renderCampaignIndex(full)));
  });

  it('refuses shards of different harness versions, seeds, run settings or splits, and a shard given twice (exit 2)', () => {
    const full = whole([1, 2, 3, 4]);
    const a = shardOf(full, 0, 2);
    const b = shardOf(full, 1, 2);
    const with_ = (s: ShardInput, change: Partial<CampaignResult>): ShardInput => ({ dir: `${s.dir}-changed`, campaign: { ...s.campaign, ...change } });
    expect(usage(() => mergeCampaigns([a, with_(b, { harness: { version: '0.1.0', commit: 'd'.repeat(40) } })])))
      .toBe('merge: the shards differ in harness version: 0.1.0 (commit aaaaaaaaaaaa) (shard-0) vs 0.1.0 (commit dddddddddddd) (shard-1-changed); ' +
        'merge only shards of one campaign, run by the same code (same commit); re-run the odd ones out');
    expect(usage(() => mergeCampaigns([a, with_(b, { seedSpec: '1..5' })]))).toMatch(/differ in planned seeds: --seeds 1..4 \(shard-0\) vs --seeds 1..5 \(shard-1-changed\)/);
    expect(usage(() => mergeCampaigns([a, with_(b, { settings: { timeLimitSeconds: 120, target: 'kafka', mutate: 'read-uncommitted' } })])))
      .toMatch(/differ in run settings \(mutate: undefined \(shard-0\) vs "read-uncommitted" \(shard-1-changed\)\)/);
    // key order is not a difference
    expect(() => mergeCampaigns([a, with_(b, { settings: { timeLimitSeconds: 120, target: 'kafka' } })])).not.toThrow();
    expect(usage(() => mergeCampaigns([a, shardOf(full, 1, 3)]))).toMatch(/differ in split: N=2 \(shard-0\) vs N=3 \(shard-1\)/);
    expect(usage(() => mergeCampaigns([a, with_(a, {})]))).toBe('merge: shard 0/2 is given twice (shard-0, shard-0-changed); give each shard\'s directory once');
    expect(usage(() => mergeCampaigns([a, with_(b, { runs: full.runs })]))).toMatch(/says it is shard 1\/2 but holds seed 2/);
    expect(usage(() => mergeCampaigns([]))).toMatch(/no shard directories/);
  });
});

// ---- real campaigns on the model, through the command line: `campaign --shard`, then `merge` ----

const MUTANT = ['--mutate', 'read-uncommitted', '--rate', '20', '--workers', '2', '--time-limit', '2'];

async function campaignDir(seeds: string, shard: string | null, flags: readonly string[], parent: string): Promise<string> {
  const out = path.join(parent, shard === null ? 'whole' : `shard-${shard.replace('/', '-of-')}`);
  await campaignMain(['--seeds', seeds, ...(shard ? ['--shard', shard] : []), '--target', 'model', '--time-limit', '1', ...flags, '--out', out]);
  return out;
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const campaignOf = (dir: string) => JSON.parse(read(dir, 'campaign.json')) as CampaignResult;

describe('kafka-eos merge on model campaigns', () => {
  it.each([[[], 'valid', EXIT.valid], [MUTANT, 'invalid', EXIT.invalid]] as const)(
    'two shards merged equal one unsharded campaign of the same seeds (flags %j: every seed %s)', async (flags, status, exit) => {
      const parent = tempDir('merge');
      const one = await campaignDir('1..5', null, flags, parent);
      const shards = [await campaignDir('1..5', '1/2', flags, parent), await campaignDir('1..5', '0/2', flags, parent)];
      expect(shards.map((d) => campaignOf(d).runs.map((r) => r.seed))).toEqual([[1, 3, 5], [2, 4]]);
      const out = path.join(parent, 'merged');
      expect(await mergeMain(['--out', out, ...shards])).toBe(exit);
      const merged = campaignOf(out);
      expect(merged.runs.map((r) => r.status)).toEqual([1, 2, 3, 4, 5].map(() => status));
      expect(sameContent.index(read(out, 'index.html'))).toBe(sameContent.index(read(one, 'index.html')));
      expect(sameContent.junit(read(out, 'junit.xml'))).toBe(sameContent.junit(read(one, 'junit.xml')));
      expect(sameContent.campaign(merged)).toEqual(sameContent.campaign(campaignOf(one)));
      expect(read(out, 'index.html')).toContain(`merged from 2 shard(s):</p><ul><li>shard 0/2 from <code>${shards[1]}</code>: 2 seed(s)`);
      for (const r of merged.runs) { // each seed's directory came along: its report, and the same history bytes
        expect(fs.existsSync(path.join(out, r.report!))).toBe(true);
        expect(read(out, `${r.dir}/model/history.jsonl`)).toBe(read(one, `${r.dir}/model/history.jsonl`));
      }
    });

  it('refuses what is not a shard of one campaign, by directory, and writes nothing', async () => {
    const parent = tempDir('merge-bad');
    const a = await campaignDir('1..2', '0/2', [], parent);
    const other = path.join(parent, 'longer');
    await campaignMain(['--seeds', '1..2', '--shard', '1/2', '--target', 'model', '--time-limit', '2', '--out', other]);
    const out = path.join(parent, 'out');
    await expect(mergeMain(['--out', out, a, other])).rejects.toThrow(expect.objectContaining({ exitCode: EXIT.usage,
      message: `merge: the shards differ in run settings (timeLimitSeconds: 1 (${a}) vs 2 (${other})); ` +
        'merge only shards of one campaign: the same flags on every shard, only --shard and --out differ' }));
    expect(fs.existsSync(out)).toBe(false);

    const notJson = path.join(parent, 'cut');
    fs.mkdirSync(notJson);
    fs.writeFileSync(path.join(notJson, 'campaign.json'), '{"version":1,"runs":[');
    const old = path.join(parent, 'old');
    fs.mkdirSync(old);
    const { harness: _h, seedSpec: _s, settings: _t, shard: _d, ...before } = campaignOf(a);
    fs.writeFileSync(path.join(old, 'campaign.json'), JSON.stringify(before));
    const evil = path.join(parent, 'evil');
    fs.mkdirSync(evil);
    fs.writeFileSync(path.join(evil, 'campaign.json'), JSON.stringify({ ...campaignOf(a), runs: [{ ...campaignOf(a).runs[0], dir: '../../etc' }] }));
    expect(usage(() => mergeShardDirs({ dirs: [a, notJson], outDir: out }))).toMatch(/cut\/campaign.json is not JSON .*upload cut short/);
    expect(usage(() => mergeShardDirs({ dirs: [old], outDir: out }))).toMatch(/written by a harness without shards .* run the campaign again/);
    expect(usage(() => mergeShardDirs({ dirs: [evil], outDir: out }))).toMatch(/damaged run entry/);
    expect(usage(() => mergeShardDirs({ dirs: [path.join(parent, 'nope')], outDir: out }))).toMatch(/nope is not a directory/);
    expect(usage(() => mergeShardDirs({ dirs: [parent], outDir: out }))).toMatch(/holds no campaign.json; give the directories `kafka-eos campaign --shard I\/N --out DIR` wrote/);
    expect(usage(() => mergeShardDirs({ dirs: [a], outDir: a }))).toMatch(/is one of the shards/);
    expect(usage(() => mergeShardDirs({ dirs: [a], outDir: other }))).toMatch(/already holds a campaign/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a seed directory lost on the way keeps its row, without a link; a shard alone merges as incomplete', async () => {
    const parent = tempDir('merge-lost');
    const a = await campaignDir('1..4', '0/2', [], parent);
    fs.rmSync(path.join(a, 'seed-4'), { recursive: true });
    const log: string[] = [];
    const merged = mergeShardDirs({ dirs: [a], outDir: path.join(parent, 'out'), log: (l) => log.push(l) });
    expect(log).toEqual(['merge: shard 1/2 is missing: its seeds did not run (the merged campaign is incomplete)',
      `merge: seed 4's run directory ${path.join(a, 'seed-4')} is missing; its row stays, without a report link`]);
    expect(merged.runs.map((r) => [r.seed, r.report])).toEqual([[2, 'seed-2/index.html'], [4, null]]);
    expect(campaignExitCode(merged)).toBe(EXIT.harnessError);
  });
});
