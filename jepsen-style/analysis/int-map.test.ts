// IntMap must behave as a Map whatever the keys: small, huge, negative, fractional, overwritten.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
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

// Where a key lives is visible in `keys()` (small ones ascending, then the others in insertion order),
// and it is the IntMap's memory rule: non-negative integers go to the array, which grows only while at
// least a quarter of it would be used (a key below 4 × entries + 65,536); other keys go to the Map.
describe('which keys the array holds (keys(): the array\'s ascending, then the others in insertion order)', () => {
  const filled = (keys: Iterable<number>) => { const m = new IntMap(); for (const k of keys) m.set(k, k); return m; };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('non-negative integers (0 too) in the array, negative, fractional and huge keys in the Map', () => {
    const m = filled([-1, 1e9, 0.5, 7, 0, 100]);
    expect(m.keys()).toEqual([0, 7, 100, -1, 1e9, 0.5]);
    expect([-1, 1e9, 0.5, 7, 0, 100].map((k) => m.get(k))).toEqual([-1, 1e9, 0.5, 7, 0, 100]);
  });

  it('a sparse key far past the array goes to the Map, however small the map', () => {
    expect(filled([-1, 100_000, 3]).keys()).toEqual([3, -1, 100_000]);
  });

  it('the array grows to a key below 4 × entries + 65,536: a dense map takes its next keys in', () => {
    const m = filled(range(0, 20_000));
    m.set(-1, -1); m.set(100_000, 1); m.set(200_000, 2);
    expect(m.keys().slice(19_999)).toEqual([19_999, 100_000, -1, 200_000]);
  });

  it('overwrites, deletes and deletes of absent keys do not count as entries', () => {
    const over = new IntMap();
    for (let i = 0; i < 20_000; i++) over.set(5, i);
    over.set(-1, 0); over.set(100_000, 0);
    expect(over.keys()).toEqual([5, -1, 100_000]);
    expect(over.get(5)).toBe(19_999);

    const gone = filled(range(0, 20_000));
    for (let k = 0; k < 20_000; k++) gone.delete(k);
    gone.set(-1, 0); gone.set(100_000, 0);
    expect(gone.keys()).toEqual([-1, 100_000]);

    const farGone = filled(range(-20_000, 0));
    for (let k = -20_000; k < 0; k++) farGone.delete(k);
    farGone.set(-0.5, 0); farGone.set(100_000, 0);
    expect(farGone.keys()).toEqual([-0.5, 100_000]);

    const absent = filled(range(0, 20_000));
    // The array now has 32,768 slots; deleting its empty ones changes nothing.
    for (let k = 20_000; k < 32_768; k++) absent.delete(k);
    absent.set(-1, 0); absent.set(100_000, 0);
    expect(absent.keys().slice(19_999)).toEqual([19_999, 100_000, -1]);
  });

  it('a key below the grown array stays in the array after the entries that grew it are deleted', () => {
    const m = filled(range(0, 20_000));
    m.set(100_000, 1); // grows the array to 131,072 slots
    for (let k = 0; k < 20_000; k++) m.delete(k);
    m.set(-1, 0); m.set(120_000, 2);
    // At the array's end, a key must be below 4 × entries + 65,536 again to make it grow.
    m.set(131_072, 3);
    expect(m.keys()).toEqual([100_000, 120_000, -1, 131_072]);
  });

  it('a key in the Map stays one entry when the array later grows past it', () => {
    const m = new IntMap();
    m.set(100_000, 1); // the Map: the map is nearly empty
    for (let k = 0; k < 50_000; k++) m.set(k, k);
    m.set(150_000, 3); // 4 × 50,002 + 65,536 is above it: the array grows to 262,144 slots
    m.set(100_000, 2);
    expect(m.get(100_000)).toBe(2);
    expect(m.keys().filter((k) => k === 100_000)).toEqual([100_000]);
    m.delete(100_000);
    expect(m.get(100_000)).toBeUndefined();
    expect(m.keys()).toHaveLength(50_001);
  });

  it('a Map key equal to the array\'s length is found and deleted', () => {
    const m = new IntMap();
    m.set(131_072, 1); // the Map
    for (let k = 0; k < 1200; k++) m.set(k, k);
    m.set(70_000, 2); // below 4 × 1202 + 65,536: the array grows to 131,072 slots
    expect(m.get(131_072)).toBe(1);
    m.delete(131_072);
    expect(m.get(131_072)).toBeUndefined();
    expect(m.keys()).toHaveLength(1201);
  });

  it('deletes negative and fractional keys from the Map', () => {
    const m = filled([-1, 0.5, 3]);
    m.delete(-1); m.delete(0.5);
    expect([m.get(-1), m.get(0.5), m.get(3)]).toEqual([undefined, undefined, 3]);
    expect(m.keys()).toEqual([3]);
  });
});
