// Explanations name the values and ops involved, but a long list is cut after its first eight with the
// count of all (anomaly.ts `list`), so that one sentence stays readable whatever the history's size.
import { expect, it } from 'vitest';
import { list } from './anomaly.ts';

it('lists up to eight items whole, and the first eight of more with how many there are', () => {
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  expect(list([])).toBe('');
  expect(list(upTo(8))).toBe('1, 2, 3, 4, 5, 6, 7, 8');
  expect(list(upTo(9))).toBe('1, 2, 3, 4, 5, 6, 7, 8, ... (9 in all)');
  expect(list(upTo(3), 2)).toBe('1, 2, ... (3 in all)');
  expect(list(upTo(2), 2)).toBe('1, 2');
});
