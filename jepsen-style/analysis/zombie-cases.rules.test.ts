// Zombie fencing (analysis/zombie-cases.ts, docs/anomalies.md): once a newer instance of a
// transactional.id has initialised, the coordinator has bumped the epoch, and nothing the older
// instance commits may become visible. Two witnesses, each pinned here by a hand-made history: the
// time witness (an older transaction invoked after the newer instance had committed one, yet
// committed) and the log witness (a committed record of the older instance after one of the newer).
import { describe, expect, it } from 'vitest';
import { anomaliesOf, verdictOf } from '../testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';

const x = 0, y = 1;
const zombies = (h: HistoryBuilder) => verdictOf(h).anomalies['zombie-write'] ?? [];

describe('the log witness: the older instance\'s last record against the newer one\'s first', () => {
  it('compares the highest record of the older with the lowest of the newer, per key, whatever their send order', () => {
    // Older: 13 at offset 3, 11 at 1. Newer: 25 at 5, 22 at 2, 26 at 6. 13 (3) lies after 22 (2).
    const h = new HistoryBuilder();
    h.op(1, 'ok', 'assign', [x]); // the older instance initialises in its first op, before the newer starts
    h.invoke(1, 'txn', [send(x, 13), send(x, 11)], { txnId: 't' });
    const newer = h.op(2, 'ok', 'txn', [send(x, 25), send(x, 22), send(x, 26)], [sent(x, 5, 25), sent(x, 2, 22), sent(x, 6, 26)], { txnId: 't' });
    const older = h.complete(1, 'ok', [sent(x, 3, 13), sent(x, 1, 11)], { txnId: 't' });
    h.op(3, 'ok', 'poll', [poll()], [polled({ [x]: [[1, 11], [2, 22], [3, 13], [5, 25], [6, 26]] })]);
    expect(anomaliesOf(h, 'zombie-write')).toEqual([
      { type: 'zombie-write', allowed: false, key: x, values: [22, 13], offsets: [2, 3], ops: [newer, older] },
    ]);
    expect(zombies(h)[0]!.explanation).toBe(`value 13 of key 0 from op ${older} (process 1, transactional id t) is committed at offset 3, `
      + `after value 22 at offset 2 from op ${newer} of the newer instance, process 2: the old producer wrote after it should have been fenced`);
  });
});

describe('the time witness: an older transaction invoked after the newer instance committed one', () => {
  /** Process 1 (older) initialises first; process 2 (newer) commits; then process 1's `late` transaction. */
  function history(late: (h: HistoryBuilder) => number, sameTime = false) {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(x, 9)], [sent(x, 0, 9)]);
    h.op(1, 'ok', 'assign', [x]);
    const newer = h.op(2, 'ok', 'txn', [send(y, 1)], [sent(y, 0, 1)], { txnId: 't' });
    const zombie = late(h);
    if (sameTime) h.events[zombie - 1]!.time = h.events[newer]!.time;
    return { h, newer, zombie };
  }

  it('counts a transaction that only polled: its offsets are committed through the coordinator', () => {
    const { h, newer, zombie } = history((h) => h.op(1, 'ok', 'txn', [poll()], [polled({ [x]: [[0, 9]] })], { txnId: 't' }));
    expect(anomaliesOf(h, 'zombie-write')).toEqual([{ type: 'zombie-write', allowed: false, ops: [newer, zombie] }]);
    expect(zombies(h)[0]!.explanation).toBe(`op ${zombie} of process 1 (transactional id t) began after op ${newer} of the newer instance, `
      + 'process 2, had committed, yet its transaction committed: the old producer was not fenced');
  });

  it('needs the invoke strictly after the newer commit: at the same time the order is unknown', () => {
    const late = (h: HistoryBuilder) => h.op(1, 'ok', 'txn', [send(y, 2)], [sent(y, 1, 2)], { txnId: 't' });
    // Its record at offset 1 lies after the newer's at 0 either way (the log witness, with a key).
    const timeWitnesses = (h: HistoryBuilder) => anomaliesOf(h, 'zombie-write').filter((a) => a.key === undefined);
    expect(timeWitnesses(history(late).h)).toHaveLength(1);
    expect(timeWitnesses(history(late, true).h)).toEqual([]);
  });

  it('starts from the newer instance\'s first ok transaction: a failed one proves no initialisation', () => {
    // The newer instance's first transaction failed (its InitProducerId may have failed too); the older
    // one commits after that failure but before the newer commits anything.
    const h = new HistoryBuilder();
    h.op(1, 'ok', 'assign', [x]);
    h.op(2, 'fail', 'txn', [send(y, 1)], [send(y, 1)], { txnId: 't' });
    h.op(1, 'ok', 'txn', [send(y, 2)], [sent(y, 0, 2)], { txnId: 't' });
    h.op(2, 'ok', 'txn', [send(y, 3)], [sent(y, 1, 3)], { txnId: 't' });
    h.op(3, 'ok', 'poll', [poll()], [polled({ [y]: [[0, 2], [1, 3]] })]);
    expect(anomaliesOf(h, 'zombie-write')).toEqual([]);
  });
});
