// .github/workflows/nightly.yml: actionlint finds nothing in it (and does find what is broken in
// altered copies, so the check can fail), and the facts the nightly depends on are there: shards that
// do not cancel each other, the two Kafka lines and the Java client leg, retention on every artifact.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../repro/testing.ts';
import { actionlint, ensureActionlint } from './actionlint.ts';
import { parseLegs } from './legs.ts';

const file = path.join(import.meta.dirname, '../../../.github/workflows/nightly.yml');
const workflow = fs.readFileSync(file, 'utf8');

/** The LEGS variable's JSON (a folded `>-` block in the workflow's env). */
function legsJson(text: string): string {
  const m = /^ {2}LEGS: >-\n((?: {4}.*\n)+)/m.exec(text);
  if (!m) throw new Error('nightly.yml declares no LEGS: >- block under env');
  return m[1]!.split('\n').map((l) => l.trim()).join(' ');
}

describe('the nightly workflow', () => {
  let bin = '';
  beforeAll(() => { bin = ensureActionlint(); }, 600_000);

  it('passes actionlint', () => {
    expect(actionlint(bin, file)).toEqual({ code: 0, output: '' });
  });

  it.each([
    ['a job that needs one that does not exist', ['needs: [plan, campaign]', 'needs: [plan, campaing]'], /job "merge" needs job "campaing" which does not exist/],
    ['an output no step sets', ['${{ steps.merge.outputs.exit-code }}', '${{ steps.merj.outputs.exit-code }}'], /property "merj" is not defined/],
    ['a misspelt action input', ['retention-days: 30', 'retention_days: 30'], /input "retention_days" is not defined in action "actions\/upload-artifact@v7"/],
    ['an action too old for today\'s runners', ['actions/checkout@v6', 'actions/checkout@v2'], /too old to run on GitHub Actions/],
  ])('fails on a copy with %s', (_what, [from, to], message) => {
    expect(workflow).toContain(from);
    const broken = path.join(tempDir('workflow'), 'nightly.yml');
    fs.writeFileSync(broken, workflow.replace(from!, to!));
    const result = actionlint(bin, broken);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
  });

  it('says how to get Go when actionlint is missing and Go is too', () => {
    const env = { ...process.env, PATH: '/nonexistent', XDG_CACHE_HOME: tempDir('no-go') };
    expect(() => ensureActionlint(env)).toThrow(/no working `go` is on PATH .*install Go 1\.24 or newer/);
  });

  it('runs shards that do not cancel each other, a Kafka 3.9 leg beside 4.x and a Java client leg, keeping artifacts for a set time', () => {
    const legs = parseLegs(legsJson(workflow));
    expect(legs.map((l) => [l.name, l.kafkaVersion])).toEqual([['kafka-4', '4.4.0'], ['kafka-3.9', '3.9.2'], ['java-client', '4.4.0']]);
    expect(legs.find((l) => l.name === 'java-client')!.flags).toContain('--client java');
    expect(workflow.match(/fail-fast: false/g)).toHaveLength(2); // shards and merges
    expect(workflow).toContain("--shard \"$SHARD\"");
    const uploads = workflow.split('uses: actions/upload-artifact@').slice(1);
    expect(uploads).toHaveLength(4); // shards, merged campaigns, state, the mutation report
    for (const u of uploads) expect(u.split(/\n {6}- /)[0]).toMatch(/retention-days: \d+/);
    expect(workflow).toMatch(/NODE_VERSION: '24'/);
    expect(workflow).toContain('uses: EnricoMi/publish-unit-test-result-action@v2');
    expect(workflow).toMatch(/^ {2}mutation:$/m);
  });
});
