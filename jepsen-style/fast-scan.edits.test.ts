// The fast scanner never changes an outcome (fast-scan.ts): a line JSON.parse refuses is never taken,
// and a line cut anywhere or with any byte replaced is read as JSON.parse reads it, or refused as the
// JSON path refuses it. A property over every position of the contract's shapes (fast-scan.shapes.test.ts).
import { describe, expect, it } from 'vitest';
import { PAIRS, readOutcome as outcome, scans, spaced } from './testing/scan-shapes.ts';

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('the fast path never changes an outcome', () => {
  it('a line cut anywhere, or with any byte replaced, is read as JSON.parse reads it, or refused as the JSON path refuses it', () => {
    const samples = PAIRS.map(([, lines]) => lines[lines.length - 1]!).concat(spaced(PAIRS[6]![1][1]!, ' '));
    const bytes = ['x', '"', ',', ']', '}', '-', '0', '.', ' ', '\\', '\t', '\u0001'];
    for (const line of samples) {
      for (let k = 0; k < line.length; k++) {
        const cut = line.slice(0, k);
        if (!isJson(cut)) expect(scans(cut), cut).toBe(false);
        for (const c of bytes) {
          const edited = line.slice(0, k) + c + line.slice(k + 1);
          if (!isJson(edited)) {
            expect(scans(edited), edited).toBe(false);
            continue;
          }
          // Valid JSON: both paths agree (an event, or the same refusal by the rules).
          const { scanned: _, ...fast } = outcome([edited], true);
          expect(fast, edited).toEqual(outcome([edited], false));
        }
      }
    }
  });
});
