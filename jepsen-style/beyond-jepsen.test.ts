// Checks this project adds to Jepsen's (docs/anomalies.md): realtime cycles without ww edges,
// anti-dependency cycles, consume-transform-produce exactly-once, zombie fencing.
import { describe, expect, it } from 'vitest';
import type { ProgramInfo } from './program-info.ts';
import { anomaliesOf, verdictOf } from './testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from './testing/history-builder.ts';

const x = 0, y = 1;

describe('realtime cycles', () => {
  it('G1c-realtime without ww is invalid: a poll saw a write invoked after the poll completed', () => {
    const h = new HistoryBuilder();
    const reader = h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]] })]);
    const writer = h.op(1, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    expect(anomaliesOf(h, 'G1c-realtime')).toEqual([{
      type: 'G1c-realtime', allowed: false, ops: [reader, writer], cycle: [
        { from: reader, to: writer, rel: 'realtime' },
        { from: writer, to: reader, rel: 'wr', key: x, values: [1] },
      ],
    }]);
    expect(verdictOf(h)).toMatchObject({ valid: false, invalidTypes: ['G1c-realtime'] });
    expect(verdictOf(h).anomalies['G1c-realtime']![0]!.explanation).toBe(
      `G1c-realtime cycle of 2 ops (invalid: no ww edge is needed, so this is a read-committed violation): `
      + `op ${reader} completed before op ${writer} was invoked (realtime); op ${reader} read value 1 of key 0 written by op ${writer} (wr)`);
  });

  it('G0-realtime is allowed: a later send landed before an earlier one', () => {
    const h = new HistoryBuilder();
    const first = h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 1, 1)]);
    const second = h.op(1, 'ok', 'send', [send(x, 2)], [sent(x, 0, 2)]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 2], [1, 1]] })]);
    expect(anomaliesOf(h, 'G0-realtime')).toEqual([{
      type: 'G0-realtime', allowed: true, ops: [first, second], cycle: [
        { from: first, to: second, rel: 'realtime' },
        { from: second, to: first, rel: 'ww', key: x, values: [2, 1] },
      ],
    }]);
    expect(verdictOf(h)).toMatchObject({ valid: true, anomalyTypes: ['G0-realtime'] });
  });
});

describe('anti-dependency cycles', () => {
  it('G-single: a poll saw one write of a txn on one key but missed its write on another (allowed)', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    const writer = h.op(1, 'ok', 'txn', [send(x, 2), send(y, 3)], [sent(x, 1, 2), sent(y, 0, 3)]);
    const reader = h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]], [y]: [[0, 3]] })]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2]] })]);
    const found = anomaliesOf(h, 'G-single');
    expect(found).toEqual([{
      type: 'G-single', allowed: true, ops: [writer, reader], cycle: [
        { from: writer, to: reader, rel: 'wr', key: y, values: [3] },
        { from: reader, to: writer, rel: 'rw', key: x, values: [1, 2] },
      ],
    }]);
    expect(verdictOf(h).valid).toBe(true);
    expect(verdictOf(h).anomalies['G-single']![0]!.explanation).toBe(
      `G-single cycle of 2 ops (allowed: Kafka does not promise this isolation): op ${reader} read value 3 of key 1 written by op ${writer} (wr); `
      + `op ${reader} read key 0 only up to value 1, missing value 2 that op ${writer} wrote next (rw)`);
  });

  it('G2: write skew, each txn missed the other\'s write (allowed)', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 1), send(y, 1)], [sent(x, 0, 1), sent(y, 0, 1)]);
    h.invoke(1, 'txn', [poll(), send(y, 2)]);
    h.invoke(2, 'txn', [poll(), send(x, 2)]);
    const t1 = h.complete(1, 'ok', [polled({ [x]: [[0, 1]] }), sent(y, 1, 2)]);
    const t2 = h.complete(2, 'ok', [polled({ [y]: [[0, 1]] }), sent(x, 1, 2)]);
    h.op(3, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1], [1, 2]], [y]: [[0, 1], [1, 2]] })]);
    expect(anomaliesOf(h, 'G2').map((a) => a.cycle!.map((s) => [s.from, s.rel, s.to]))).toEqual([[[t1, 'rw', t2], [t2, 'rw', t1]]]);
    expect(verdictOf(h)).toMatchObject({ valid: true, anomalyTypes: ['G2'] });
  });
});

// One copier: input key 0 → output key 1, group g, transactional id c0.
const program = (extra: Partial<ProgramInfo> = {}): ProgramInfo => ({
  copiers: [{ transactionalId: 'c0', group: 'g', inputKeys: [0], outputKeys: [1] }], ...extra,
});

/** Producer p0 writes input values 1, 2, 3 at offsets 0..2; `copy` runs copier txns; p9 reads everything. */
function ctp(copy: (h: HistoryBuilder) => void, outputs: [number, number][]): HistoryBuilder {
  const h = new HistoryBuilder();
  h.op(0, 'ok', 'send', [send(0, 1), send(0, 2), send(0, 3)], [sent(0, 0, 1), sent(0, 1, 2), sent(0, 2, 3)]);
  copy(h);
  h.op(9, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2], [2, 3]], 1: outputs })]);
  return h;
}
const copier = (h: HistoryBuilder, p: number, type: 'ok' | 'fail' | 'info', read: [number, number][], wrote: [number, number][], txnId?: string) =>
  h.op(p, type, 'txn', [poll()], [polled({ 0: read }), ...wrote.map(([o, v]) => sent(1, o, v))], txnId ? { txnId } : {});

describe('consume-transform-produce exactly-once', () => {
  it('a clean copy is valid with no anomalies', () => {
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1], [1, 2]], [[0, 1], [1, 2]]);
      copier(h, 1, 'fail', [[2, 3]], [[2, 3]]);
      copier(h, 1, 'ok', [[2, 3]], [[4, 3]]);
    }, [[0, 1], [1, 2], [4, 3]]);
    expect(verdictOf(h, { program: program({ groupOffsets: { g: { 0: 3 } } }) })).toMatchObject({ valid: true, anomalyTypes: [] });
  });

  it('ctp-duplicate-input: two committed txns consumed one record', () => {
    let first = 0, second = 0;
    const h = ctp((h) => {
      first = copier(h, 1, 'ok', [[0, 1], [1, 2]], [[0, 1], [1, 2]]);
      second = copier(h, 2, 'ok', [[1, 2], [2, 3]], [[2, 2], [3, 3]]);
    }, [[0, 1], [1, 2], [2, 2], [3, 3]]);
    expect(anomaliesOf(h, 'ctp-duplicate-input', { program: program() })).toEqual([
      { type: 'ctp-duplicate-input', allowed: false, key: 0, values: [2], offsets: [1], ops: [first, second] },
    ]);
  });

  it('ctp-lost-input: a record below the frontier consumed by no committed txn', () => {
    let later = 0;
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1]], [[0, 1]]);
      copier(h, 1, 'fail', [[1, 2]], [[1, 2]]);
      later = copier(h, 2, 'ok', [[2, 3]], [[3, 3]]);
    }, [[0, 1], [3, 3]]);
    expect(anomaliesOf(h, 'ctp-lost-input', { program: program() })).toEqual([
      { type: 'ctp-lost-input', allowed: false, key: 0, values: [2], offsets: [1], count: 1, ops: [later] },
    ]);
  });

  it('ctp-missing-output: a committed txn consumed a record without sending its copy', () => {
    let op = 0;
    const h = ctp((h) => { op = copier(h, 1, 'ok', [[0, 1], [1, 2], [2, 3]], [[0, 1], [1, 3]]); }, [[0, 1], [1, 3]]);
    expect(anomaliesOf(h, 'ctp-missing-output', { program: program() })).toEqual([
      { type: 'ctp-missing-output', allowed: false, key: 0, values: [2], offsets: [1], ops: [op] },
    ]);
  });

  it('ctp-orphan-output: a copy whose input no committed txn consumed', () => {
    const h = ctp((h) => { copier(h, 1, 'ok', [[0, 1], [1, 2], [2, 3]], [[0, 1], [1, 2], [2, 3]]); }, [[0, 1], [1, 2], [2, 3], [3, 9]]);
    expect(anomaliesOf(h, 'ctp-orphan-output', { program: program() }).map((a) => [a.key, a.values, a.offsets])).toEqual([[1, [9], [3]]]);
  });

  it('ctp-offset-mismatch: the group committed an offset its transactions do not explain', () => {
    const h = ctp((h) => { copier(h, 1, 'ok', [[0, 1], [1, 2]], [[0, 1], [1, 2]]); }, [[0, 1], [1, 2]]);
    const ok = program({ groupOffsets: { g: { 0: 2 } } });
    expect(anomaliesOf(h, 'ctp-offset-mismatch', { program: ok })).toEqual([]);
    for (const committed of [1, 3]) {
      expect(anomaliesOf(h, 'ctp-offset-mismatch', { program: program({ groupOffsets: { g: { 0: committed } } }) }).map((a) => a.offsets))
        .toEqual([[committed]]);
    }
  });

  it('attributes copier ops by txnId, by processes, or by the keys they touched', () => {
    const build = (txnId?: string) => ctp((h) => {
      copier(h, 1, 'ok', [[0, 1], [1, 2]], [[0, 1], [1, 2]], txnId);
      copier(h, 2, 'ok', [[1, 2], [2, 3]], [[2, 2], [3, 3]], txnId);
    }, [[0, 1], [1, 2], [2, 2], [3, 3]]);
    expect(anomaliesOf(build('c0'), 'ctp-duplicate-input', { program: program() })).toHaveLength(1);
    expect(anomaliesOf(build('other'), 'ctp-duplicate-input', { program: program() })).toHaveLength(0);
    const byProcess: ProgramInfo = { copiers: [{ ...program().copiers![0]!, processes: [1] }] };
    expect(anomaliesOf(build(), 'ctp-duplicate-input', { program: byProcess })).toHaveLength(0);
  });
});

describe('zombie fencing', () => {
  it('zombie-write: the old instance commits a txn it began after the new one had committed', () => {
    let newer = 0, zombie = 0;
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1]], [[0, 1]], 'c0');
      newer = copier(h, 2, 'ok', [[1, 2]], [[1, 2]], 'c0');
      zombie = copier(h, 1, 'ok', [[2, 3]], [[2, 3]], 'c0');
    }, [[0, 1], [1, 2], [2, 3]]);
    // Both witnesses fire: the time rule, and the zombie's copy landing after the newer instance's.
    expect(anomaliesOf(h, 'zombie-write', { program: program() })).toEqual([
      { type: 'zombie-write', allowed: false, ops: [newer, zombie] },
      { type: 'zombie-write', allowed: false, key: 1, values: [2, 3], offsets: [1, 2], ops: [newer, zombie] },
    ]);
  });

  it('zombie-write: a record of the old instance lies after one of the new instance', () => {
    const h = new HistoryBuilder();
    h.op(1, 'ok', 'assign', [x]); // the old instance initialises in its first op, before the new one starts
    h.invoke(1, 'txn', [send(x, 1)], { txnId: 't' });
    const newer = h.op(2, 'ok', 'txn', [send(x, 2)], [sent(x, 0, 2)], { txnId: 't' });
    const older = h.complete(1, 'ok', [sent(x, 1, 1)], { txnId: 't' });
    h.op(3, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 2], [1, 1]] })]);
    expect(anomaliesOf(h, 'zombie-write')).toEqual([
      { type: 'zombie-write', allowed: false, key: x, values: [2, 1], offsets: [0, 1], ops: [newer, older] },
    ]);
  });

  it('no zombie-write when the instances may have initialised in either order', () => {
    // Process 1 initialises inside its first op, which is still open when process 2 starts: its epoch
    // may be the newer one, and then process 2's transaction simply came first.
    const h = new HistoryBuilder();
    h.invoke(1, 'txn', [send(x, 1)], { txnId: 't' });
    h.op(2, 'ok', 'txn', [send(x, 2)], [sent(x, 0, 2)], { txnId: 't' });
    h.complete(1, 'ok', [sent(x, 1, 1)], { txnId: 't' });
    h.op(3, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 2], [1, 1]] })]);
    expect(anomaliesOf(h, 'zombie-write')).toEqual([]);
  });

  it('an empty commit of the old instance (no sends, nothing polled) is no zombie write', () => {
    // kafkajs commits a transaction that touched no partition locally: the coordinator never sees it,
    // so nothing can be fenced and nothing becomes visible (found by shrinking seed 1 on the model).
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1]], [[0, 1]], 'c0');
      copier(h, 2, 'ok', [[1, 2], [2, 3]], [[1, 2], [2, 3]], 'c0');
      h.op(1, 'ok', 'txn', [poll()], [polled({})], { txnId: 'c0' });
    }, [[0, 1], [1, 2], [2, 3]]);
    expect(anomaliesOf(h, 'zombie-write', { program: program() })).toEqual([]);
  });

  it('an old instance whose txns all precede the new one is fine', () => {
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1]], [[0, 1]], 'c0');
      copier(h, 2, 'ok', [[1, 2], [2, 3]], [[1, 2], [2, 3]], 'c0');
    }, [[0, 1], [1, 2], [2, 3]]);
    expect(verdictOf(h, { program: program() })).toMatchObject({ valid: true, anomalyTypes: [] });
  });
});
