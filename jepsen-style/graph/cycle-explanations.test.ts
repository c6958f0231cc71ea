// A found cycle is reported as steps a person can follow (Elle's explanations): each step names two
// ops and the relation between them (ww, wr, rw, realtime) with the key and values, and the sentence
// says why the cycle is allowed or makes the history invalid.
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';

const x = 0, y = 1;

describe('cycle explanations', () => {
  it('G1c-realtime with a ww edge is allowed, and says each step: realtime, wr, ww', () => {
    const h = new HistoryBuilder();
    h.invoke(2, 'txn', [poll(), send(x, 2)]);
    const a = h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 1, 1)]);
    const b = h.op(1, 'ok', 'send', [send(y, 5)], [sent(y, 0, 5)]);
    const c = h.complete(2, 'ok', [polled({ [y]: [[0, 5]] }), sent(x, 0, 2)]);
    h.op(3, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 2], [1, 1]] })]);
    const [cycle, ...more] = verdictOf(h).anomalies['G1c-realtime'] ?? [];
    expect(more).toEqual([]);
    expect(cycle).toMatchObject({ allowed: true, ops: [a, b, c], cycle: [{ rel: 'realtime' }, { rel: 'wr' }, { rel: 'ww' }] });
    expect(cycle!.explanation).toBe(`G1c-realtime cycle of 3 ops (allowed: it needs a ww edge, and Kafka does not isolate writes): `
      + `op ${a} completed before op ${b} was invoked (realtime); op ${c} read value 5 of key 1 written by op ${b} (wr); `
      + `op ${c} wrote value 2 of key 0 just before op ${a} wrote 1 (ww)`);
  });

  it('G1c-realtime without ww is a read-committed violation', () => {
    const h = new HistoryBuilder();
    const reader = h.op(0, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]] })]);
    const writer = h.op(1, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    expect(verdictOf(h).anomalies['G1c-realtime']![0]!.explanation).toBe(
      `G1c-realtime cycle of 2 ops (invalid: no ww edge is needed, so this is a read-committed violation): `
      + `op ${reader} completed before op ${writer} was invoked (realtime); op ${reader} read value 1 of key 0 written by op ${writer} (wr)`);
  });

  it('G-single names the value a poll stopped at and the one it missed (rw)', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 1)], [sent(x, 0, 1)]);
    const writer = h.op(1, 'ok', 'txn', [send(x, 2), send(y, 3)], [sent(x, 1, 2), sent(y, 0, 3)]);
    const reader = h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[0, 1]], [y]: [[0, 3]] })]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 2]] })]);
    expect(verdictOf(h).anomalies['G-single']![0]!.explanation).toBe(
      `G-single cycle of 2 ops (allowed: Kafka does not promise this isolation): op ${reader} read value 3 of key 1 written by op ${writer} (wr); `
      + `op ${reader} read key 0 only up to value 1, missing value 2 that op ${writer} wrote next (rw)`);
  });
});
