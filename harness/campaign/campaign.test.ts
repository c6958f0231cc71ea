// `kafka-eos campaign`: seed ranges, exit codes (1 wins over 3), junit.xml that parses back, an index
// page where run text stays text, and real model campaigns writing every file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as campaignMain } from '../cli/campaign.ts';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import { smallRun, tempDir } from '../repro/testing.ts';
import { runCampaign } from './campaign.ts';
import { renderCampaignIndex } from './index-page.ts';
import { renderJunit, xml } from './junit.ts';
import { eta, progressLine } from './progress.ts';
import { campaignExitCode, tally, tallyWords, type CampaignResult, type SeedResult } from './result.ts';
import { parseSeedRange } from './seeds.ts';
import { parseXml, type XmlElement } from './testing/xml.ts';

const NASTY = '<script>alert("x")</script> & ]]> \u0001 \uD800 end';

function seed(n: number, status: SeedResult['status'], extra: Partial<SeedResult> = {}): SeedResult {
  return {
    seed: n, status, outcome: status === 'valid' ? 'valid' : status === 'invalid' ? 'anomalies' : status === 'inconclusive' ? 'inconclusive' : 'harness-error',
    anomalyTypes: status === 'invalid' ? ['G1a', 'lost-write'] : [], divergences: 0, durationSeconds: 12.5,
    dir: `seed-${n}`, report: `seed-${n}/index.html`, repro: `npx kafka-eos run --seed ${n} --target kafka`, ops: { kafka: 100 + n },
    error: status === 'error' ? NASTY : null,
    ...(status === 'inconclusive' ? { inconclusive: ['the replay cannot order info op 380 (process 7).'] } : {}), ...extra,
  };
}

const campaign = (runs: SeedResult[], complete = true): CampaignResult => ({
  version: 1, harness: { version: '0.1.0', commit: 'f'.repeat(40) }, seedSpec: '1..3', seeds: runs.map((r) => r.seed), shard: null, settings: { target: 'kafka' },
  args: ['--seeds', '1..3', '--nemesis', 'kill'], target: 'kafka',
  startedAt: '2026-11-28T10:00:00.000Z', durationSeconds: 99, complete, runs,
});

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

describe('the tally every summary prints', () => {
  it('counts a model divergence apart from anomalies: the replay disagreeing is not the history breaking a rule', () => {
    const runs = [seed(1, 'valid'), seed(2, 'invalid'), seed(3, 'invalid', { anomalyTypes: [], outcome: 'model-divergence', divergences: 2 }),
      seed(4, 'inconclusive'), seed(5, 'error')];
    expect(tallyWords(tally(campaign(runs)))).toBe('valid 1 · anomalies 1 · model divergence 1 · inconclusive 1 · could not run 1');
    expect(tallyWords(tally(campaign(runs.slice(0, 2))), ', ')).toBe('valid 1, anomalies 1, inconclusive 0, could not run 0');
  });
});

describe('--seeds', () => {
  it.each([['1..3', [1, 2, 3]], ['7', [7]], [' 0..0 ', [0]], ['4294967294..4294967295', [4294967294, 4294967295]],
    ['1,2', [1, 2]], ['9,1..3,2', [1, 2, 3, 9]]])('%j', (raw, seeds) => {
    expect(parseSeedRange(raw)).toEqual(seeds);
  });

  it.each([undefined, '3..1', 'a..b', '1-3', '-1..2', '1..4294967296', '1..', '1,', ',', '1..3,x'])('%j is a usage error naming the fix', (raw) => {
    let error: unknown;
    try { parseSeedRange(raw); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    expect((error as CliError).message).toContain('--seeds A..B');
  });

  it('is required, and a lone --seed is refused with the right spelling suggested', async () => {
    await expect(campaignMain(['--target', 'model'])).rejects.toThrow(expect.objectContaining({ exitCode: EXIT.usage, message: expect.stringContaining('--seeds is required; write --seeds A..B') }));
    await expect(campaignMain(['--seed', '3', '--target', 'model'])).rejects.toThrow(expect.objectContaining({ exitCode: EXIT.usage, message: expect.stringContaining('Did you mean --seeds?') }));
  });
});

describe('exit code', () => {
  it('1 when a seed found anomalies, even if another could not run; 3 for errors alone or a stopped campaign; else 0', () => {
    expect(campaignExitCode(campaign([seed(1, 'valid'), seed(2, 'invalid'), seed(3, 'error')]))).toBe(EXIT.invalid);
    expect(campaignExitCode(campaign([seed(1, 'valid'), seed(2, 'error')]))).toBe(EXIT.harnessError);
    expect(campaignExitCode(campaign([seed(1, 'valid')], false))).toBe(EXIT.harnessError);
    expect(campaignExitCode(campaign([seed(1, 'valid'), seed(2, 'valid')]))).toBe(EXIT.valid);
  });

  it('4 when a seed was inconclusive and none found anomalies or failed to run', () => {
    expect(campaignExitCode(campaign([seed(1, 'valid'), seed(2, 'inconclusive')]))).toBe(EXIT.inconclusive);
    expect(campaignExitCode(campaign([seed(1, 'inconclusive'), seed(2, 'error')]))).toBe(EXIT.harnessError);
    expect(campaignExitCode(campaign([seed(1, 'inconclusive'), seed(2, 'invalid')]))).toBe(EXIT.invalid);
  });
});

describe('an inconclusive seed', () => {
  it('is a skipped JUnit case with its reason, counted apart on the index page', () => {
    const c = { ...campaign([seed(1, 'valid'), seed(2, 'inconclusive')]), harness: { version: '0.1.0', commit: 'a'.repeat(40) } };
    const doc = parseXml(renderJunit(c));
    expect(doc.attrs).toMatchObject({ tests: '2', failures: '0', errors: '0', skipped: '1' });
    const skipped = all(doc, 'testcase')[1]!.children[0]!;
    expect(skipped.name).toBe('skipped');
    expect(skipped.attrs['message']).toBe('inconclusive: the replay cannot order info op 380 (process 7).');
    expect(all(doc, 'property').map((p) => [p.attrs['name'], p.attrs['value']])).toEqual([['harness.version', '0.1.0'], ['harness.commit', 'a'.repeat(40)]]);
    const page = renderCampaignIndex(c);
    expect(page).toContain('1 seed(s) inconclusive');
    expect(page).toContain('the replay cannot order info op 380 (process 7).');
    expect(page).toContain('harness 0.1.0 (commit aaaaaaaaaaaa)');
  });
});

describe('junit.xml', () => {
  it('parses back: one testcase per seed, failure with types and repro, error with the (escaped) message', () => {
    const doc = parseXml(renderJunit(campaign([seed(1, 'valid'), seed(2, 'invalid'), seed(3, 'error')])));
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    const cases = all(doc, 'testcase');
    expect(cases.map((c) => c.attrs['name'])).toEqual(['seed 1', 'seed 2', 'seed 3']);
    expect(cases.map((c) => c.children.map((x) => x.name))).toEqual([[], ['failure'], ['error']]);
    const failure = cases[1]!.children[0]!;
    expect(failure.attrs['message']).toBe('anomalies: G1a, lost-write');
    expect(failure.text).toContain('repro: npx kafka-eos run --seed 2 --target kafka');
    const error = cases[2]!.children[0]!;
    expect(error.attrs['message']).toBe('<script>alert("x")</script> & ]]>   end'); // control char and lone surrogate dropped
    expect(error.text).toContain('<script>alert("x")</script>');
  });

  it('the reader is strict enough to fail: raw markup, bad entities and unbalanced tags are refused', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/closes/);
    expect(() => parseXml('<a>x & y</a>')).toThrow(/bad entity/);
    expect(() => parseXml('<a m="<">x</a>')).toThrow();
    expect(() => parseXml(`<a>${NASTY}</a>`)).toThrow();
    expect(xml(NASTY)).not.toMatch(/[<\u0001]|\uD800/);
  });
});

describe('index.html', () => {
  it('keeps text from runs as text and links every seed to its report', () => {
    const page = renderCampaignIndex(campaign([seed(1, 'valid'), seed(2, 'invalid'), seed(3, 'error', { repro: NASTY, report: null })]));
    expect(page).not.toContain('<script');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('<a href="seed-1/index.html">report</a>');
    expect(page).toContain('<a href="seed-2/index.html">report</a>');
    expect(page).toMatch(/<td class="invalid">anomalies<\/td>\s*<td>G1a, lost-write/);
    expect(page).toContain('1 seed(s) found anomalies');
    expect(page).not.toMatch(/<(link|img|iframe)\b|src=|https?:\/\//); // self-contained
  });
});

describe('progress line', () => {
  it('counts seeds, estimates the rest from the seeds done, lists anomalies so far', () => {
    const s = { index: 2, total: 4, seed: 12, elapsedSeconds: 70, doneSeconds: [30, 30], anomalies: [{ seed: 11, types: ['G1a'] }], errors: 0 };
    expect(eta(s)).toBe(50); // 2 seeds of 30 s left, 10 s into this one
    expect(progressLine(s)).toBe('[##########..........] seed 12 (3 of 4) · 1m10s elapsed · ETA 50s · anomalies: 1 seed(s) (11: G1a)');
    expect(progressLine({ ...s, index: 0, doneSeconds: [], anomalies: [], elapsedSeconds: 0 })).toContain('ETA ? · anomalies: none so far');
  });
});

describe('campaigns on the model', () => {
  it('writes index.html, junit.xml, campaign.json and a report per seed; exit 0 when all are valid', async () => {
    const out = path.join(tempDir('campaign'), 'c');
    const code = await campaignMain(['--seeds', '1..2', '--target', 'model', '--time-limit', '1', '--out', out]);
    expect(code).toBe(EXIT.valid);
    const c = JSON.parse(fs.readFileSync(path.join(out, 'campaign.json'), 'utf8')) as CampaignResult;
    expect(c.complete).toBe(true);
    expect(c.runs.map((r) => [r.seed, r.status, r.dir])).toEqual([[1, 'valid', 'seed-1'], [2, 'valid', 'seed-2']]);
    for (const r of c.runs) expect(fs.existsSync(path.join(out, r.report!))).toBe(true);
    expect(all(parseXml(fs.readFileSync(path.join(out, 'junit.xml'), 'utf8')), 'testcase')).toHaveLength(2);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('<a href="seed-2/index.html">');
    await expect(campaignMain(['--seeds', '1..2', '--target', 'model', '--out', out])).rejects.toThrow(/already holds files/);
  });

  it('a seed that cannot run is an error (exit 3); anomalies elsewhere make it 1', async () => {
    for (const [mutate, expected] of [[null, EXIT.harnessError], ['read-uncommitted', EXIT.invalid]] as const) {
      const out = tempDir('campaign-err');
      fs.writeFileSync(path.join(out, 'seed-2'), 'a file where the run directory should go');
      const c = await runCampaign({ seeds: [1, 2], run: { ...smallRun(1), mutate }, outDir: out, args: [], renderReport: async () => null });
      expect(c.runs.map((r) => r.status)).toEqual([mutate ? 'invalid' : 'valid', 'error']);
      expect(c.runs[1]!.error).toMatch(/EEXIST|ENOTDIR/);
      expect(campaignExitCode(c)).toBe(expected);
      const junit = parseXml(fs.readFileSync(path.join(out, 'junit.xml'), 'utf8'));
      expect(all(junit, 'error')).toHaveLength(1);
      expect(all(junit, 'failure')).toHaveLength(mutate ? 1 : 0);
    }
  });
});
