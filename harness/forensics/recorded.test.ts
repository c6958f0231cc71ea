// Recorded runs judged again without Kafka: the seed-43 unseen is a hanging transaction (orphaned by a
// dropped marker), its sentence says so; the seed-1 polls held transactions only through faults.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../jepsen-style/history.ts';
import { DEFAULT_HANGING_SETTINGS } from './hanging.ts';
import { judgeRecorded, replayDetector } from './recorded.ts';
import type { ClusterSnapshot } from './snapshot.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('recorded runs', () => {
  it('seed 43: the unseen writes of key 2 sit behind an orphaned transaction (hanging-transaction), and the verdict stays invalid', async () => {
    const c = await judgeRecorded(fixture('seed-43'));
    expect(c.hangingCount).toBe(1);
    expect(c.verdict.invalidTypes).toEqual(['hanging-transaction', 'unseen']);
    expect(c.inconclusive).toEqual([]);
    expect(new Set(c.attributions.map((a) => `${a.anomaly} ${a.key} ${a.cause}`))).toEqual(new Set(['unseen 2 hanging-transaction']));
    const [hanging] = c.verdict.anomalies['hanging-transaction']!;
    expect(hanging).toMatchObject({ key: 2, offsets: [20], values: [2], ops: [220] });
    expect(hanging!.explanation).toMatch(/^key 2 \(t1\/0\): producer 2 epoch 0 held a transaction open from offset 20 \(written by op 220, value 2, info\) since 4\.9 s/);
    expect(hanging!.explanation).toContain('the coordinator has moved on, the partition\'s marker is lost');
    expect(c.sentence).toBe("key 2 (t1/0) read up to 19 of 25 acknowledged: t1/0's LSO is held at 20 by producer 2 epoch 0, open since 4.9 s; " +
      'its coordinator (node 3) reports txn-w0 Empty at epoch 2, without t1-0: a hanging transaction.');
  });

  it('seed 1: transactions held open through back-to-back faults and ended after the heal are not hanging', () => {
    const dir = fixture('seed-1-faults');
    const nemesis = fs.readFileSync(`${dir}/nemesis.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HistoryEvent);
    const { runStartMs } = JSON.parse(fs.readFileSync(`${dir}/run.json`, 'utf8')) as { runStartMs: number };
    expect(replayDetector(`${dir}/open-transactions.jsonl`, nemesis, runStartMs, DEFAULT_HANGING_SETTINGS, 3, null)).toEqual([]);
    // Counting wall-clock time instead (no fault ever seen) finds both: the rule's fault clock is what keeps it quiet.
    const wallClock = replayDetector(`${dir}/open-transactions.jsonl`, [], runStartMs, DEFAULT_HANGING_SETTINGS, 3, null);
    expect(wallClock.map((h) => `${h.kind} ${h.topic}-${h.partition}`).sort()).toEqual(['overdue t0-copy-0', 'overdue t2-1']);
  });

  const replayFixture = (name: string) => {
    const dir = fixture(name);
    const snapshot = fs.existsSync(`${dir}/snapshot.json`) ? JSON.parse(fs.readFileSync(`${dir}/snapshot.json`, 'utf8')) as ClusterSnapshot : null;
    const nemesis = fs.readFileSync(`${dir}/nemesis.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HistoryEvent);
    const { runStartMs } = JSON.parse(fs.readFileSync(`${dir}/run.json`, 'utf8')) as { runStartMs: number };
    return replayDetector(`${dir}/open-transactions.jsonl`, nemesis, runStartMs, DEFAULT_HANGING_SETTINGS, 3, snapshot);
  };

  it.each(['late-markers-franz-go-v1.21.5', 'late-markers-franz-go-v1.21.6'])(
    '%s: transactions found orphaned while a node was cut off, and closed after, are not hanging', (name) => {
      expect(replayFixture(name)).toEqual([]);
    });

  it('java seed 5: the commit marker dropped on __consumer_offsets-3 leaves it open to the final snapshot: hanging', () => {
    expect(replayFixture('java-seed-5-dropped-commit-marker').map((h) => `${h.kind} ${h.topic}-${h.partition} ${h.producerId}/${h.producerEpoch}`))
      .toEqual(['orphaned __consumer_offsets-3 2000/33']);
  });
});
