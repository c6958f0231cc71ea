// The model's run and Kafka's run of one program (`kafka-eos run --target both`): each key's committed
// contents (what a read_committed consumer sees at the end, in offset order) and each op's outcome are
// compared; a difference is explained only by faults in the run with the worse outcome, and a value
// acknowledged in one run must be in the other. Hand-made pairs of runs with the expected comparison.
import { describe, expect, it } from 'vitest';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';
import { compareRuns } from './compare-runs.ts';

/** A run whose final poll (process 9) read `contents`, after the ok sends `writes` ([key, offset, value]; an
 *  acknowledged send without an offset is one whose record the final poll did not find). */
function run(contents: Record<number, [number, number][]>, writes: Array<[number, number | null, number]> = [], faults = false) {
  const h = new HistoryBuilder();
  if (faults) h.nemesis('start-partition', 'info', 'majority');
  for (const [k, o, v] of writes) h.op(0, 'ok', 'send', [send(k, v)], [sent(k, o, v)]);
  h.op(9, 'ok', 'poll', [poll()], [polled(contents)]);
  return h;
}

describe('committed contents of each run', () => {
  it('lists the keys that differ in key order, numbers not strings', () => {
    const c = compareRuns(run({ 10: [[0, 1]], 2: [[0, 1]], 9: [[0, 1]] }).events, run({}).events);
    expect(c.keys.map((d) => d.key)).toEqual([2, 9, 10]);
    expect(c.keys[0]).toEqual({ key: 2, onlyModel: [1], onlyKafka: [], unexplained: [], explanation: 'key 2: 1 committed value(s) only in the model run, 0 only in the Kafka run' });
    // Values nobody acknowledged (only read): no run is held to them.
    expect(c.agree).toBe(true);
    // Keys of both runs together, sorted as numbers: the model's 10 before Kafka's 2 and 9 in neither order.
    expect(compareRuns(run({ 10: [[0, 1]] }).events, run({ 9: [[0, 1]], 2: [[0, 1]] }).events).keys.map((d) => d.key)).toEqual([2, 9, 10]);
    const other = compareRuns(run({}).events, run({ 3: [[0, 4], [1, 5]] }).events);
    expect(other.keys).toEqual([{ key: 3, onlyModel: [], onlyKafka: [4, 5], unexplained: [], explanation: 'key 3: 0 committed value(s) only in the model run, 2 only in the Kafka run' }]);
  });

  it('puts each value at the lowest offset it was seen at, and orders the key by offset', () => {
    // Kafka's final poll read value 2 twice (a duplicate at offset 3) and value 3 between.
    const kafka = run({ 0: [[0, 1], [1, 2], [2, 3], [3, 2]] });
    const model = run({ 0: [[0, 1], [1, 2], [2, 3]] });
    expect(compareRuns(model.events, kafka.events)).toMatchObject({ agree: true, keys: [] });
    // Seen at 3 first, then at 1: still offset 1.
    const later = new HistoryBuilder();
    later.op(8, 'ok', 'poll', [poll()], [polled({ 0: [[3, 2]] })]);
    later.op(9, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2], [2, 3]] })]);
    expect(compareRuns(model.events, later.events).keys).toEqual([]);
  });

  it('counts committed writes (ok, or info that a poll read where it landed) and reads of ok ops only', () => {
    const kafka = new HistoryBuilder();
    kafka.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    kafka.op(1, 'fail', 'send', [send(0, 2)], [sent(0, 1, 2)]);
    kafka.op(2, 'info', 'poll', [poll()], [polled({ 0: [[2, 3]] })]);
    kafka.op(3, 'fail', 'poll', [poll()], [polled({ 0: [[3, 4]] })]);
    kafka.op(4, 'info', 'txn', [send(1, 5)], [sent(1, 0, 5)]);
    const c = compareRuns(run({}).events, kafka.events);
    expect(c.keys).toEqual([expect.objectContaining({ key: 0, onlyKafka: [1] })]);
    // An info write some ok poll read at its offset committed.
    kafka.op(5, 'ok', 'poll', [poll()], [polled({ 1: [[0, 5]] })]);
    expect(compareRuns(run({}).events, kafka.events).keys).toMatchObject([{ key: 0, onlyKafka: [1] }, { key: 1, onlyKafka: [5] }]);
  });

  it('holds each run to the values the other acknowledged', () => {
    // Kafka acknowledged 2 and lost it; the model has it.
    const c = compareRuns(run({ 0: [[0, 1], [1, 2]] }, [[0, 0, 1], [0, 1, 2]]).events, run({ 0: [[0, 1]] }, [[0, 0, 1], [0, null, 2]]).events);
    expect(c.agree).toBe(false);
    expect(c.keys).toEqual([{
      key: 0, onlyModel: [2], onlyKafka: [], unexplained: [2],
      explanation: 'key 0: 1 committed value(s) only in the model run, 0 only in the Kafka run; 1 of them (2) were acknowledged in the run that lacks them',
    }]);
    // The other way round.
    const d = compareRuns(run({ 0: [[0, 1]] }, [[0, 0, 1], [0, null, 2]]).events, run({ 0: [[0, 1], [1, 2]] }, [[0, 0, 1], [0, 1, 2]]).events);
    expect(d).toMatchObject({ agree: false, keys: [{ onlyModel: [], onlyKafka: [2], unexplained: [2] }] });
  });

  it('names at most eight unexplained values', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const c = compareRuns(run({ 0: values.map((v, o) => [o, v]) }).events, run({}, values.map((v) => [0, null, v])).events);
    expect(c.keys[0]!.unexplained).toEqual(values);
    expect(c.keys[0]!.explanation).toBe('key 0: 10 committed value(s) only in the model run, 0 only in the Kafka run; 10 of them (1, 2, 3, 4, 5, 6, 7, 8) were acknowledged in the run that lacks them');
  });

  it('reports where the values both runs have first come in another order, without disagreeing', () => {
    const c = compareRuns(run({ 0: [[0, 1], [1, 2], [2, 3], [3, 4]] }).events, run({ 0: [[0, 1], [1, 3], [2, 2], [3, 4], [4, 5]] }).events);
    expect(c.agree).toBe(true);
    expect(c.keys).toEqual([{
      key: 0, onlyModel: [], onlyKafka: [5], unexplained: [], reorderedAt: { model: 2, kafka: 3, index: 1 },
      explanation: 'key 0: 0 committed value(s) only in the model run, 1 only in the Kafka run; common values first differ in order at position 1 (model 2, Kafka 3)',
    }]);
    // Reordered at the very first position, nothing missing.
    expect(compareRuns(run({ 0: [[0, 1], [1, 2]] }).events, run({ 0: [[0, 2], [1, 1]] }).events).keys).toEqual([{
      key: 0, onlyModel: [], onlyKafka: [], unexplained: [], reorderedAt: { model: 1, kafka: 2, index: 0 },
      explanation: 'key 0: 0 committed value(s) only in the model run, 0 only in the Kafka run; common values first differ in order at position 0 (model 1, Kafka 2)',
    }]);
    // A value only one run has is not a reordering of the others.
    expect(compareRuns(run({ 0: [[0, 1], [1, 2]] }).events, run({ 0: [[0, 9], [1, 1], [2, 2]] }).events).keys).toEqual([
      { key: 0, onlyModel: [], onlyKafka: [9], unexplained: [], explanation: 'key 0: 0 committed value(s) only in the model run, 1 only in the Kafka run' },
    ]);
  });
});

describe('outcomes of the ops both runs performed', () => {
  /** A transaction sending value 1 to key 0 with outcome `type`, then a second one matched by its value 2. */
  function runOf(type: 'ok' | 'fail' | 'info', faults: boolean, secondType: 'ok' | 'fail' | 'info' = 'ok') {
    const h = new HistoryBuilder();
    if (faults) h.nemesis('start-partition', 'info', 'majority');
    h.op(0, type, 'txn', [send(0, 1)], [sent(0, type === 'ok' ? 0 : null, 1)]);
    h.op(1, secondType, 'txn', [send(1, 2), send(0, 9)], [sent(1, secondType === 'ok' ? 0 : null, 2), sent(0, null, 9)]);
    h.op(2, 'ok', 'poll', [poll()], [poll()]);
    return h.events;
  }

  it('matches ops by their first send and counts those with the same outcome', () => {
    expect(compareRuns(runOf('ok', false), runOf('ok', false)).outcomes).toEqual({ matched: 2, same: 2, differences: [] });
    expect(compareRuns(runOf('info', false, 'fail'), runOf('info', false, 'fail')).outcomes).toEqual({ matched: 2, same: 2, differences: [] });
    // An op whose first send the other run never made is not matched, nor is a poll.
    const other = new HistoryBuilder();
    other.op(0, 'ok', 'send', [send(0, 7)], [sent(0, 0, 7)]);
    other.op(1, 'ok', 'txn', [send(0, 2)], [sent(0, 1, 2)]);
    other.op(2, 'ok', 'poll', [poll()], [poll()]);
    expect(compareRuns(runOf('ok', false), other.events).outcomes).toEqual({ matched: 0, same: 0, differences: [] });
  });

  it.each([
    // [model, kafka, faults in the model run, faults in the Kafka run, explained]
    ['ok', 'fail', false, true, true], ['ok', 'info', false, true, true], ['ok', 'fail', true, false, false],
    ['fail', 'ok', true, false, true], ['info', 'ok', true, false, true], ['info', 'ok', false, true, false],
    // Between fail and info, fail is the worse: the request definitely did not take effect.
    ['fail', 'info', true, false, true], ['fail', 'info', false, true, false],
    ['info', 'fail', false, true, true], ['info', 'fail', true, false, false],
  ] as const)('a send that was %s in the model and %s on Kafka (faults: model %s, Kafka %s) is explained: %s', (m, k, mf, kf, explained) => {
    const c = compareRuns(runOf(m, mf), runOf(k, kf));
    expect(c.outcomes).toMatchObject({ matched: 2, same: 1 });
    expect(c.outcomes.differences).toEqual([{
      key: 0, value: 1, model: { index: mf ? 2 : 1, type: m }, kafka: { index: kf ? 2 : 1, type: k }, explained,
      explanation: `the op sending value 1 to key 0 was ${m} in the model (op ${mf ? 2 : 1}) and ${k} on Kafka (op ${kf ? 2 : 1})`
        + (explained ? ' (the run with the worse outcome had faults)' : ', and no fault explains it'),
    }]);
    expect(c.agree).toBe(explained);
  });
});
