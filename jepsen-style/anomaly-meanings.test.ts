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

  it('say when an allowed name is allowed, exactly for the names the checker allows always or in some cases', () => {
    // The contract (docs/contract/history-format.md, "Anomaly names"): writes are not isolated
    // (int-send-skip, G0 and its variant), polls promise no snapshot (G-single, G2); a rebalance may
    // move a subscribed consumer's partition (poll-skip, nonmonotonic-poll), and a G1c cycle is
    // allowed when it needs a write-write edge. Every other name breaks exactly-once.
    const by = (allowed: string) => Object.keys(ANOMALY_MEANINGS).filter((n) => meaningOf(n)!.allowed === allowed).sort();
    expect(by('always')).toEqual(['G-single', 'G0', 'G0-realtime', 'G2', 'int-send-skip']);
    expect(by('sometimes')).toEqual(['G1c', 'G1c-realtime', 'nonmonotonic-poll', 'poll-skip']);
    expect(by('never')).toEqual(Object.keys(ANOMALY_MEANINGS).filter((n) => !by('always').includes(n) && !by('sometimes').includes(n)).sort());
    for (const [name, m] of Object.entries(ANOMALY_MEANINGS)) {
      // `when` completes "Allowed: ..." or "Sometimes allowed: ...": a clause, without its full stop.
      if (m.allowed === 'never') expect(m.when, name).toBeUndefined();
      else expect(m.when, name).toMatch(/^[a-zA-Z][^.]*[^.\s]$/);
      expect(allowanceSentence(m), name).toBe(m.allowed === 'never' ? 'Never allowed: it breaks exactly-once.'
        : `${m.allowed === 'always' ? 'Allowed' : 'Sometimes allowed'}: ${m.when}.`);
    }
    expect(allowanceSentence(ANOMALY_MEANINGS.G0)).toBe('Allowed: Kafka does not isolate the writes of concurrent transactions, so their records interleave.');
    expect(allowanceSentence(ANOMALY_MEANINGS['poll-skip'])).toMatch(/^Sometimes allowed: allowed when the consumer had subscribed \(a group rebalance may move the partition\)\.$/);
    // A subscription explains the consumer's skips and rewinds; a write-write edge the G1c cycles.
    for (const n of ['poll-skip', 'nonmonotonic-poll'] as const) expect(ANOMALY_MEANINGS[n].when).toMatch(/subscribed/);
    for (const n of ['G1c', 'G1c-realtime'] as const) expect(ANOMALY_MEANINGS[n].when).toMatch(/write-write edge/);
    for (const n of ['G-single', 'G2'] as const) expect(ANOMALY_MEANINGS[n].when).toMatch(/consumer lag/);
    expect(meaningOf('hanging-transaction')!.allowed).toBe('never');
  });

  it('are documented in docs/anomalies.md and the contract', () => {
    const docs = readFileSync('docs/anomalies.md', 'utf8') + readFileSync('docs/contract/history-format.md', 'utf8');
    for (const name of Object.keys(ANOMALY_MEANINGS)) expect(docs, name).toContain(`\`${name}\``);
  });
});
