// The detector's rule: orphaned (no coordinator has it open with this partition, two polls in a row) or
// overdue (open past timeout + abort interval + slack, counting fault-free time only) is hanging;
// anything that ends in time, or only outlives its threshold under faults, is not; a partition that did
// not answer closes nothing.
import { describe, expect, it } from 'vitest';
import { OpenTransactionTracker, type Observation, type OpenProducer } from './hanging.ts';
import { txn } from './testing.ts';

const settings = { defaultTimeoutMs: 30_000, abortIntervalMs: 5_000, slackMs: 20_000 }; // threshold 55 s
const all = new Set(['t0-0', 't0-1']);
const open = (startOffset: number, pid = 7, epoch = 2, partition = 0): OpenProducer =>
  ({ topic: 't0', partition, producerId: pid, producerEpoch: epoch, lastSequence: 3, lastTimestamp: 0, txnStartOffset: startOffset });
const ongoing = (pid = 7, epoch = 2, extra = {}) => txn('tx-7', pid, 'Ongoing', { producerEpoch: epoch, partitions: ['t0-0'], ...extra });

/** An observation: by default every partition answered, the coordinator has producer 7's transaction on t0-0, no fault. */
const at = (atMs: number, producers: OpenProducer[], extra: Partial<Observation> = {}): Observation =>
  ({ atMs, producers, answered: all, transactions: [ongoing()], allCoordinatorsListed: true, faultFree: true, ...extra });

function poll(tracker: OpenTransactionTracker, from: number, to: number, make: (t: number) => Observation) {
  for (let t = from; t <= to; t += 3_000) tracker.observe(make(t));
}

describe('OpenTransactionTracker', () => {
  it('flags a transaction open past its threshold with partition, producer, epoch and start offset (overdue)', () => {
    const tracker = new OpenTransactionTracker(settings);
    poll(tracker, 0, 60_000, (t) => at(t, [open(62)]));
    expect(tracker.hanging()).toEqual([expect.objectContaining({
      kind: 'overdue', topic: 't0', partition: 0, producerId: 7, producerEpoch: 2, startOffset: 62,
      sinceMs: 0, openMs: 60_000, faultFreeOpenMs: 60_000, lastSeenMs: 60_000, thresholdMs: 55_000, timeoutMs: 30_000,
    })]);
  });

  it('stays quiet for transactions that end within the threshold, however many follow each other', () => {
    const tracker = new OpenTransactionTracker(settings);
    poll(tracker, 0, 120_000, (t) => at(t, [open(Math.floor(t / 9_000) * 10)]));
    expect(tracker.hanging()).toEqual([]);
  });

  it('counts only fault-free time: a transaction held through faults and ended soon after the heal is not hanging', () => {
    const tracker = new OpenTransactionTracker(settings);
    poll(tracker, 0, 90_000, (t) => at(t, [open(5)], { faultFree: t < 6_000 || t > 80_000 }));
    expect(tracker.hanging()).toEqual([]);
    poll(tracker, 93_000, 150_000, (t) => at(t, [open(5)]));
    expect(tracker.hanging()).toEqual([expect.objectContaining({ kind: 'overdue', openMs: 150_000, faultFreeOpenMs: 3_000 + 69_000 })]);
  });

  it('flags a transaction its coordinators no longer have (orphaned) after two polls, whatever its age', () => {
    const tracker = new OpenTransactionTracker(settings);
    tracker.observe(at(0, [open(5)]));
    const ended = [txn('tx-7', 7, 'CompleteAbort', { producerEpoch: 2 })];
    tracker.observe(at(3_000, [open(5)], { transactions: ended }));
    expect(tracker.hanging()).toEqual([]); // a marker may have landed between the two answers
    tracker.observe(at(6_000, [open(5)], { transactions: ended }));
    expect(tracker.hanging()).toEqual([expect.objectContaining({ kind: 'orphaned', startOffset: 5, openMs: 6_000 })]);
  });

  it('an orphaned transaction a later poll saw closed was not hanging: its marker came late (a cut-off leader answered)', () => {
    const tracker = new OpenTransactionTracker(settings);
    const ended = [txn('tx-7', 7, 'CompleteAbort', { producerEpoch: 2 })];
    poll(tracker, 0, 9_000, (t) => at(t, [open(5)], { transactions: ended, faultFree: false }));
    expect(tracker.hanging().map((h) => h.kind)).toEqual(['orphaned']); // still open: hanging for all we know
    tracker.observe(at(12_000, [], { transactions: ended }));
    expect(tracker.hanging()).toEqual([]);
    expect(tracker.closedAfterOrphaned()).toEqual([expect.objectContaining({ kind: 'orphaned', startOffset: 5, lastSeenMs: 9_000 })]);
  });

  it('an orphaned transaction open at the last poll stays hanging, and an overdue one stays so even if it ended later', () => {
    const tracker = new OpenTransactionTracker(settings);
    const ended = [txn('tx-7', 7, 'CompleteAbort', { producerEpoch: 2 })];
    poll(tracker, 0, 60_000, (t) => at(t, [open(5, 7, 2, 0), open(9, 8, 1, 1)], { transactions: [...ended, txn('tx-8', 8, 'Ongoing', { producerEpoch: 1, partitions: ['t0-1'] })] }));
    tracker.observe(at(63_000, [open(5)], { transactions: ended })); // t0-1's overdue transaction ended, late
    expect(tracker.hanging().map((h) => `${h.kind} ${h.topic}-${h.partition}`)).toEqual(['orphaned t0-0', 'overdue t0-1']);
    expect(tracker.closedAfterOrphaned()).toEqual([]);
  });

  it('orphaned also when no broker lists it open, but only if every broker answered', () => {
    const tracker = new OpenTransactionTracker(settings);
    poll(tracker, 0, 30_000, (t) => at(t, [open(5)], { transactions: [], allCoordinatorsListed: false }));
    expect(tracker.hanging()).toEqual([]);
    poll(tracker, 33_000, 36_000, (t) => at(t, [open(5)], { transactions: [] }));
    expect(tracker.hanging().map((h) => h.kind)).toEqual(['orphaned']);
  });

  it('not orphaned while the coordinator holds it (markers pending after a timeout fence bumped the epoch)', () => {
    const tracker = new OpenTransactionTracker(settings);
    poll(tracker, 0, 30_000, (t) => at(t, [open(5)], { transactions: [txn('tx-7', 7, 'PrepareAbort', { producerEpoch: 3, partitions: ['t0-0'] })] }));
    expect(tracker.hanging()).toEqual([]);
  });

  it('not orphaned when the coordinator lists it but its description did not come (partitions unknown)', () => {
    const tracker = new OpenTransactionTracker(settings);
    const listedOnly = { transactionalId: 'tx-7', producerId: 7, state: 'Ongoing', describeError: 'TimeoutException' };
    poll(tracker, 0, 30_000, (t) => at(t, [open(5)], { transactions: [listedOnly] }));
    expect(tracker.hanging()).toEqual([]);
  });

  it('does not close a transaction on a poll its partition did not answer', () => {
    const tracker = new OpenTransactionTracker(settings);
    poll(tracker, 0, 30_000, (t) => at(t, [open(5)]));
    poll(tracker, 33_000, 57_000, (t) => at(t, [], { answered: new Set(['t0-1']) })); // t0-0's leader silent: no news is not closure
    tracker.observe(at(60_000, [open(5)]));
    expect(tracker.hanging().map((h) => h.openMs)).toEqual([60_000]);
    tracker.observe(at(63_000, []));
    expect(tracker.stillOpen()).toEqual([]);
  });

  it('counts from the coordinator\'s start time for the same epoch, and uses its timeout', () => {
    const tracker = new OpenTransactionTracker(settings);
    tracker.observe(at(1_000, []));
    tracker.observe(at(40_000, [open(5)], { transactions: [ongoing(7, 2, { timeoutMs: 10_000, startTimeMs: 1_000 })] }));
    expect(tracker.hanging()).toEqual([expect.objectContaining({ kind: 'overdue', sinceMs: 1_000, timeoutMs: 10_000, thresholdMs: 35_000, openMs: 39_000 })]);
    expect(tracker.hanging()[0]!.coordinator).toEqual(expect.objectContaining({ transactionalId: 'tx-7', state: 'Ongoing', holdsPartition: true }));
  });

  it('ignores a coordinator start time of another epoch', () => {
    const tracker = new OpenTransactionTracker(settings);
    tracker.observe(at(1_000, []));
    tracker.observe(at(40_000, [open(5)], { transactions: [ongoing(7, 3, { startTimeMs: 1_000 })] }));
    expect(tracker.hanging()).toEqual([]);
    expect(tracker.stillOpen()[0]!.coordinator).toEqual(expect.objectContaining({ producerEpoch: 3 }));
  });
});
