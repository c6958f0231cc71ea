// Every anomaly name the checker can report has a meaning for the report, consistent with whether
// the checker allows it, and is documented in docs/anomalies.md and the contract.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JEPSEN_ANOMALIES, PROJECT_ANOMALIES } from './anomaly.ts';
import { ANOMALY_MEANINGS, allowanceSentence, meaningOf } from './anomaly-meanings.ts';

const names = [...JEPSEN_ANOMALIES, ...Object.keys(PROJECT_ANOMALIES)];

describe('anomaly meanings', () => {
  it('cover every name, agree with the checker on what is allowed, and are one sentence each', () => {
    for (const name of names) {
      const m = meaningOf(name);
      expect(m, name).toBeDefined();
      expect(m!.meaning, name).toMatch(/^[A-Z][^.]*(\.[^.]+)*\.$/);
      const allowed = (PROJECT_ANOMALIES as Record<string, boolean>)[name];
      if (allowed !== undefined) expect(m!.allowed, name).toBe(allowed ? 'always' : 'never');
    }
    expect(ANOMALY_MEANINGS['int-send-skip'].allowed).toBe('always');
    expect(ANOMALY_MEANINGS.G1c.allowed).toBe('sometimes');
    expect(allowanceSentence(ANOMALY_MEANINGS['garbage-read'])).toBe('Never allowed: it breaks exactly-once.');
    expect(meaningOf('some-future-name')).toBeUndefined();
  });

  it('are documented in docs/anomalies.md and the contract', () => {
    const docs = readFileSync('docs/anomalies.md', 'utf8') + readFileSync('docs/contract/history-format.md', 'utf8');
    for (const name of Object.keys(ANOMALY_MEANINGS)) expect(docs, name).toContain(`\`${name}\``);
  });
});
