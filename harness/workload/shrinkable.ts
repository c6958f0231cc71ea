// An integer that is always generated at its maximum but shrinks towards its minimum. The program's
// sizes (ops per worker, faults per family) use it: a run always gets the full workload its options
// ask for, while fast-check can still shrink a failing program to fewer ops and fewer faults (issue 6,
// `kafka-eos shrink`). It draws no randomness, so wrapping a size in it changes no generated program.
import fc from 'fast-check';

class FullSize extends fc.Arbitrary<number> {
  private readonly range: fc.Arbitrary<number>;

  constructor(private readonly max: number, min: number) {
    super();
    this.range = fc.integer({ min, max });
  }

  generate(): fc.Value<number> {
    return new fc.Value(this.max, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is number {
    return this.range.canShrinkWithoutContext(value);
  }

  shrink(value: number, context: unknown): fc.Stream<fc.Value<number>> {
    return this.range.shrink(value, context);
  }
}

/** `max` when generated; shrinks towards `min`. */
export const fullSize = (max: number, min = 0): fc.Arbitrary<number> => new FullSize(max, Math.min(min, max));

/** The first `n` elements, n generated as all of them and shrinking towards `min`. */
export const shrinkablePrefix = <T>(items: fc.Arbitrary<T[]>, count: number, min = 0): fc.Arbitrary<T[]> =>
  fc.tuple(fullSize(count, min), items).map(([n, xs]) => xs.slice(0, n));
