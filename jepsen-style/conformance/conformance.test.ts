// Conformance with the model: a history of a correct Kafka replays through the model; each kind of
// broken promise is reported as the first divergence, with the op; model and Kafka runs compare.
import { describe, expect, it } from 'vitest';
import { generateHistory } from '../testing/generate.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';
import { compareRuns } from './compare-runs.ts';
import { replayAgainstModel } from './replay.ts';

describe('replay against the model', () => {
  it('replays generated histories of a correct Kafka without divergence', () => {
    for (const seed of [11, 12]) {
      const events = [...generateHistory({ seed, ops: 150, keys: 3, concurrency: 4, txnP: 0.5 })];
      expect(replayAgainstModel(events)).toMatchObject({ conforms: true });
    }
  });

  it('replays interleaved transactions (a permitted G0) and a poll that completes before its writer', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'txn', [send(0, 1), send(1, 1)]);
    h.invoke(1, 'txn', [send(0, 2), send(1, 2)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2]], 1: [[0, 2], [1, 1]] })]);
    h.complete(0, 'ok', [sent(0, 0, 1), sent(1, 1, 1)]);
    h.complete(1, 'ok', [sent(0, 1, 2), sent(1, 0, 2)]);
    expect(replayAgainstModel(h.events)).toMatchObject({ conforms: true, inconclusive: [], replayed: 3, ops: 3 });
  });

  it('resolves info ops by what was read: a cut send op, lost offsets, a crashed txn only an info op read', () => {
    const h = new HistoryBuilder();
    h.op(1, 'ok', 'send', [send(1, 5)], [sent(1, 0, 5)]);
    // A killed client: only its first send landed; its answers were lost, a poll shows where.
    h.op(0, 'info', 'send', [send(0, 1), send(1, 1)], [send(0, 1), send(1, 1)]);
    h.op(5, 'ok', 'send', [send(0, 2), send(1, 6)], [sent(0, 1, 2), sent(1, 1, 6)]);
    // A crashed transaction whose write only an info poll saw: polls return committed data only.
    h.op(2, 'info', 'txn', [send(2, 7)], [sent(2, null, 7)]);
    h.op(3, 'info', 'poll', [poll()], [polled({ 2: [[0, 7]] })]);
    h.op(4, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2]], 1: [[0, 5], [1, 6]] })]);
    expect(replayAgainstModel(h.events)).toMatchObject({ conforms: true, inconclusive: [], replayed: 6, ops: 6 });
  });

  it('reports an aborted read: Kafka returned a value the model never commits', () => {
    const h = new HistoryBuilder();
    h.op(0, 'fail', 'txn', [send(0, 5)], [sent(0, null, 5)]);
    const reader = h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 5]] })]);
    expect(replayAgainstModel(h.events).divergence).toMatchObject({ index: reader, kind: 'read', key: 0 });
  });

  it('reports a skipped record: the model would return it', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1), send(0, 2), send(0, 3)], [sent(0, 0, 1), sent(0, 1, 2), sent(0, 2, 3)]);
    const reader = h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [2, 3]] })]);
    const r = replayAgainstModel(h.events);
    expect(r).toMatchObject({ conforms: false, replayed: 1 });
    expect(r.divergence).toEqual({
      index: reader, process: 1, kind: 'read', key: 0, model: 'returns [1, 2, 3] from there',
      kafka: 'returned [1, 3] for key 0 (value 3 where the model has 2)',
      explanation: `op ${reader} (process 1, ok poll): Kafka returned [1, 3] for key 0 (value 3 where the model has 2), but the model returns [1, 2, 3] from there`,
    });
  });

  it('reports a zombie commit: the model fences the older instance', () => {
    const h = new HistoryBuilder();
    h.op(1, 'ok', 'txn', [send(0, 1)], [sent(0, 0, 1)], { txnId: 'c0' });
    h.op(2, 'ok', 'txn', [send(0, 2)], [sent(0, 2, 2)], { txnId: 'c0' });
    const zombie = h.op(1, 'ok', 'txn', [send(0, 3)], [sent(0, 4, 3)], { txnId: 'c0' });
    h.op(3, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [2, 2], [4, 3]] })]);
    expect(replayAgainstModel(h.events).divergence).toMatchObject({ index: zombie, kind: 'refused' });
  });

  it('reports a cycle of reads no order can produce as stuck', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'txn', [send(0, 1), poll()]);
    h.invoke(1, 'txn', [send(1, 1), poll()]);
    const first = h.complete(0, 'ok', [sent(0, 0, 1), polled({ 1: [[0, 1]] })]);
    h.complete(1, 'ok', [sent(1, 0, 1), polled({ 0: [[0, 1]] })]);
    expect(replayAgainstModel(h.events).divergence).toMatchObject({ index: first, kind: 'stuck' });
  });
});

describe('model run versus Kafka run', () => {
  const run = (secondType: 'ok' | 'fail', faults: boolean, lose = false) => {
    const h = new HistoryBuilder();
    if (faults) h.nemesis('start-partition', 'info', 'majority');
    h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    h.op(0, secondType, 'send', [send(0, 2)], [sent(0, secondType === 'ok' && !lose ? 1 : null, 2)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: secondType === 'ok' && !lose ? [[0, 1], [1, 2]] : [[0, 1]] })]);
    return h.events;
  };

  it('agrees on identical runs', () => {
    expect(compareRuns(run('ok', false), run('ok', false))).toEqual({ agree: true, keys: [], outcomes: { matched: 2, same: 2, differences: [] } });
  });

  it('explains a send that failed under faults on one side', () => {
    const c = compareRuns(run('ok', false), run('fail', true));
    expect(c.agree).toBe(true);
    expect(c.keys).toMatchObject([{ key: 0, onlyModel: [2], onlyKafka: [], unexplained: [] }]);
    expect(c.outcomes.differences).toMatchObject([{ key: 0, value: 2, model: { type: 'ok' }, kafka: { type: 'fail' }, explained: true }]);
  });

  it('does not explain a difference without faults, nor an acknowledged value missing from the other run', () => {
    expect(compareRuns(run('ok', false), run('fail', false)).agree).toBe(false);
    const lost = compareRuns(run('ok', false, true), run('ok', false));
    expect(lost.agree).toBe(false);
    expect(lost.keys).toMatchObject([{ key: 0, onlyModel: [], onlyKafka: [2], unexplained: [2] }]);
  });
});
