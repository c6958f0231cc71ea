// IntMap must behave as a Map whatever the keys: small, huge, negative, fractional, overwritten.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { IntMap } from './int-map.ts';

const key = fc.oneof(fc.nat(200), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1e6, max: 1e9 }), fc.double({ noNaN: true, noDefaultInfinity: true }));

test.prop([fc.array(fc.tuple(fc.boolean(), key, fc.integer()), { maxLength: 300 })], { numRuns: 100 })(
  'deletes like a Map, and lists the same keys', (steps) => {
    const m = new IntMap(), ref = new Map<number, number>();
    for (const [del, k, x] of steps) {
      if (del) { m.delete(k); ref.delete(k); } else { m.set(k, x); ref.set(k, x); }
    }
    for (const [, k] of steps) expect(m.get(k)).toBe(ref.get(k));
    expect(m.keys().sort((a, b) => a - b)).toEqual([...ref.keys()].sort((a, b) => a - b));
  });

test.prop([fc.array(fc.tuple(key, fc.integer()), { maxLength: 300 }), fc.array(key, { maxLength: 50 })], { numRuns: 100 })(
  'answers like a Map', (writes, probes) => {
    const m = new IntMap(), ref = new Map<number, number>();
    for (const [k, x] of writes) { m.set(k, x); ref.set(k, x); }
    for (const k of [...writes.map(([k]) => k), ...probes]) expect(m.get(k)).toBe(ref.get(k));
  });
