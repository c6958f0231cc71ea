// Properties of the checker over generated histories: what a correct (simulated) Kafka produces is
// valid, the verdict is deterministic, and each injected anomaly is caught under its own name.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { checkHistory } from '../jepsen-style/checker.ts';
import type { HistoryEvent } from '../jepsen-style/history.ts';
import { parseHistoryText } from '../jepsen-style/reader.ts';
import { generateHistory, type GenerateOptions } from '../jepsen-style/testing/generate.ts';
import { INJECTIONS } from '../jepsen-style/testing/inject.ts';

const generated = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  ops: fc.integer({ min: 20, max: 300 }),
  keys: fc.integer({ min: 1, max: 6 }),
  concurrency: fc.integer({ min: 1, max: 6 }),
  txnP: fc.double({ min: 0, max: 1, noNaN: true }),
});

const history = (g: GenerateOptions): HistoryEvent[] => [...generateHistory(g)];

describe('checker properties', () => {
  test.prop([generated], { numRuns: 40 })('histories of a correct Kafka are valid and follow the contract', (g) => {
    const events = history(g);
    // Round trip through the file format: the generator writes only what the reader accepts.
    const parsed = parseHistoryText(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(parsed.warnings).toEqual([]);
    const verdict = checkHistory(parsed.events);
    expect(verdict.invalidTypes).toEqual([]);
    expect(verdict.valid).toBe(true);
    // Only the anomalies Kafka is allowed to show may appear.
    for (const t of verdict.anomalyTypes) expect(['G-single', 'G2', 'G0', 'G0-realtime', 'G1c', 'G1c-realtime', 'int-send-skip']).toContain(t);
  });

  test.prop([generated], { numRuns: 10 })('the verdict is a function of the history', (g) => {
    const events = history(g);
    expect(checkHistory(events)).toEqual(checkHistory(structuredClone(events)));
  });

  for (const [name, inject] of Object.entries(INJECTIONS)) {
    test.prop([generated, fc.nat()], { numRuns: 25 })(`an injected ${name} is found and invalidates the history`, (g, n) => {
      const broken = inject(history(g), (k) => n % k);
      fc.pre(broken !== undefined);
      const verdict = checkHistory(broken!);
      expect(verdict.valid).toBe(false);
      expect(verdict.invalidTypes).toContain(name);
    });
  }
});
