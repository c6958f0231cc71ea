// Who wrote a value (docs/anomalies.md, "Who wrote a value"). Values are unique per key except for a
// copier's copies: two attempts of one copier send the same copy. A value an op recorded at an offset
// belongs to that op at that offset; a send without an offset (an info op's unsent or unacknowledged
// copy) is only a possible write, the writer of the value only when nobody recorded it. Seed 59 of
// campaign c4160 in miniature stays valid; a real zombie write and a real duplicate stay invalid.
import { describe, expect, it } from 'vitest';
import type { ProgramInfo } from '../program-info.ts';
import { anomaliesOf, verdictOf } from '../testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from '../testing/history-builder.ts';
import type { Mop } from '../history.ts';

const IN = 0, OUT = 1;
const program: ProgramInfo = { copiers: [{ transactionalId: 'c0', group: 'g', inputKeys: [IN], outputKeys: [OUT] }] };

/**
 * Producer 0 writes input values 1..3 at offsets 0..2; process 1 (the old copier instance) copies
 * value 1 to output offset 0 and so initialises before `copy` runs; reader 9 then polls both keys.
 */
function history(copy: (h: HistoryBuilder) => void, outputs: [number, number][]): HistoryBuilder {
  const h = new HistoryBuilder();
  h.op(0, 'ok', 'send', [1, 2, 3].map((v) => send(IN, v)), [1, 2, 3].map((v, i) => sent(IN, i, v)));
  txn(h, 1, 'ok', [[0, 1]], [sent(OUT, 0, 1)]);
  copy(h);
  h.op(9, 'ok', 'poll', [poll()], [polled({ [IN]: [[0, 1], [1, 2], [2, 3]], [OUT]: outputs })]);
  return h;
}
const txn = (h: HistoryBuilder, p: number, type: 'ok' | 'info', read: [number, number][], sends: Mop[]) =>
  h.op(p, type, 'txn', [poll()], [polled({ [IN]: read }), ...sends], { txnId: 'c0' });
const invalid = (h: HistoryBuilder) => verdictOf(h, { program }).invalidTypes;

describe('a recorded offset outweighs a send without one', () => {
  it('seed 59 in miniature: an aborted info attempt that only intended to send a copy is not its writer', () => {
    const h = history((h) => {
      // The old instance's attempt: copy of 2 acknowledged at offset 1, copy of 3 never sent (no offset);
      // the coordinator aborted it. The new instance's attempt copied both again and committed.
      txn(h, 1, 'info', [[1, 2], [2, 3]], [sent(OUT, 1, 2), send(OUT, 3)]);
      txn(h, 2, 'info', [[1, 2], [2, 3]], [sent(OUT, 3, 2), sent(OUT, 4, 3)]);
    }, [[0, 1], [3, 2], [4, 3]]);
    expect(verdictOf(h, { program })).toMatchObject({ valid: true, invalidTypes: [] });
  });

  it('a read that two attempts as likely wrote (neither recorded its offset) promotes neither', () => {
    // Copy 3 at offset 4 is the old attempt's or the new one's: taking the first would make the old
    // one committed (a zombie-write, and its inputs consumed twice) on a guess.
    const h = history((h) => {
      txn(h, 1, 'info', [[1, 2], [2, 3]], [send(OUT, 2), send(OUT, 3)]);
      txn(h, 2, 'info', [[1, 2], [2, 3]], [sent(OUT, 3, 2), send(OUT, 3)]);
    }, [[0, 1], [3, 2], [4, 3]]);
    expect(verdictOf(h, { program })).toMatchObject({ valid: true, invalidTypes: [] });
  });
});

describe('real anomalies stay found', () => {
  // Recorded at offset 2, or sent without an offset and read at 2, which nobody recorded: a send without
  // an offset is still a possible write, the writer of a value no other op recorded.
  it.each([['recorded its copy', sent(OUT, 2, 3)], ['sent its copy without an offset', send(OUT, 3)]])(
    'zombie-write: the old instance %s, read after the new instance\'s', (_, copy) => {
      let newer = 0, older = 0;
      const h = history((h) => {
        newer = txn(h, 2, 'ok', [[1, 2]], [sent(OUT, 1, 2)]);
        older = txn(h, 1, 'info', [[2, 3]], [copy]);
      }, [[0, 1], [1, 2], [2, 3]]);
      expect(anomaliesOf(h, 'zombie-write', { program })).toEqual([
        { type: 'zombie-write', allowed: false, ops: [newer, older] },
        { type: 'zombie-write', allowed: false, key: OUT, values: [2, 3], offsets: [1, 2], ops: [newer, older] },
      ]);
    });

  it('duplicate and ctp-duplicate-input: an info attempt and its ok retry both committed the same copy', () => {
    // The info attempt's copy is read at the offset it recorded, so it committed too (before, the ok
    // retry was taken as the writer of both copies and only `duplicate` was found).
    let first = 0, retry = 0;
    const h = history((h) => {
      first = txn(h, 1, 'info', [[1, 2]], [sent(OUT, 1, 2)]);
      retry = txn(h, 1, 'ok', [[1, 2]], [sent(OUT, 2, 2)]);
    }, [[0, 1], [1, 2], [2, 2]]);
    expect(invalid(h)).toEqual(['ctp-duplicate-input', 'duplicate']);
    expect(anomaliesOf(h, 'ctp-duplicate-input', { program })).toEqual([
      { type: 'ctp-duplicate-input', allowed: false, key: IN, values: [2], offsets: [1], ops: [first, retry] },
    ]);
  });

  it('an aborted attempt whose copy nobody read stays aborted: its retry\'s copy is no duplicate', () => {
    const h = history((h) => {
      txn(h, 1, 'info', [[1, 2]], [sent(OUT, 1, 2)]);
      txn(h, 1, 'ok', [[1, 2]], [sent(OUT, 3, 2)]);
    }, [[0, 1], [3, 2]]);
    expect(invalid(h)).toEqual([]);
  });
});
