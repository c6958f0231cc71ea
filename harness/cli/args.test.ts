// Comma-separated choice flags (--nemesis, --client-fix): items trimmed and deduplicated, an unknown one
// a usage error that names it and the choices.
import { describe, expect, it } from 'vitest';
import { listFlag } from './args.ts';
import { EXIT } from './exit-codes.ts';

describe('listFlag', () => {
  it('splits, trims and deduplicates; absent or empty is the empty list', () => {
    expect(listFlag('run', 'nemesis', ' kill, pause,kill ', ['kill', 'pause', 'partition'])).toEqual(['kill', 'pause']);
    expect(listFlag('run', 'nemesis', undefined, ['kill'])).toEqual([]);
    expect(listFlag('run', 'nemesis', '', ['kill'])).toEqual([]);
  });

  it('an unknown item is a usage error naming it and the choices', () => {
    expect(() => listFlag('run', '--client-fix', 'abort-filter,typo', ['abort-filter'])).toThrow(
      expect.objectContaining({ exitCode: EXIT.usage, message: "run: unknown --client-fix 'typo': choose from abort-filter (comma-separated)" }));
  });
});
