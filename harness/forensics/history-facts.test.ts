// The facts forensics take from a history: only ok ops acknowledge (as the final reads track it), every
// completed send's offset is known with its op, and the highest offset read comes from ok polls.
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../jepsen-style/history.ts';
import { historyFacts, offsetOfValue, shortKeys } from './history-facts.ts';

let index = 0;
const ev = (process: number, type: HistoryEvent['type'], f: 'send' | 'poll' | 'txn', value: unknown): HistoryEvent =>
  ({ index: index++, time: index * 1e9, process, type, f, value } as HistoryEvent);

describe('historyFacts', () => {
  const events = [
    ev(0, 'ok', 'send', [['send', 0, [0, 100]], ['send', 0, [1, 101]]]),
    ev(1, 'info', 'txn', [['send', 0, [2, 102]]]), // acknowledged inside an op whose outcome is unknown
    ev(2, 'ok', 'poll', [['poll', { 0: [[0, 100]] }]]),
    ev(3, 'fail', 'poll', [['poll', { 0: [[1, 101]] }]]),
    ev(4, 'ok', 'txn', [['send', 1, [5, 7]], ['poll', { 1: [[5, 7]] }]]),
  ];

  it('acknowledged = ok ops only; read = ok polls only; every known offset has its writer', () => {
    const facts = historyFacts(events);
    expect(facts.get(0)).toMatchObject({ lastAcked: 1, lastRead: 0 });
    expect(facts.get(0)!.writes.get(2)).toMatchObject({ value: 102, type: 'info', process: 1 });
    expect(offsetOfValue(facts.get(0), 101)).toBe(1);
    expect(shortKeys(facts).map((k) => k.key)).toEqual([0]);
  });
});
