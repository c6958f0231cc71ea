// A found cycle is reported as steps a person can follow (Elle's explanations): each step names two
// ops and the relation between them (ww, wr, rw, realtime) with the key and values, and the sentence
// says why the cycle is allowed or makes the history invalid. (The invalid G1c-realtime and G-single
// sentences are pinned in beyond-jepsen.test.ts, beside their histories.)
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

});
