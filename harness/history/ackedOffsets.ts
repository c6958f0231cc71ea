// The highest offset of each key acknowledged by an `ok` op (sends with a known offset, and polls),
// as Jepsen's track-key-offsets: the final polls read until every key has reached it.
import type { ClientEvent, Key, Offset } from '../../jepsen-style/history.ts';

export class AckedOffsets {
  private readonly max = new Map<Key, Offset>();

  /** Feeds the value of an `ok` completion of send/poll/txn (other values are ignored). */
  track(value: ClientEvent['value']): void {
    for (const mop of value ?? []) {
      if (!Array.isArray(mop)) continue;
      if (mop[0] === 'send' && Array.isArray(mop[2]) && mop[2][0] !== null) this.ack(mop[1] as Key, mop[2][0] as Offset);
      if (mop[0] === 'poll' && mop[1] !== undefined) {
        for (const [k, pairs] of Object.entries(mop[1] as Record<string, ReadonlyArray<readonly [Offset, number]>>)) {
          for (const [o] of pairs) this.ack(Number(k), o);
        }
      }
    }
  }

  ack(key: Key, offset: Offset): void {
    if (offset > (this.max.get(key) ?? -1)) this.max.set(key, offset);
  }

  get(key: Key): Offset | undefined {
    return this.max.get(key);
  }

  entries(): Array<[Key, Offset]> {
    return [...this.max].sort((a, b) => a[0] - b[0]);
  }

  /** Whether `seen` (key → highest offset a reader polled) covers every acknowledged offset. */
  reachedBy(seen: ReadonlyMap<Key, Offset>): boolean {
    for (const [k, o] of this.max) if ((seen.get(k) ?? -1) < o) return false;
    return true;
  }
}
