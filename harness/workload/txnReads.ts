// What a transaction learns from each poll, the same for both runners: where it first read each key
// (the rollback point), the next offset to commit with the transaction, and, for a copier, the sends
// the poll calls for (each polled value to its mapped output key, in the order polled).
import type { Key, Offset, Value } from '../../jepsen-style/history.ts';
import type { SendMop } from './program.ts';

export class TxnReads {
  readonly firstRead = new Map<Key, Offset>();
  readonly nextOffset = new Map<Key, Offset>();

  constructor(private readonly copyTo: ReadonlyMap<Key, Key> | null) {}

  /**
   * The part of a poll the transaction uses, recorded (`absorb`): all of it, or for a copier the first
   * COPY_BATCH_MAX records (copyBatch), its consumer sought back by `seek` to the first one left out.
   * Returns it with the copier sends it calls for.
   */
  take(polled: Record<string, Array<[Offset, Value]>>, seek: (key: Key, offset: Offset) => void): { used: Record<string, Array<[Offset, Value]>>; sends: SendMop[] } {
    if (this.copyTo === null) return { used: polled, sends: this.absorb(polled) };
    const { batch, resumeAt } = copyBatch(polled);
    for (const [k, o] of resumeAt) seek(k, o);
    return { used: batch, sends: this.absorb(batch) };
  }

  /** Records a poll's records; returns the copier sends they call for (none for other workers). */
  private absorb(polled: Readonly<Record<string | number, ReadonlyArray<readonly [Offset, Value]>>>): SendMop[] {
    const sends: SendMop[] = [];
    for (const [key, pairs] of Object.entries(polled)) {
      const k = Number(key);
      for (const [o, v] of pairs) {
        if (!this.firstRead.has(k)) this.firstRead.set(k, o);
        this.nextOffset.set(k, o + 1);
        const target = this.copyTo?.get(k);
        if (target !== undefined) sends.push(['send', target, v]);
      }
    }
    return sends;
  }
}

/**
 * Records one copy transaction takes from a poll, as max.poll.records bounds a consume-transform-produce
 * loop. Unbounded, a copier that fell behind copied its whole backlog in one transaction: hundreds of
 * sends, past the op timeout, then again from the start (seen: 54 sends/s for 7 completed copies in
 * 40 s, a fifth of all the brokers' writes).
 */
export const COPY_BATCH_MAX = 32;

type PolledRecords = Readonly<Record<string | number, ReadonlyArray<readonly [Offset, Value]>>>;

/**
 * The first `max` records of a poll, keys in ascending order and each key's records in offset order
 * (the same in both runners, so model runs stay deterministic), and for every key cut short the offset
 * its consumer must go back to: the first record left out.
 */
export function copyBatch(polled: PolledRecords, max = COPY_BATCH_MAX): { batch: Record<string, Array<[Offset, Value]>>; resumeAt: Map<Key, Offset> } {
  const batch: Record<string, Array<[Offset, Value]>> = {};
  const resumeAt = new Map<Key, Offset>();
  let room = max;
  for (const key of Object.keys(polled).sort((a, b) => Number(a) - Number(b))) {
    const pairs = polled[key]!;
    if (pairs.length === 0) continue;
    const taken = pairs.slice(0, room).map(([o, v]): [Offset, Value] => [o, v]);
    room -= taken.length;
    if (taken.length > 0) batch[key] = taken;
    if (taken.length < pairs.length) resumeAt.set(Number(key), pairs[taken.length]![0]);
  }
  return { batch, resumeAt };
}
