// The nightly workflow's helpers: seeds that move with the date, failing seeds carried until they pass
// on every leg, the state artifact chosen from GitHub's listing, and the job summary's Markdown.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../repro/testing.ts';
import type { CampaignResult, SeedResult } from '../result.ts';
import { nightly } from './main.ts';
import { parseLegs } from './legs.ts';
import { nextState, parseState, type NightlyState } from './nightly-state.ts';
import { pickStateRun } from './pick-state.ts';
import { nightBlock, planNight } from './seeds.ts';
import { cell, renderCarriedSummary, renderLegSummary } from './summary.ts';

function run(seed: number, status: SeedResult['status'], extra: Partial<SeedResult> = {}): SeedResult {
  return {
    seed, status, outcome: status === 'invalid' ? 'anomalies' : status === 'error' ? 'harness-error' : 'valid',
    anomalyTypes: status === 'invalid' ? ['G1a', 'lost-write'] : [], divergences: 0, durationSeconds: 150,
    dir: `seed-${seed}`, report: `seed-${seed}/index.html`, repro: `npx kafka-eos run --seed ${seed} --target kafka`, ops: { kafka: 900 },
    error: status === 'error' ? 'cluster did not come up' : null,
    ...(status === 'inconclusive' ? { inconclusive: ['unseen write 3 of key 1 has no attributed cause'] } : {}), ...extra,
  };
}

const campaign = (runs: SeedResult[], extra: Partial<CampaignResult> = {}): CampaignResult => ({
  version: 1, harness: { version: '0.1.0', commit: 'a'.repeat(40) }, seedSpec: '1..4', seeds: runs.map((r) => r.seed), shard: null, settings: {},
  args: ['--seeds', '1..4', '--nemesis', 'kill'], target: 'kafka', startedAt: '2026-11-28T02:17:00.000Z', durationSeconds: 1300,
  complete: true, runs, ...extra,
});

const state = (carried: NightlyState['carried']): NightlyState => ({ version: 1, date: '2026-11-27', carried });

describe('seeds of a night', () => {
  it('a block that moves with the date, plus the carried seeds', () => {
    expect(nightBlock('2026-11-28', 12)).toEqual(Array.from({ length: 12 }, (_, i) => 249420 + i));
    expect(nightBlock('2026-11-29', 12)[0]).toBe(249432); // the next night starts where this one ended
    expect(nightBlock('1970-01-01', 3)).toEqual([0, 1, 2]);
    const plan = planNight('2026-11-28', 4, state([{ seed: 17, since: '2026-11-20', last: {} }, { seed: 249421, since: '2026-11-27', last: {} }]));
    expect(plan).toMatchObject({ block: [83140, 83141, 83142, 83143], carried: [17, 249421], seeds: '17,83140..83143,249421' });
    expect(() => nightBlock('2026-02-30', 4)).toThrow(/not a date; give it as YYYY-MM-DD/);
    expect(() => nightBlock('2026-11-28', 0)).toThrow(/positive integer/);
  });
});

describe('failing seeds are carried until they pass', () => {
  const legs = (a: SeedResult[], b: SeedResult[] | null) => ({ 'kafka-4': campaign(a), 'kafka-3.9': b === null ? null : campaign(b) });

  it('a seed that did not pass (anomalies, inconclusive, could not run) on any leg is carried from tonight', () => {
    const { state: next, resolved } = nextState(null, '2026-11-28', legs(
      [run(1, 'valid'), run(2, 'invalid'), run(3, 'valid'), run(4, 'valid')],
      [run(1, 'valid'), run(2, 'valid'), run(3, 'inconclusive'), run(4, 'error')]));
    expect(next.carried).toEqual([
      { seed: 2, since: '2026-11-28', last: { 'kafka-4': 'anomalies: G1a, lost-write' } },
      { seed: 3, since: '2026-11-28', last: { 'kafka-3.9': 'inconclusive: unseen write 3 of key 1 has no attributed cause' } },
      { seed: 4, since: '2026-11-28', last: { 'kafka-3.9': 'could not run: cluster did not come up' } },
    ]);
    expect(resolved).toEqual([]);
  });

  it('leaves the list only after passing on every leg; a leg with no campaign proves nothing', () => {
    const before = state([{ seed: 7, since: '2026-11-20', last: { 'kafka-4': 'anomalies: G1a' } }, { seed: 8, since: '2026-11-25', last: { 'kafka-3.9': 'anomalies: duplicate' } }]);
    const passed = nextState(before, '2026-11-28', legs([run(7, 'valid'), run(8, 'valid')], [run(7, 'valid'), run(8, 'invalid')]));
    expect(passed.resolved.map((c) => c.seed)).toEqual([7]);
    expect(passed.state.carried).toEqual([{ seed: 8, since: '2026-11-25', last: { 'kafka-3.9': 'anomalies: G1a, lost-write' } }]);
    const legLost = nextState(before, '2026-11-28', legs([run(7, 'valid'), run(8, 'valid')], null));
    expect(legLost.state.carried.map((c) => [c.seed, c.last])).toEqual([[7, {}], [8, { 'kafka-3.9': 'anomalies: duplicate' }]]);
    expect(legLost.resolved).toEqual([]);
    const notRun = nextState(before, '2026-11-28', legs([run(8, 'valid')], [run(8, 'valid')]));
    expect(notRun.state.carried.map((c) => c.seed)).toEqual([7]); // a shard lost seed 7: still carried
  });

  it('is capped, oldest kept: a bug that fails every seed does not lengthen every night', () => {
    const before = state([{ seed: 50, since: '2026-11-01', last: {} }]);
    const all = Array.from({ length: 12 }, (_, i) => run(100 + i, 'invalid'));
    const { state: next, dropped } = nextState(before, '2026-11-28', { leg: campaign([run(50, 'invalid'), ...all]) }, 5);
    expect(next.carried.map((c) => c.seed)).toEqual([50, 100, 101, 102, 103]);
    expect(dropped.map((c) => c.seed)).toEqual([104, 105, 106, 107, 108, 109, 110, 111]);
  });

  it('reads state files, refusing what is not one', () => {
    expect(parseState(null)).toBeNull();
    expect(parseState(' ')).toBeNull();
    expect(parseState('null')).toBeNull();
    expect(parseState(JSON.stringify(state([])))).toEqual(state([]));
    expect(() => parseState('{"version":1,"carried":[{"seed":"x"}]}')).toThrow(/not a version 1 nightly state/);
  });
});

describe('the state artifact', () => {
  const artifact = (id: number, runId: number, created: string, extra = {}) =>
    ({ id, name: 'nightly-state', expired: false, created_at: created, workflow_run: { id: runId, head_branch: 'main' }, ...extra });

  it('is the newest unexpired one of that name from the default branch', () => {
    const listing = { artifacts: [
      artifact(1, 101, '2026-11-26T03:00:00Z'),
      artifact(2, 102, '2026-11-27T03:00:00Z'),
      artifact(3, 103, '2026-11-27T09:00:00Z', { workflow_run: { id: 103, head_branch: 'feature' } }),
      artifact(4, 104, '2026-11-28T03:00:00Z', { expired: true }),
      artifact(5, 105, '2026-11-28T04:00:00Z', { name: 'campaign-kafka-4' }),
    ] };
    expect(pickStateRun(listing, 'main')).toBe(102);
    expect(pickStateRun({ artifacts: [] }, 'main')).toBeNull();
    expect(pickStateRun({}, 'main')).toBeNull();
  });
});

describe('job summary', () => {
  it('a verdict line and a table, seeds that did not pass first, text from runs kept as text', () => {
    const evil = 'broker said <img src=x onerror=alert(1)> | col\nnext line `tick` **bold**';
    const md = renderLegSummary('kafka-4 (kafkajs)', campaign([run(1, 'valid'), run(2, 'invalid'), run(3, 'error', { error: evil }), run(4, 'inconclusive')]));
    const lines = md.split('\n');
    expect(lines[0]).toBe('## kafka-4 (kafkajs): ❌ 1 seed(s) found anomalies (G1a, lost-write)');
    expect(lines).toContain('4 of 4 seeds run · valid 1 · anomalies 1 · inconclusive 1 · could not run 1 · 21m40s');
    const rows = lines.filter((l) => /^\| \d/.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| 2', '| 3', '| 4', '| 1']);
    expect(rows[0]).toBe('| 2 | ❌ anomalies | G1a; lost-write | 2m30s | `npx kafka-eos run --seed 2 --target kafka` |');
    expect(rows[1]).toBe('| 3 | ⚠️ could not run | broker said &lt;img src=x onerror=alert(1)&gt; \\| col next line \\`tick\\` \\*\\*bold\\*\\* | 2m30s | `npx kafka-eos run --seed 3 --target kafka` |');
    expect(rows[2]).toContain('❔ inconclusive | unseen write 3 of key 1 has no attributed cause');
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(7); // 5 cells, no stray column
    expect(renderLegSummary('kafka-3.9', null)).toContain('no merged campaign');
    expect(renderLegSummary('x', campaign([run(1, 'valid')]))).toContain('✅ all seeds valid');
    expect(renderLegSummary('x', campaign([run(1, 'valid')], { complete: false, missingShards: [1] }))).toMatch(/could not run, campaign incomplete[\s\S]*shards missing: 1/);
    expect(cell('x'.repeat(400))).toHaveLength(301);
  });

  it('says which seeds go on to the next night, which passed again, which fell over the cap', () => {
    const md = renderCarriedSummary({
      state: state([{ seed: 8, since: '2026-11-25', last: { 'kafka-3.9': 'anomalies: G1a' } }]),
      resolved: [{ seed: 7, since: '2026-11-20', last: {} }], dropped: [{ seed: 9, since: '2026-11-28', last: {} }],
    });
    expect(md).toContain('| 8 | 2026-11-25 | kafka-3.9: anomalies: G1a |');
    expect(md).toContain('no longer carried: 7 (failing since 2026-11-20)');
    expect(md).toContain('Over the cap, not carried: 9');
    expect(renderCarriedSummary({ state: state([]), resolved: [], dropped: [] })).toContain('none: every seed passed');
  });
});

describe('legs', () => {
  it('are declared once as JSON; each knows its Kafka version; the workflow\'s own flags and repeated names are refused', () => {
    expect(parseLegs('[{"name": "kafka-4", "flags": "--client-fix  abort-filter"}, {"name": "kafka-3.9", "flags": "--kafka-version 3.9.2"}, {"name": "j", "flags": "--kafka-version=4.1.0 --client java"}]'))
      .toEqual([{ name: 'kafka-4', flags: '--client-fix abort-filter', kafkaVersion: '4.4.0' }, { name: 'kafka-3.9', flags: '--kafka-version 3.9.2', kafkaVersion: '3.9.2' },
        { name: 'j', flags: '--kafka-version=4.1.0 --client java', kafkaVersion: '4.1.0' }]);
    expect(() => parseLegs(undefined)).toThrow(/LEGS is not JSON/);
    expect(() => parseLegs('[]')).toThrow(/names no leg/);
    expect(() => parseLegs('[{"name": "Kafka 4"}]')).toThrow(/lower case letters/);
    expect(() => parseLegs('[{"name": "a", "flags": "--shard 1/2"}]')).toThrow(/sets --shard, which the workflow sets/);
    expect(() => parseLegs('[{"name": "a"}, {"name": "a"}]')).toThrow(/declared twice/);
  });
});

describe('the workflow steps (main.ts)', () => {
  const env = { LEGS: '[{"name": "kafka-4"}, {"name": "kafka-3.9", "flags": "--kafka-version 3.9.2"}]' };

  it('plan, summary and state read and write what the workflow passes between jobs', () => {
    const dir = tempDir('nightly');
    const prev = path.join(dir, 'previous.json');
    fs.writeFileSync(prev, JSON.stringify(state([{ seed: 3, since: '2026-11-27', last: { 'kafka-4': 'anomalies: G1a' } }])));
    expect(nightly(['plan', '--date', '2026-11-28', '--per-night', '2', '--shards', '3', '--state', prev], () => '', env)).toBe(
      'date=2026-11-28\nseeds=3,41570..41571\ncarried=3\nshard-count=3\nshards=[0,1,2]\n' +
      `legs=${JSON.stringify(parseLegs(env.LEGS))}\nstate=${JSON.stringify(JSON.parse(fs.readFileSync(prev, 'utf8')))}\n`);
    expect(nightly(['plan', '--date', '2026-11-28', '--per-night', '2', '--shards', '1', '--state', path.join(dir, 'none.json')], () => '', env))
      .toContain('carried=none');
    const campaigns = path.join(dir, 'campaigns');
    const merged = path.join(campaigns, 'campaign-kafka-4');
    fs.mkdirSync(merged, { recursive: true });
    fs.writeFileSync(path.join(merged, 'campaign.json'), JSON.stringify(campaign([run(3, 'valid'), run(4, 'invalid')])));
    expect(nightly(['summary', '--leg', 'kafka-4', merged], () => '')).toContain('## kafka-4: ❌ 1 seed(s) found anomalies');
    const out = path.join(dir, 'state', 'nightly-state.json');
    // kafka-3.9's campaign never arrived: seed 3 passed on kafka-4 alone, so it stays.
    const md = nightly(['state', '--date', '2026-11-28', '--previous', prev, '--campaigns', campaigns, '--out', out], () => '', env);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({ version: 1, date: '2026-11-28', carried: [
      { seed: 3, since: '2026-11-27', last: {} }, { seed: 4, since: '2026-11-28', last: { 'kafka-4': 'anomalies: G1a, lost-write' } }] });
    expect(md).toContain('| 3 | 2026-11-27 | not run on every leg yet |');
    const both = nightly(['state', '--date', '2026-11-28', '--previous', prev, '--campaigns', campaigns, '--out', out], () => '', { LEGS: '[{"name": "kafka-4"}]' });
    expect(both).toContain('no longer carried: 3 (failing since 2026-11-27)');
    const listing = JSON.stringify({ artifacts: [{ id: 1, name: 'nightly-state', expired: false, created_at: '2026-11-27T03:00:00Z', workflow_run: { id: 77, head_branch: 'main' } }] });
    expect(nightly(['pick-state', '--branch', 'main'], () => listing)).toBe('run-id=77\n');
    expect(nightly(['pick-state', '--branch', 'dev'], () => listing)).toBe('run-id=\n');
    expect(nightly(['image', '--kafka-version', '3.9.2'], () => '')).toMatch(/^version=3\.9\.2\nimages=kafka-eos-base:\S+ kafka-eos-kafka:3\.9\.2-v1\nkey=/);
    expect(() => nightly(['bogus'], () => '')).toThrow(/unknown step 'bogus'/);
    expect(() => nightly(['state', '--date', '2026-11-28', '--out', out], () => '', env)).toThrow(/needs --date, --campaigns and --out/);
  });
});
