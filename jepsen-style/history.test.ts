// A history interleaves client events with the nemesis's (docs/contract/history-format.md): a client
// event's process is an integer, the nemesis's is "nemesis".
import { describe, expect, it } from 'vitest';
import { isClientEvent, type HistoryEvent } from './history.ts';

describe('isClientEvent', () => {
  it('tells client events (any integer process, 0 included) from the nemesis\'s', () => {
    const events: HistoryEvent[] = [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'poll', value: [['poll']] },
      { index: 1, time: 1, process: 'nemesis', type: 'info', f: 'kill', value: null },
      { index: 2, time: 2, process: 7, type: 'ok', f: 'poll', value: [['poll', {}]] },
    ];
    expect(events.map(isClientEvent)).toEqual([true, false, true]);
  });
});
