// The report in a real browser (Debian's headless Chromium through playwright-core): the page loads
// without console errors, shows the verdict and the anomalies, draws its charts, and text from a
// hostile history neither runs nor becomes markup. Chromium missing is a failure with the fix.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from './index.ts';
import { launchChromium, type Browser } from './testing/chromium.ts';
import { makeRunDir, PAYLOAD } from './testing/fixtures.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../jepsen-style/testing/history-builder.ts';

const root = mkdtempSync(path.join(tmpdir(), 'kafka-eos-browser-'));
const SCREENSHOTS = path.resolve('test-results');
// Launched by the first test that needs it, not in a hook: without Chromium every test then fails
// with the fix in its message, instead of being reported as skipped.
let browser: Promise<Browser> | undefined;
const chromium = () => (browser ??= launchChromium());
afterAll(async () => { await (await browser?.catch(() => undefined))?.close(); });

/** Opens a report and collects what the console and the page reported. */
async function open(dir: string, hash = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await (await chromium()).context.newPage();
  const errors: string[] = [];
  // The tests' own pixel readbacks make Chromium suggest willReadFrequently: that one is not the page's.
  page.on('console', (m) => { if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('willReadFrequently')) errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`); });
  await page.goto(pathToFileURL(path.join(dir, 'index.html')).href + hash, { waitUntil: 'load' });
  return { page, errors };
}

/** Pixels of a chart's canvas close to `rgb`: proof that the series (not just axes and grid) were drawn. */
const pixelsOfColor = (page: Page, selector: string, rgb: [number, number, number]) => page.locator(selector).evaluate((el, [r, g, b]) => {
  const canvas = el.querySelector('canvas')!;
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3]! > 200 && Math.abs(data[i]! - r) < 30 && Math.abs(data[i + 1]! - g) < 30 && Math.abs(data[i + 2]! - b) < 30) n++;
  }
  return n;
}, rgb);
/** The colour of ok ops in every chart (report.js TYPE_COLORS). */
const OK_GREEN: [number, number, number] = [0x2f, 0x9e, 0x44];

describe('report of a run with anomalies, in Chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(root, 'anomalies');
    await makeRunDir(dir, { inject: ['duplicate', 'lost-write', 'G1a'] });
    await writeReport(dir);
  });

  it('loads without console errors, shows verdict and anomalies, draws every chart, and saves a screenshot', async () => {
    const { page, errors } = await open(dir);
    await expect.poll(() => page.locator('[data-chart][data-rendered="true"]').count()).toBe(8);
    expect(errors).toEqual([]);
    await expect.poll(() => page.locator('#verdict .outcome').isVisible()).toBe(true);
    expect(await page.locator('#verdict .outcome').textContent()).toBe('Anomalies found');
    for (const type of ['duplicate', 'lost-write', 'G1a']) {
      expect(await page.locator(`#kafka-anomaly-${type}`).isVisible(), type).toBe(true);
    }
    for (const kind of ['timeline', 'latency', 'rate']) {
      const chart = `[data-chart="${kind}"][data-history="kafka"]`;
      expect(await page.locator(`${chart} canvas`).count(), kind).toBe(1);
      expect(await pixelsOfColor(page, chart, OK_GREEN), `${kind} chart shows ok ops`).toBeGreaterThan(150);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-anomalies.png'), fullPage: false });
    await page.locator('#history-kafka').screenshot({ path: path.join(SCREENSHOTS, 'report-kafka-history.png') });
    await page.close();
  });

  it('jumps from an anomaly\'s op to its highlighted row in the history, and to an event typed by index', async () => {
    const { page, errors } = await open(dir);
    const link = page.locator('#kafka-anomaly-duplicate a.op').first();
    const target = (await link.getAttribute('href'))!;
    await link.click();
    const row = page.locator(target);
    await expect.poll(() => row.evaluate((el) => el.classList.contains('flash') && el.matches(':target'))).toBe(true);
    expect(await row.isVisible()).toBe(true);
    expect(await row.evaluate((el) => el.classList.contains('hit'))).toBe(true);
    await page.locator('[data-jump="kafka"]').fill('3');
    await page.locator('[data-jump="kafka"]').press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#kafka-e-3');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('plots, anomaly marks and the explanations, in Chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(root, 'plots');
    const { verdict } = await makeRunDir(dir, { inject: ['duplicate', 'lost-write', 'G1a'] });
    writeFileSync(path.join(dir, 'verdict.json'), JSON.stringify({ ...verdict, mutate: 'read-uncommitted' }));
    await writeReport(dir);
  });

  it('draws one lane per fault family with the nodes named, and marks the cited ops on the timeline', async () => {
    const { page, errors } = await open(dir);
    await expect.poll(() => page.locator('[data-chart][data-rendered="true"]').count()).toBe(8);
    const lanes = '[data-chart="faults"][data-history="kafka"]';
    // report.js FAULT_SOLID: partition, kill and pause bars, each over the white page.
    for (const [family, rgb] of [['partition', [0x79, 0x50, 0xf2]], ['kill', [0xe0, 0x31, 0x31]], ['pause', [0x19, 0x71, 0xc2]]] as const) {
      expect(await pixelsOfColor(page, lanes, [...rgb]), `${family} lane`).toBeGreaterThan(100);
    }
    await page.locator(lanes).scrollIntoViewIfNeeded();
    await page.locator(lanes).screenshot({ path: path.join(SCREENSHOTS, 'report-fault-lanes.png') });
    // MARK_INVALID diamonds above the ops the invalidating anomalies cite.
    expect(await pixelsOfColor(page, '[data-chart="timeline"][data-history="kafka"]', [0xa6, 0x1e, 0x4d])).toBeGreaterThan(20);
    expect(await page.locator('#history-model .clock').textContent()).toContain('Logical time.');
    expect(await page.locator('#history-kafka .clock').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.locator('#history-kafka').scrollIntoViewIfNeeded();
    await page.locator('#history-kafka .chart-title').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-plots-kafka.png'), fullPage: false });
    await page.locator('#history-model .clock').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-plots-model.png'), fullPage: false });
    await page.close();
  });

  it('says what each anomaly means, marks allowed types, and says the mutation broke exactly-once', async () => {
    const { page, errors } = await open(dir);
    expect(await page.locator('#verdict .mutation').textContent()).toContain('the mutation broke exactly-once, not Kafka');
    expect(await page.locator('#kafka-anomaly-G1a .meaning').textContent()).toMatch(/^Aborted read: .* Never allowed: it breaks exactly-once\.$/);
    expect(await page.locator('#comparison tr[data-type="G1a"] .badge').textContent()).toBe('invalidates');
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-verdict-mutation.png'), fullPage: false });
    await page.locator('#anomalies').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-anomaly-cards.png'), fullPage: false });
    await page.locator('#comparison').scrollIntoViewIfNeeded();
    await page.locator('#comparison').screenshot({ path: path.join(SCREENSHOTS, 'report-comparison.png') });
    await page.close();
  });

  it('keeps the latency axis for the bulk of the ops when one op is an outlier', async () => {
    const outlier = path.join(root, 'outlier');
    mkdirSync(path.join(outlier, 'kafka'), { recursive: true });
    const b = new HistoryBuilder();
    b.invoke(9, 'poll', [poll()]);
    for (let i = 0; i < 400; i++) b.op(i % 4, 'ok', 'send', [send(i % 3, i)], [sent(i % 3, Math.floor(i / 3), i)]);
    b.complete(9, 'ok', [polled({})]);
    // One event per millisecond: ops take 1 ms, the outlier 800 ms.
    writeFileSync(path.join(outlier, 'kafka', 'history.jsonl'), b.events.map((e) => JSON.stringify({ ...e, time: e.time * 1e6 })).join('\n') + '\n');
    await writeReport(outlier);
    const { page, errors } = await open(outlier);
    const chart = page.locator('[data-chart="latency"][data-history="kafka"]');
    await expect.poll(() => chart.getAttribute('data-rendered')).toBe('true');
    expect(Number(await chart.getAttribute('data-latency-top'))).toBe(4); // four times the 99th percentile, 1 ms
    expect(await chart.getAttribute('data-clipped')).toBe('1');
    expect(errors).toEqual([]);
    await chart.screenshot({ path: path.join(SCREENSHOTS, 'report-latency-outlier.png') });
    await page.close();
  });
});

describe('report of a history full of HTML and script tags, in Chromium', () => {
  it('runs none of it and shows it as text', async () => {
    const dir = path.join(root, 'hostile');
    await makeRunDir(dir, { inject: ['duplicate'], hostile: true });
    await writeReport(dir);
    const { page, errors } = await open(dir);
    await expect.poll(() => page.locator('[data-chart][data-rendered="true"]').count()).toBe(8);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3);
    const errorCell = page.locator('#history-kafka td.err').filter({ hasText: 'window.__pwned = 1' }).first();
    expect(await errorCell.textContent()).toContain(PAYLOAD.slice(0, 60));
    expect(await page.locator('#verdict').textContent()).toContain('kafkajs <script>window.__pwned = 1</script>');
    expect(errors).toEqual([]);
    await errorCell.scrollIntoViewIfNeeded();
    await page.locator('#history-kafka .history-wrap').screenshot({ path: path.join(SCREENSHOTS, 'report-hostile.png') });
    await page.close();
  });
});
