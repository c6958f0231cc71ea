// What forensics do to a verdict: unproven unseen -> allowed + inconclusive reason; proven loss and
// hanging transactions keep it invalid; lost-write always stays invalid.
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../jepsen-style/anomaly.ts';
import type { Verdict } from '../../jepsen-style/checker.ts';
import type { Attribution, Cause } from './attribution.ts';
import { applyForensics } from './verdict-effects.ts';
import { summarySentence } from './findings.ts';

const unseen: Anomaly = { type: 'unseen', allowed: false, key: 0, values: [357, 2356], count: 2, ops: [422, 721], explanation: '2 acknowledged send(s) to key 0 were never polled' };
const lost: Anomaly = { type: 'lost-write', allowed: false, key: 1, values: [5], offsets: [3], ops: [1, 2], explanation: 'value 5 of key 1 was never read' };

function verdict(...anomalies: Anomaly[]): Verdict {
  const byType: Record<string, Anomaly[]> = {};
  for (const a of anomalies) (byType[a.type] ??= []).push(a);
  const types = Object.keys(byType).sort();
  return { valid: false, anomalyTypes: types, anomalies: byType, stats: { ops: 1, ok: 1, fail: 0, info: 0 }, invalidTypes: types, anomalyCounts: Object.fromEntries(types.map((t) => [t, byType[t]!.length])) };
}

const attr = (anomaly: 'unseen' | 'lost-write', key: number, value: number, cause: Cause): Attribution =>
  ({ anomaly, key, topic: 't0', partition: key, value, offset: 1, cause, evidence: `evidence of ${cause}` });

describe('applyForensics', () => {
  it('turns an unseen of an incomplete final read into an inconclusive reason, and the history valid', () => {
    const { verdict: v, inconclusive } = applyForensics(verdict(unseen), [attr('unseen', 0, 357, 'read-never-reached'), attr('unseen', 0, 2356, 'read-never-reached')], []);
    expect(v.valid).toBe(true);
    expect(v.invalidTypes).toEqual([]);
    expect(v.anomalies['unseen']![0]).toMatchObject({ allowed: true });
    expect(v.anomalies['unseen']![0]!.explanation).toContain('Forensics: read never reached (incomplete final read, harness): evidence of read-never-reached');
    expect(inconclusive).toEqual([expect.stringMatching(/^key 0: 2 acknowledged write\(s\) never read \(an incomplete final read\), and forensics cannot pin it on Kafka/)]);
  });

  it('keeps an unseen invalid when one of its writes is a proven loss or behind a hanging transaction', () => {
    for (const cause of ['absent-from-log', 'aborted-in-log', 'hanging-transaction'] as const) {
      const { verdict: v, inconclusive } = applyForensics(verdict(unseen), [attr('unseen', 0, 357, cause), attr('unseen', 0, 2356, 'read-never-reached')], []);
      expect(v.invalidTypes).toEqual(['unseen']);
      expect(inconclusive).toEqual([]);
    }
  });

  it('makes an unseen without any attribution inconclusive only when forensics said unattributed', () => {
    expect(applyForensics(verdict(unseen), [], []).verdict.invalidTypes).toEqual(['unseen']);
    const { verdict: v, inconclusive } = applyForensics(verdict(unseen), [attr('unseen', 0, 357, 'unattributed')], []);
    expect(v.valid).toBe(true);
    expect(inconclusive[0]).not.toContain('incomplete final read');
  });

  it('keeps a lost-write invalid whatever its cause', () => {
    for (const cause of ['unattributed', 'leader-unavailable', 'read-never-reached'] as const) {
      expect(applyForensics(verdict(lost), [attr('lost-write', 1, 5, cause)], []).verdict.invalidTypes).toEqual(['lost-write']);
    }
    const { verdict: v, inconclusive } = applyForensics(verdict(lost), [attr('lost-write', 1, 5, 'read-past')], []);
    expect(v.invalidTypes).toEqual(['lost-write']);
    expect(v.anomalies['lost-write']![0]!.explanation).toContain('read past by the reading client');
    expect(inconclusive).toEqual([]);
  });

  it('adds hanging transactions as an invalid anomaly', () => {
    const hanging: Anomaly = { type: 'hanging-transaction', allowed: false, key: 0, ops: [450], offsets: [62], explanation: 'held open' };
    const base = { ...verdict(), valid: true };
    const { verdict: v } = applyForensics(base, [], [hanging]);
    expect(v).toMatchObject({ valid: false, invalidTypes: ['hanging-transaction'], anomalyTypes: ['hanging-transaction'], anomalyCounts: { 'hanging-transaction': 1 } });
  });
});

describe('summarySentence', () => {
  it('leads with the most serious short key', () => {
    const s = summarySentence([
      { key: 3, topic: 't1', partition: 1, lastRead: 9, lastAcked: 12, cause: 'read-never-reached', evidence: 'readable' },
      { key: 0, topic: 't0', partition: 0, lastRead: 61, lastAcked: 66, cause: 'hanging-transaction', evidence: "t0/0's LSO is held at 62 by producer 1001 epoch 3" },
    ], [], 1);
    expect(s).toBe("key 0 (t0/0) read up to 61 of 66 acknowledged: t0/0's LSO is held at 62 by producer 1001 epoch 3: a hanging transaction (and 1 more key(s): 3 read-never-reached).");
  });

  it('says nothing when there is nothing to explain', () => {
    expect(summarySentence([], [], 0)).toBeNull();
  });
});
