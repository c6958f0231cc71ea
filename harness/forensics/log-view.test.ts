// A record's fate is decided by its own producer's next marker, whoever else writes markers in between.
import { describe, expect, it } from 'vitest';
import { LogView } from './log-view.ts';
import { log } from './testing.ts';

describe('LogView', () => {
  const view = new LogView(log(
    [0, { pid: 1, values: [10] }], [1, { pid: 2, values: [20] }], [2, { pid: 2, marker: 'COMMIT' }],
    [3, { pid: 1, epoch: 1, marker: 'ABORT' }], [4, { pid: 3, values: [30] }], [5, { pid: 4, txn: false, values: [40] }],
  ));

  it('takes the fate from the same producer\'s next marker', () => {
    expect(view.lookup(0)).toMatchObject({ value: '10', fate: 'aborted', marker: { offset: 3, type: 'ABORT', producerEpoch: 1 } });
    expect(view.lookup(1)).toMatchObject({ value: '20', fate: 'committed', marker: { offset: 2 } });
    expect(view.lookup(4)).toMatchObject({ fate: 'open' });
    expect(view.lookup(5)).toMatchObject({ fate: 'committed', value: '40' });
    expect(view.lookup(2)).toBeUndefined(); // a marker is no record
    expect(view.lookup(9)).toBeUndefined();
  });

  it('lists the transactions left open, as the LSO sees them', () => {
    expect(view.openTransactions()).toEqual([{ producerId: 3, producerEpoch: 0, firstOffset: 4, lastOffset: 4 }]);
  });
});
