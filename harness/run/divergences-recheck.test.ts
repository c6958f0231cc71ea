// Every recorded run kept as a fixture is re-judged without Kafka (checker and conformance replay): a false
// alarm once fixed stays fixed, a real finding stays found (test/fixtures/runs/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recheckRunDir, runDirsUnder } from './divergences-recheck.ts';

const root = new URL('../../test/fixtures/runs/', import.meta.url).pathname;

describe('recorded runs re-judged without Kafka', () => {
  const dirs = runDirsUnder(root);
  it('finds the fixtures', () => expect(dirs.length).toBeGreaterThanOrEqual(3));
  for (const dir of dirs) {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { outcome: string };
    it(`${path.basename(dir)} is ${expected.outcome}`, async () => {
      const r = await recheckRunDir(dir);
      expect({ outcome: r.outcome, divergences: r.divergences, inconclusive: r.inconclusive, anomalyTypes: r.anomalyTypes })
        .toMatchObject({ outcome: expected.outcome });
    }, 60_000); // the largest (franz-go-divergence-seed-3, 17k events) takes seconds on a loaded machine
  }
});
