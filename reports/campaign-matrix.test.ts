// The campaign index's anomaly section: counts per type and a seed × type matrix linking into each
// seed's report (hand-made campaigns with known answers), then a real model campaign opened in
// Chromium, where a matrix cell must land on the type's card in that seed's report.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCampaign } from '../harness/campaign/campaign.ts';
import { renderCampaignIndex } from '../harness/campaign/index-page.ts';
import type { CampaignResult, SeedResult } from '../harness/campaign/result.ts';
import { smallRun, tempDir } from '../harness/repro/testing.ts';
import { anomalyMatrix } from './campaign-matrix.ts';
import { launchChromium, type Browser } from './testing/chromium.ts';

const seed = (n: number, extra: Partial<SeedResult>): SeedResult => ({
  seed: n, status: 'valid', outcome: 'valid', anomalyTypes: [], divergences: 0, durationSeconds: 1, dir: `seed-${n}`,
  report: `seed-${n}/index.html`, repro: `npx kafka-eos run --seed ${n}`, ops: { kafka: 10 }, error: null, anomalyCounts: {}, ...extra,
});
const campaign = (runs: SeedResult[]): CampaignResult => ({
  version: 1, seedSpec: '1..5', seeds: runs.map((r) => r.seed), shard: null, settings: {}, args: [], target: 'kafka', startedAt: '2026-12-07T00:00:00.000Z', durationSeconds: 9, complete: true, runs,
});

describe('anomaly counts and the seed × type matrix', () => {
  const c = campaign([
    seed(1, { status: 'invalid', outcome: 'anomalies', anomalyTypes: ['G1a'], anomalyCounts: { G1a: 3, G0: 1 } }),
    seed(2, {}),
    seed(3, { status: 'invalid', outcome: 'anomalies', anomalyTypes: ['G1a', 'lost-write'], anomalyCounts: { G1a: 2, 'lost-write': 5 } }),
    seed(4, { status: 'inconclusive', outcome: 'inconclusive', inconclusive: ['final reads fell short on key 3 <no cause>'] }),
    seed(5, { status: 'invalid', outcome: 'anomalies', anomalyTypes: ['duplicate'], anomalyCounts: undefined, report: null, ops: { model: 4 } }),
  ]);
  const html = anomalyMatrix(c).html;

  it('counts each type over the campaign: seeds with it, how many, invalidating first, with what it means', () => {
    const rows = [...html.matchAll(/<tr data-type="([^"]+)"><td><code>[^<]+<\/code><\/td><td><span class="badge (bad|allowed)">[^<]+<\/span><\/td>\s*<td>(\d+) of 5<\/td><td>(\d+)<\/td><td>([^<]*)<\/td>/g)]
      .map((m) => [m[1], m[2], Number(m[3]), Number(m[4])]);
    expect(rows).toEqual([['G1a', 'bad', 2, 5], ['duplicate', 'bad', 1, 1], ['lost-write', 'bad', 1, 5], ['G0', 'allowed', 1, 1]]);
    expect(html).toContain('Aborted read: an ok poll returned a record whose write definitely failed');
  });

  it('links each cell to the type\'s card in the seed\'s report, and shows inconclusive seeds with their reasons', () => {
    expect(html).toContain('<td class="cell bad"><a href="seed-3/index.html#kafka-anomaly-lost-write" title="seed 3: 5 lost-write">5</a></td>');
    expect(html).toContain('<td class="cell allowed"><a href="seed-1/index.html#kafka-anomaly-G0" title="seed 1: 1 G0">1</a></td>');
    expect(html).toContain('<td class="cell bad">✕</td>'); // seed 5: no counts (older campaign.json), no report
    expect(html).toContain('<div class="inconclusive">final reads fell short on key 3 &lt;no cause&gt;</div>');
    expect(html).toMatch(/<tr data-seed="2"><td><a href="seed-2\/index.html">2<\/a><\/td><td class="valid">valid<\/td>(<td class="cell"><\/td>){4}<\/tr>/);
  });

  it('is part of the campaign index page', () => {
    expect(renderCampaignIndex(c)).toContain(html);
  });
});

describe('a real model campaign\'s index, in Chromium', () => {
  let browser: Promise<Browser> | undefined;
  afterAll(async () => { await (await browser?.catch(() => undefined))?.close(); });

  it('counts the anomalies of each seed, and a matrix cell opens the card in the seed\'s report', async () => {
    const out = path.join(tempDir('campaign-matrix'), 'c');
    const c = await runCampaign({ seeds: [2, 3], run: smallRun(2, 'read-uncommitted'), outDir: out, args: ['--seeds', '2..3', '--mutate', 'read-uncommitted'] });
    const written = JSON.parse(readFileSync(path.join(out, 'campaign.json'), 'utf8')) as CampaignResult;
    expect(written.runs.map((r) => Object.keys(r.anomalyCounts ?? {}).length > 0)).toEqual([true, true]);
    const three = c.runs.find((r) => r.seed === 3)!;
    expect(three.anomalyTypes).toContain('G1a');
    const page = await (await (browser ??= launchChromium())).context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`); });
    await page.goto(pathToFileURL(path.join(out, 'index.html')).href);
    expect(await page.locator('.counts tr[data-type="G1a"] td').nth(3).textContent()).toBe(String(c.runs.reduce((n, r) => n + (r.anomalyCounts?.G1a ?? 0), 0)));
    await page.locator('#matrix').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.resolve('test-results', 'campaign-index.png'), fullPage: true });
    await page.locator('tr[data-seed="3"] td.cell.bad a').first().click();
    await page.waitForURL(/seed-3\/index\.html#model-anomaly-/);
    const card = page.locator(decodeURIComponent(new URL(page.url()).hash));
    expect(await card.isVisible()).toBe(true);
    expect(await card.getAttribute('data-anomaly')).toBeTruthy();
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
