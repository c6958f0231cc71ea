// writeReport and `kafka-eos report` on realistic run directories (a seeded model run, a stand-in
// Kafka history with injected anomalies): what the page must say, that its links resolve, that it
// loads nothing from outside, and that crashed or hostile runs still render safely.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateHistory } from '../jepsen-style/testing/generate.ts';
import { html } from './escape.ts';
import { writeReport } from './index.ts';
import { makeRunDir, PAYLOAD, type Fixture } from './testing/fixtures.ts';

const root = mkdtempSync(path.join(tmpdir(), 'kafka-eos-report-'));
const INJECT = ['duplicate', 'lost-write', 'G1a'] as const;

async function fixture(name: string, options: Parameters<typeof makeRunDir>[1]): Promise<{ dir: string; f: Fixture; page: string }> {
  const dir = path.join(root, name);
  const f = await makeRunDir(dir, options);
  const file = await writeReport(dir, { generatedAt: '2026-11-28T00:00:00.000Z' });
  expect(file).toBe(path.join(dir, 'index.html'));
  return { dir, f, page: readFileSync(file, 'utf8') };
}

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', 'report', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const inlineScripts = (page: string) => [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);

describe('a run with anomalies and a verdict.json', () => {
  let run: Awaited<ReturnType<typeof fixture>>;
  beforeAll(async () => { run = await fixture('anomalies', { inject: [...INJECT] }); });

  it('puts the outcome, the run facts and the repro line at the top', () => {
    const { page, f } = run;
    expect(page).toMatch(/<section id="verdict" class="verdict anomalies" data-outcome="anomalies">/);
    expect(page).toContain(`<code>${html(f.verdict!.repro)}</code>`);
    for (const fact of ['4.1.0', 'kafkajs 2.2.4', 'partition, kill, pause']) expect(page).toContain(`<dd>${fact}</dd>`);
    expect(page).not.toContain('id="incomplete"');
  });

  it('lists every invalidating anomaly type of the Kafka history, with its ops linked to rows that exist', () => {
    const { page, f } = run;
    const kafka = f.verdict!.histories.kafka!.verdict;
    expect(kafka.invalidTypes.length).toBeGreaterThanOrEqual(INJECT.length);
    for (const t of kafka.invalidTypes) expect(page).toContain(`id="kafka-anomaly-${t}" data-anomaly="${t}"`);
    for (const a of Object.values(kafka.anomalies).flat().slice(0, 50)) for (const op of a.ops) expect(page).toContain(`id="kafka-e-${op}"`);
    const targets = [...page.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(20);
    for (const t of new Set(targets)) expect(page, `link to #${t}`).toContain(`id="${t}"`);
  });

  it('shows the model-vs-real comparison and the divergence', () => {
    expect(run.page).toContain('anomaly-not-in-model');
    expect(run.page).toMatch(/<th class="num">model<\/th><th class="num">kafka<\/th>/);
  });

  it('is self-contained: no external resource, every inline script allowed by its hash and nothing else', () => {
    const { page } = run;
    expect(page).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(page).not.toMatch(/<link\b/i);
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(page)![1]!.replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    const hashes = inlineScripts(page).map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
    expect(hashes).toHaveLength(2);
    expect(/script-src ([^;]+)/.exec(csp)![1]!.split(' ')).toEqual(hashes);
  });

  it('embeds chart data for both histories', () => {
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(run.page)![1]!;
    const data = JSON.parse(json) as { charts: Array<{ id: string; ops: { index: number[] }; faults: unknown[] }> };
    expect(data.charts.map((c) => c.id)).toEqual(['model', 'kafka']);
    expect(data.charts[1]!.ops.index.length).toBe(run.f.verdict!.histories.kafka!.verdict.stats.ops);
    expect(data.charts[1]!.faults.length).toBeGreaterThan(0);
  });
});

describe('what the page says about each anomaly, key and op', () => {
  let run: Awaited<ReturnType<typeof fixture>>;
  beforeAll(async () => { run = await fixture('explained', { inject: ['duplicate', 'lost-write', 'G1a'] }); });

  it('each anomaly card says in one sentence what the type means and whether it is allowed', () => {
    const cards = [...run.page.matchAll(/<div class="card anomaly-type[^"]*" id="([^"]+)"[\s\S]*?<p class="meaning">([^<]+)<span class="allowance">([^<]+)<\/span>/g)];
    const types = Object.values(run.f.verdict!.histories).flatMap((x) => x!.verdict.anomalyTypes);
    expect(cards).toHaveLength(types.length);
    const lostWrite = cards.find((c) => c[1] === 'kafka-anomaly-lost-write')!;
    expect(lostWrite[2]).toContain('A write that must have committed was never read');
    expect(lostWrite[3]).toBe('Never allowed: it breaks exactly-once.');
  });

  it('shows keys with their topic-partition, and op ids outside the excerpt separated', () => {
    const { page, f } = run;
    const tp = new Map(f.program.keys.map((k) => [k.key, `${k.key} (${k.topic}/${k.partition})`]));
    const keyed = Object.values(f.verdict!.histories.kafka!.verdict.anomalies).flat().find((a) => a.key !== undefined)!;
    expect(page).toContain(`key <b>${html(tp.get(keyed.key!)!)}</b>`);
    // Two op references in a row are never run together, linked or not.
    expect(page).not.toMatch(/<\/(a|span)><(a class="op"|span class="op mono")/);
    expect(page).toMatch(/ops <(a|span) class="op[^>]*>\d+<\/(a|span)>, <(a|span) class="op/);
  });

  it('marks allowed types in the model-vs-real table', async () => {
    // G0 and int-send-skip are allowed: a history with a ww cycle shows it as such.
    const { page, f } = await fixture('allowed', { inject: ['lost-write'], seed: 3, timeLimitMs: 4000 });
    const types = [...new Set(Object.values(f.verdict!.histories).flatMap((x) => x!.verdict.anomalyTypes))];
    const invalid = new Set(Object.values(f.verdict!.histories).flatMap((x) => x!.verdict.invalidTypes));
    for (const t of types) {
      expect(page).toMatch(new RegExp(`<tr data-type="${t}" class="${invalid.has(t) ? 'invalid' : 'allowed'}"><td><code>${t}</code></td><td><span class="badge ${invalid.has(t) ? 'bad">invalidates' : 'allowed">allowed'}</span>`));
    }
  });

  it('labels the model history as logical time', () => {
    const model = /<section id="history-model">([\s\S]*?)<\/section>/.exec(run.page)![1]!;
    expect(model).toContain('<b>Logical time.</b>');
    expect(model).toContain('logical time (s)</th>');
    const kafka = /<section id="history-kafka">([\s\S]*?)<\/section>/.exec(run.page)![1]!;
    expect(kafka).not.toContain('Logical time.');
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(run.page)![1]!) as { charts: Array<{ id: string; clock: string; marks: unknown[]; faults: Array<{ target: string }> }> };
    expect(data.charts.map((c) => [c.id, c.clock])).toEqual([['model', 'logical'], ['kafka', 'wall']]);
    expect(data.charts[1]!.marks.length).toBeGreaterThan(0);
    expect(data.charts[1]!.faults.every((b) => /^(n\d( n\d)*|.* \| .*|n\d isolated|ring .*)$/.test(b.target))).toBe(true);
  });

  it('says a --mutate run\'s anomalies are the mutation\'s doing, and shows inconclusive reasons, forensics and the harness', async () => {
    const dir = path.join(root, 'mutated');
    const { verdict } = await makeRunDir(dir, { inject: ['G1a'] });
    writeFileSync(path.join(dir, 'verdict.json'), JSON.stringify({ ...verdict, mutate: 'read-uncommitted', forensics: { summary: 'broker 2 logged <b>nothing</b> odd' } }));
    const page = readFileSync(await writeReport(dir), 'utf8');
    expect(page).toContain('the mutation broke exactly-once, not Kafka');
    expect(page).toContain('<b>Forensics:</b> broker 2 logged &lt;b&gt;nothing&lt;/b&gt; odd');
    expect(page).toContain('<dd>0.1.0 (commit 000000000000)</dd>');
    const undecided = { ...verdict, valid: false, outcome: 'inconclusive', anomalyTypes: [], histories: {}, inconclusive: ['final reads fell short on key 3 <with no cause>'] };
    writeFileSync(path.join(dir, 'verdict.json'), JSON.stringify(undecided));
    const page2 = readFileSync(await writeReport(dir), 'utf8');
    expect(page2).toContain('data-outcome="inconclusive"');
    expect(page2).toContain('<li>final reads fell short on key 3 &lt;with no cause&gt;</li>');
    expect(page2).not.toContain('the mutation broke');
  });
});

describe('runs that did not finish', () => {
  it('without verdict.json: checks the histories itself, says the run is incomplete, rebuilds the repro from program.json', async () => {
    const { page } = await fixture('no-verdict', { inject: ['lost-write'], verdict: false });
    expect(page).toContain('data-outcome="anomalies"');
    expect(page).toContain('id="incomplete"');
    expect(page).toContain('there is no verdict.json');
    expect(page).toContain('data-anomaly="lost-write"');
    expect(page).toContain('<code>npx kafka-eos run --seed 7 --target both --nemesis partition,kill,pause --time-limit 3</code>');
  });

  it('with a verdict that says the run stopped early, and a torn last line: renders the prefix and says so', async () => {
    const dir = path.join(root, 'torn');
    await makeRunDir(dir, { inject: ['duplicate'], complete: false });
    appendFileSync(path.join(dir, 'kafka', 'history.jsonl'), '{"index": 99999, "ti');
    const page = readFileSync(await writeReport(dir), 'utf8');
    expect(page).toContain('(incomplete)');
    expect(page).toContain('verdict.json says the run stopped early');
    expect(page).toContain('data-anomaly="duplicate"');
  });

  it('with only a program: renders the program and says no history was recorded', async () => {
    const dir = path.join(root, 'program-only');
    await makeRunDir(dir, { verdict: false });
    const modelHistory = path.join(dir, 'model', 'history.jsonl');
    writeFileSync(modelHistory, '');
    const page = readFileSync(await writeReport(dir), 'utf8');
    expect(page).toContain('id="incomplete"');
    expect(page).toContain('id="program"');
    expect(page).toContain('--seed 7');
  });
});

describe('a verdict.json with only the contract\'s field', () => {
  it('renders, checks the histories itself and takes the outcome from `valid`', async () => {
    const dir = path.join(root, 'minimal-verdict');
    await makeRunDir(dir, { inject: ['lost-write'] });
    writeFileSync(path.join(dir, 'verdict.json'), '{"valid": false}');
    const page = readFileSync(await writeReport(dir), 'utf8');
    expect(page).toContain('data-outcome="anomalies"');
    expect(page).not.toContain('id="incomplete"');
    expect(page).toContain('checked by this report');
    expect(page).toContain('data-anomaly="lost-write"');
  });
});

describe('a run the harness could not do', () => {
  it('shows the harness error, not a verdict on Kafka, and still the repro line', async () => {
    const dir = path.join(root, 'harness-error');
    const { verdict } = await makeRunDir(dir, {});
    rmSync(path.join(dir, 'model'), { recursive: true });
    const failed = { ...verdict!, valid: false, outcome: 'harness-error', complete: false, target: 'kafka', histories: {}, harnessError: 'no Docker engine answers <docker.sock>' };
    writeFileSync(path.join(dir, 'verdict.json'), JSON.stringify(failed));
    const page = readFileSync(await writeReport(dir), 'utf8');
    expect(page).toContain('data-outcome="harness-error"');
    expect(page).toContain('no Docker engine answers &lt;docker.sock&gt;');
    expect(page).toContain('no history was recorded');
    expect(page).toContain(`<code>${html(verdict!.repro)}</code>`);
  });
});

describe('hostile text in histories and verdicts', () => {
  it('shows error strings, nemesis values and verdict fields as text, never as markup', async () => {
    const { page } = await fixture('hostile', { inject: ['duplicate'], hostile: true });
    expect(page).toContain(html(PAYLOAD.slice(0, 40)));
    expect(page).not.toContain('window.__pwned = 1</script>');
    expect(page).not.toMatch(/<img\b/i);
    expect(page).not.toContain('<b id="injected"');
    expect(page.match(/<script\b/gi)).toHaveLength(3);
    expect(page.match(/<\/script>/gi)).toHaveLength(3);
  });
});

describe('a long history', () => {
  it('keeps the table and the file small and says what it left out', async () => {
    const dir = path.join(root, 'long');
    mkdirSync(path.join(dir, 'kafka'), { recursive: true });
    const lines: string[] = [];
    for (const e of generateHistory({ seed: 3, ops: 30_000 })) lines.push(JSON.stringify(e));
    writeFileSync(path.join(dir, 'kafka', 'history.jsonl'), lines.join('\n') + '\n');
    const file = await writeReport(dir);
    const page = readFileSync(file, 'utf8');
    const rows = page.match(/<tr id="kafka-e-/g)?.length ?? 0;
    expect(rows).toBeGreaterThan(150);
    expect(rows).toBeLessThanOrEqual(4000);
    expect(page).toMatch(/event\(s\) not shown/);
    expect(page).toContain(`of ${lines.length.toLocaleString('en')} events`);
    expect(statSync(file).size).toBeLessThan(4 * 1024 * 1024);
  });

  it('keeps the end of the history and every cited event ahead of the row cap', async () => {
    const dir = path.join(root, 'capped');
    mkdirSync(path.join(dir, 'kafka'), { recursive: true });
    const events = [...generateHistory({ seed: 3, ops: 30_000 })];
    // A garbage read in the very last op: the anomaly cites the final event.
    const last = events[events.length - 1]!;
    events.push({ index: last.index + 1, time: last.time + 1, process: 99_999, type: 'invoke', f: 'poll', value: [['poll']] },
      { index: last.index + 2, time: last.time + 2, process: 99_999, type: 'ok', f: 'poll', value: [['poll', { 0: [[1e6, 424242]] }]] });
    writeFileSync(path.join(dir, 'kafka', 'history.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const page = readFileSync(await writeReport(dir, { digest: { maxRows: 300, head: 400 } }), 'utf8');
    const shown = new Set([...page.matchAll(/<tr id="kafka-e-(\d+)"/g)].map((m) => Number(m[1])));
    expect(shown.size).toBe(300);
    for (let i = events.length - 60; i < events.length; i++) expect(shown.has(i), `tail event ${i}`).toBe(true);
    expect(page).toMatch(new RegExp(`id="kafka-anomaly-garbage-read"[\\s\\S]*?<a class="op" href="#kafka-e-${last.index + 2}">`));
  });
});

describe('kafka-eos report', () => {
  it('prints the path of the report it wrote', async () => {
    const dir = path.join(root, 'cli');
    await makeRunDir(dir, { verdict: false });
    const r = await cli(dir);
    expect(r).toMatchObject({ code: 0, stdout: `${path.join(dir, 'index.html')}\n` });
    expect(statSync(path.join(dir, 'index.html')).size).toBeGreaterThan(50_000);
  });

  it('exits 2 with the fix when DIR holds no history and no program, or does not exist', async () => {
    const empty = mkdtempSync(path.join(root, 'empty-'));
    const r = await cli(empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds no model/history.jsonl, kafka/history.jsonl or program.json');
    const missing = await cli(path.join(root, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such directory');
    expect((await cli()).code).toBe(2);
  });
});
