// Consume-transform-produce exactly-once (docs/anomalies.md): over the committed transactions of one
// group, each input record below the group's frontier is consumed exactly once, each consumed
// record's copy is sent in the same transaction, every copy on the output key comes from a consumed
// input, and the group's committed offset is the one just past what its transactions consumed. All
// five anomalies invalidate a history. Which ops are a copier's: those with its transactional.id, those
// of its processes, or else transactions that polled only its input keys and sent only to its output keys.
import { describe, expect, it } from 'vitest';
import type { ProgramInfo } from '../program-info.ts';
import { anomaliesOf, verdictOf } from '../testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';

const IN = 0, OUT = 1;
// One copier: input key 0 -> output key 1, group g, transactional id c0.
const program = (extra: Partial<ProgramInfo> = {}, copier: object = {}): ProgramInfo => ({
  copiers: [{ transactionalId: 'c0', group: 'g', inputKeys: [IN], outputKeys: [OUT], ...copier }], ...extra,
});

/** Producer p0 writes input values 1..n at offsets 0..n-1; `copy` runs copier txns; p9 then reads both keys. */
function ctp(copy: (h: HistoryBuilder) => void, outputs: [number, number][], n = 3): HistoryBuilder {
  const h = new HistoryBuilder();
  const values = Array.from({ length: n }, (_, i) => i + 1);
  h.op(0, 'ok', 'send', values.map((v) => send(IN, v)), values.map((v, i) => sent(IN, i, v)));
  copy(h);
  h.op(9, 'ok', 'poll', [poll()], [polled({ [IN]: values.map((v, i) => [i, v]), [OUT]: outputs })]);
  return h;
}
/** A copier transaction of process p: read these input records, send these output records. */
const copier = (h: HistoryBuilder, p: number, type: 'ok' | 'fail', read: [number, number][], wrote: [number, number][], extra: object = {}) =>
  h.op(p, type, 'txn', [poll()], [polled({ [IN]: read }), ...wrote.map(([o, v]) => sent(OUT, o, v))], extra);
const sentences = (h: HistoryBuilder, type: string, p: ProgramInfo) => (verdictOf(h, { program: p }).anomalies[type] ?? []).map((a) => a.explanation);

describe('consumption: each input record once, up to the frontier', () => {
  it('a record one transaction polled twice (a re-read after a seek) is consumed once', () => {
    const h = ctp((h) => { copier(h, 1, 'ok', [[0, 1], [1, 2], [1, 2], [2, 3]], [[0, 1], [1, 2], [2, 3]]); }, [[0, 1], [1, 2], [2, 3]]);
    expect(anomaliesOf(h, 'ctp-duplicate-input', { program: program() })).toEqual([]);
  });

  it('a record three committed transactions consumed is one ctp-duplicate-input naming all three', () => {
    const ops: number[] = [];
    const h = ctp((h) => {
      for (const p of [1, 2, 3]) ops.push(copier(h, p, 'ok', [[0, 1]], [[p - 1, 1]]));
    }, [[0, 1], [1, 1], [2, 1]], 1);
    expect(anomaliesOf(h, 'ctp-duplicate-input', { program: program() })).toEqual([
      { type: 'ctp-duplicate-input', allowed: false, key: IN, values: [1], offsets: [0], ops },
    ]);
    expect(sentences(h, 'ctp-duplicate-input', program())[0]).toBe(
      `value 1 of input key 0 (offset 0) was consumed by more than one committed transaction of group g: ops ${ops[0]} and ${ops[1]} (processed twice)`);
  });

  it('a record two committed transactions consumed is one ctp-duplicate-input naming both, each once', () => {
    const ops: number[] = [];
    const h = ctp((h) => {
      for (const p of [1, 2]) ops.push(copier(h, p, 'ok', [[0, 1]], [[p - 1, 1]]));
    }, [[0, 1], [1, 1]], 1);
    expect(anomaliesOf(h, 'ctp-duplicate-input', { program: program() })).toEqual([
      { type: 'ctp-duplicate-input', allowed: false, key: IN, values: [1], offsets: [0], ops },
    ]);
  });

  it('records after the last consumed one are not lost: the copier has not got there yet', () => {
    const h = ctp((h) => { copier(h, 1, 'ok', [[0, 1]], [[0, 1]]); }, [[0, 1]]);
    expect(anomaliesOf(h, 'ctp-lost-input', { program: program() })).toEqual([]);
  });

  it('each run of records skipped below the frontier is one ctp-lost-input, with its sentence', () => {
    let last = 0;
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1]], [[0, 1]]);
      copier(h, 1, 'ok', [[2, 3]], [[1, 3]]);
      last = copier(h, 1, 'ok', [[5, 6]], [[2, 6]]);
    }, [[0, 1], [1, 3], [2, 6]], 6);
    expect(anomaliesOf(h, 'ctp-lost-input', { program: program() })).toEqual([
      { type: 'ctp-lost-input', allowed: false, key: IN, values: [2], offsets: [1], count: 1, ops: [last] },
      { type: 'ctp-lost-input', allowed: false, key: IN, values: [4, 5], offsets: [3, 4], count: 2, ops: [last] },
    ]);
    expect(sentences(h, 'ctp-lost-input', program())[1]).toBe(
      `2 record(s) of input key 0 (values 4, 5 at offsets 3, 4) were never consumed by a committed transaction of group g, though op ${last} consumed a later one (offset 5)`);
  });

  it('lists at most 32 lost records, and counts them all', () => {
    const h = ctp((h) => { copier(h, 1, 'ok', [[40, 41]], [[0, 41]]); }, [[0, 41]], 41);
    const [lost] = anomaliesOf(h, 'ctp-lost-input', { program: program() });
    expect(lost).toMatchObject({ count: 40, values: Array.from({ length: 32 }, (_, i) => i + 1), offsets: Array.from({ length: 32 }, (_, i) => i) });
  });
});

describe('outputs: every consumed record copied in the same transaction, every copy from a consumed record', () => {
  it('a missing copy is not excused by the next op sending that value to the output key', () => {
    let op = 0;
    const h = ctp((h) => {
      op = copier(h, 1, 'ok', [[0, 1], [1, 2]], [[0, 1]]);
      h.op(5, 'ok', 'send', [send(OUT, 2)], [sent(OUT, 1, 2)]);
    }, [[0, 1], [1, 2]]);
    expect(anomaliesOf(h, 'ctp-missing-output', { program: program() })).toEqual([
      { type: 'ctp-missing-output', allowed: false, key: IN, values: [2], offsets: [1], ops: [op] },
    ]);
    expect(sentences(h, 'ctp-missing-output', program())).toEqual([
      `op ${op} (copier c0) consumed value 2 of input key 0 at offset 1 and committed, but did not send its copy to output key 1`]);
  });

  it('a copier transaction that also polled another key owes no copy of it', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(IN, 1), send(5, 7)], [sent(IN, 0, 1), sent(5, 0, 7)]);
    h.op(1, 'ok', 'txn', [poll()], [polled({ [IN]: [[0, 1]], 5: [[0, 7]] }), sent(OUT, 0, 1)], { txnId: 'c0' });
    h.op(9, 'ok', 'poll', [poll()], [polled({ [OUT]: [[0, 1]], 5: [[0, 7]] })]);
    expect(verdictOf(h, { program: program() })).toMatchObject({ valid: true });
  });

  it('a copy of an input record that only a failed transaction consumed is an orphan, naming its writer', () => {
    let failed = 0;
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1], [1, 2]], [[0, 1], [1, 2]]);
      failed = copier(h, 1, 'fail', [[2, 3]], [[2, 3]]);
    }, [[0, 1], [1, 2], [2, 3], [3, 9]]);
    const orphans = anomaliesOf(h, 'ctp-orphan-output', { program: program() });
    expect(orphans).toEqual([
      { type: 'ctp-orphan-output', allowed: false, key: OUT, values: [3], offsets: [2], ops: [failed] },
      { type: 'ctp-orphan-output', allowed: false, key: OUT, values: [9], offsets: [3], ops: [] },
    ]);
    expect(sentences(h, 'ctp-orphan-output', program())[0]).toBe(
      'value 3 is on output key 1 (offset 2), but no committed transaction of group g consumed value 3 of input key 0');
    expect(verdictOf(h, { program: program() }).invalidTypes).toContain('ctp-orphan-output');
  });

  it('an output key nobody wrote yet, or an input key nobody wrote, is no error', () => {
    const quiet = new HistoryBuilder();
    quiet.op(9, 'ok', 'poll', [poll()], [polled({ 5: [] })]);
    expect(verdictOf(quiet, { program: program() }).anomalyTypes).not.toContain('ctp-orphan-output');
    const noInput = new HistoryBuilder();
    noInput.op(5, 'ok', 'send', [send(OUT, 4)], [sent(OUT, 0, 4)]);
    noInput.op(9, 'ok', 'poll', [poll()], [polled({ [OUT]: [[0, 4]] })]);
    expect(anomaliesOf(noInput, 'ctp-orphan-output', { program: program() }).map((a) => a.values)).toEqual([[4]]);
  });
});

describe('the group\'s committed offset: just past the last consumed record, at most the next one', () => {
  let op = 0;
  const consumedFirstOnly = () => ctp((h) => { op = copier(h, 1, 'ok', [[0, 1]], [[0, 1]]); }, [[0, 1]]);

  it('after consuming only offset 0, 1 is right, 0 is not', () => {
    expect(anomaliesOf(consumedFirstOnly(), 'ctp-offset-mismatch', { program: program({ groupOffsets: { g: { 0: 1 } } }) })).toEqual([]);
    const p = program({ groupOffsets: { g: { 0: 0 } } });
    expect(anomaliesOf(consumedFirstOnly(), 'ctp-offset-mismatch', { program: p })).toEqual([
      { type: 'ctp-offset-mismatch', allowed: false, key: IN, offsets: [0], ops: [op] },
    ]);
    expect(sentences(consumedFirstOnly(), 'ctp-offset-mismatch', p)).toEqual([
      'group g committed offset 0 for input key 0, but its committed transactions consumed up to offset 0 and the next record is at 1, so the committed offset should be in (0, 1]']);
    expect(verdictOf(consumedFirstOnly(), { program: p }).valid).toBe(false);
  });

  it('no committed offset for a consumed key is a mismatch; after the last record the bound is open', () => {
    let last = 0;
    const h = ctp((h) => { last = copier(h, 1, 'ok', [[0, 1], [1, 2], [2, 3]], [[0, 1], [1, 2], [2, 3]]); }, [[0, 1], [1, 2], [2, 3]]);
    const p = program({ groupOffsets: { g: { 5: 1 } } });
    expect(anomaliesOf(h, 'ctp-offset-mismatch', { program: p })).toEqual([
      { type: 'ctp-offset-mismatch', allowed: false, key: IN, offsets: [], ops: [last] },
    ]);
    expect(sentences(h, 'ctp-offset-mismatch', p)).toEqual([
      'group g committed offset none for input key 0, but its committed transactions consumed up to offset 2, so the committed offset should be in (2, ∞]']);
  });
});

describe('which transactions are the copier\'s', () => {
  it('by its processes, when the runner names them', () => {
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1], [1, 2]], [[0, 1], [1, 2]]);
      copier(h, 2, 'ok', [[1, 2], [2, 3]], [[2, 2], [3, 3]]);
    }, [[0, 1], [1, 2], [2, 2], [3, 3]]);
    expect(anomaliesOf(h, 'ctp-duplicate-input', { program: program({}, { processes: [1, 2] }) })).toHaveLength(1);
  });

  it('by shape, a transaction that polled only input keys and sent only to output keys; not a plain poll', () => {
    const build = (second: (h: HistoryBuilder) => void) => ctp((h) => {
      copier(h, 1, 'ok', [[0, 1], [1, 2]], [[0, 1], [1, 2]]);
      second(h);
    }, [[0, 1], [1, 2]]);
    // Each of these read records 1..2 again without copying them: only a copier's would be a duplicate input.
    const notCopiers: ((h: HistoryBuilder) => void)[] = [
      (h) => h.op(2, 'ok', 'poll', [poll()], [polled({ [IN]: [[0, 1], [1, 2]] })]),
      (h) => h.op(2, 'ok', 'txn', [poll()], [polled({ [IN]: [[0, 1], [1, 2]], 5: [[0, 7]] }), sent(OUT, 2, 1)]),
      (h) => h.op(2, 'ok', 'txn', [poll()], [polled({ [IN]: [[0, 1], [1, 2]] }), sent(OUT, 2, 1), sent(6, 0, 1)]),
      (h) => h.op(2, 'ok', 'txn', [poll()], [polled({ 5: [[0, 1]] }), polled({ [IN]: [[0, 1], [1, 2]] }), sent(OUT, 2, 1)]),
    ];
    notCopiers.forEach((second, i) => expect([i, anomaliesOf(build(second), 'ctp-duplicate-input', { program: program() })]).toEqual([i, []]));
    const copierToo = (h: HistoryBuilder) => h.op(2, 'ok', 'txn', [poll()], [polled({ [IN]: [[0, 1]] }), sent(OUT, 2, 1)]);
    expect(anomaliesOf(build(copierToo), 'ctp-duplicate-input', { program: program() })).toHaveLength(1);
  });

  it('not a transaction that read nothing: a producer writing to the output key is no instance of the copier', () => {
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1]], [[0, 1]]);
      h.op(5, 'ok', 'txn', [send(OUT, 7)], [sent(OUT, 1, 7)]);
      copier(h, 1, 'ok', [[1, 2], [2, 3]], [[2, 2], [3, 3]]);
    }, [[0, 1], [1, 7], [2, 2], [3, 3]]);
    expect(verdictOf(h, { program: program() }).anomalyTypes).toEqual(['ctp-orphan-output']);
  });

  it('its producer instances are its processes, whose transactional id is the copier\'s: fencing applies (zombie-write)', () => {
    // No txnId on the events: the ops are the copier's by the processes the runner named, so process 1
    // and process 2 are two instances of c0, and process 1 wrote after process 2 had committed.
    let newer = 0, zombie = 0;
    const h = ctp((h) => {
      copier(h, 1, 'ok', [[0, 1]], [[0, 1]]);
      newer = copier(h, 2, 'ok', [[1, 2]], [[1, 2]]);
      zombie = copier(h, 1, 'ok', [[2, 3]], [[2, 3]]);
    }, [[0, 1], [1, 2], [2, 3]]);
    expect(anomaliesOf(h, 'zombie-write', { program: program({}, { processes: [1, 2] }) }).map((a) => a.ops)).toEqual([[newer, zombie], [newer, zombie]]);
  });
});
