// The detector's rule: open past timeout + abort interval + slack is hanging; anything shorter, or
// closed in time, is not; a partition that did not answer closes nothing.
import { describe, expect, it } from 'vitest';
import { OpenTransactionTracker, type OpenProducer } from './hanging.ts';
import { txn } from './testing.ts';

const settings = { defaultTimeoutMs: 30_000, abortIntervalMs: 5_000, slackMs: 20_000 }; // threshold 55 s
const all = new Set(['t0-0', 't0-1']);
const open = (startOffset: number, pid = 7, epoch = 2, partition = 0): OpenProducer =>
  ({ topic: 't0', partition, producerId: pid, producerEpoch: epoch, lastSequence: 3, lastTimestamp: 0, txnStartOffset: startOffset });

/** Polls every 3 s from t=0 to `untilMs`, with `producers(t)` open at each. */
function poll(tracker: OpenTransactionTracker, untilMs: number, producers: (t: number) => OpenProducer[], answered = () => all, from = 0) {
  for (let t = from; t <= untilMs; t += 3_000) tracker.observe(t, producers(t), answered(), []);
}

describe('OpenTransactionTracker', () => {
  it('flags a transaction open longer than its threshold, with partition, producer, epoch and start offset', () => {
    const tracker = new OpenTransactionTracker(settings);
    poll(tracker, 60_000, () => [open(62)]);
    expect(tracker.hanging()).toEqual([expect.objectContaining({
      topic: 't0', partition: 0, producerId: 7, producerEpoch: 2, startOffset: 62, sinceMs: 0, openMs: 60_000, lastSeenMs: 60_000, thresholdMs: 55_000, timeoutMs: 30_000,
    })]);
  });

  it('stays quiet for transactions that end within the threshold, however many follow each other', () => {
    const tracker = new OpenTransactionTracker(settings);
    // A new transaction every 9 s from the same producer (a new start offset each time), each open 50 s at most.
    poll(tracker, 120_000, (t) => [open(Math.floor(t / 9_000) * 10)]);
    poll(tracker, 54_000, () => [open(500, 8)], () => all, 0);
    expect(tracker.hanging()).toEqual([]);
  });

  it('does not close a transaction on a poll its partition did not answer', () => {
    const tracker = new OpenTransactionTracker(settings);
    poll(tracker, 30_000, () => [open(5)]);
    poll(tracker, 57_000, () => [], () => new Set(['t0-1']), 33_000); // t0-0's leader silent: no news is not closure
    tracker.observe(60_000, [open(5)], all, []);
    expect(tracker.hanging().map((h) => h.openMs)).toEqual([60_000]);
    tracker.observe(63_000, [], all, []);
    expect(tracker.stillOpen()).toEqual([]);
  });

  it('counts from the coordinator\'s start time for the same epoch, and uses its timeout', () => {
    const tracker = new OpenTransactionTracker(settings);
    const coordinator = txn('tx-7', 7, 'Ongoing', { producerEpoch: 2, timeoutMs: 10_000, startTimeMs: 1_000, partitions: ['t0-0'] });
    tracker.observe(40_000, [open(5)], all, [coordinator]);
    expect(tracker.hanging()).toEqual([expect.objectContaining({ sinceMs: 1_000, timeoutMs: 10_000, thresholdMs: 35_000, openMs: 39_000 })]);
    expect(tracker.hanging()[0]!.coordinator).toEqual(expect.objectContaining({ transactionalId: 'tx-7', state: 'Ongoing', holdsPartition: true }));
  });

  it('ignores a coordinator start time of another epoch (the coordinator moved on)', () => {
    const tracker = new OpenTransactionTracker(settings);
    const later = txn('tx-7', 7, 'Ongoing', { producerEpoch: 3, startTimeMs: 1_000, partitions: ['t0-0'] });
    tracker.observe(40_000, [open(5)], all, [later]);
    expect(tracker.hanging()).toEqual([]);
    expect(tracker.stillOpen()[0]!.coordinator).toEqual(expect.objectContaining({ producerEpoch: 3 }));
  });
});
