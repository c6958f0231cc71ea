// `kafka-eos campaign` and `kafka-eos repro` against real clusters, through the command line: two short
// seeds (a fresh cluster each), then the repro of the first into a fresh cluster. Exit 3 is never
// acceptable here: it would mean the harness could not do its job.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignResult } from '../../harness/campaign/result.ts';
import { parseXml } from '../../harness/campaign/testing/xml.ts';

const CLI = 'bin/kafka-eos.js';

describe('campaign and repro against real Kafka', () => {
  it('campaign --seeds 1..2 --target kafka: a run, a report and a junit testcase per seed; repro of seed 1', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kafka-eos-campaign-')), 'c');
    const campaign = spawnSync('node', [CLI, 'campaign', '--seeds', '1..2', '--target', 'kafka', '--time-limit', '10',
      '--nemesis', 'kill', '--nemesis-interval', '3', '--out', out], { encoding: 'utf8' });
    expect(campaign.status, campaign.stderr.slice(-3000)).toBeOneOf([0, 1]);
    const c = JSON.parse(readFileSync(join(out, 'campaign.json'), 'utf8')) as CampaignResult;
    expect(c.complete).toBe(true);
    expect(c.runs.map((r) => r.seed)).toEqual([1, 2]);
    expect(c.runs.every((r) => r.status !== 'error')).toBe(true);
    expect(campaign.status).toBe(c.runs.some((r) => r.status === 'invalid') ? 1 : 0);
    for (const r of c.runs) {
      expect(r.ops['kafka']).toBeGreaterThan(50);
      expect(existsSync(join(out, r.dir, 'kafka', 'history.jsonl'))).toBe(true);
      expect(existsSync(join(out, r.report!))).toBe(true);
    }
    const junit = parseXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(junit.children[0]!.children.filter((t) => t.name === 'testcase').map((t) => t.attrs['name'])).toEqual(['seed 1', 'seed 2']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<a href="seed-1/index.html">');
    expect(campaign.stderr).toMatch(/seed 2 \(2 of 2\) · .* elapsed · ETA /);

    const repro = spawnSync('node', [CLI, 'repro', join(out, 'seed-1')], { encoding: 'utf8' });
    expect(repro.status, repro.stderr.slice(-3000)).toBeOneOf([0, 1]);
    const again = JSON.parse(readFileSync(join(out, 'seed-1', 'repro-1', 'verdict.json'), 'utf8')) as { target: string; complete: boolean };
    expect(again).toMatchObject({ target: 'kafka', complete: true });
    expect(readFileSync(join(out, 'seed-1', 'repro-1', 'program.json'), 'utf8')).toBe(readFileSync(join(out, 'seed-1', 'program.json'), 'utf8'));
    expect(repro.stdout).toMatch(/^(REPRODUCED|NOT REPRODUCED|DIFFERENT)/);
  });
});
