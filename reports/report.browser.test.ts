// The report in a real browser (Debian's headless Chromium through playwright-core): the page loads
// without console errors, shows the verdict and the anomalies, draws its charts, and text from a
// hostile history neither runs nor becomes markup. Chromium missing is a failure with the fix.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from './index.ts';
import { launchChromium, type Browser } from './testing/chromium.ts';
import { makeRunDir, PAYLOAD } from './testing/fixtures.ts';

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
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
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
    await expect.poll(() => page.locator('[data-chart][data-rendered="true"]').count()).toBe(6);
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

describe('report of a history full of HTML and script tags, in Chromium', () => {
  it('runs none of it and shows it as text', async () => {
    const dir = path.join(root, 'hostile');
    await makeRunDir(dir, { inject: ['duplicate'], hostile: true });
    await writeReport(dir);
    const { page, errors } = await open(dir);
    await expect.poll(() => page.locator('[data-chart][data-rendered="true"]').count()).toBe(6);
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
