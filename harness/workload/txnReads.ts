// What a transaction learns from each poll, the same for both runners: where it first read each key
// (the rollback point), the next offset to commit with the transaction, and, for a copier, the sends
// the poll calls for (each polled value to its mapped output key, in the order polled).
import type { Key, Offset, Value } from '../../jepsen-style/history.ts';
import type { SendMop } from './program.ts';

export class TxnReads {
  readonly firstRead = new Map<Key, Offset>();
  readonly nextOffset = new Map<Key, Offset>();

  constructor(private readonly copyTo: ReadonlyMap<Key, Key> | null) {}

  /** Records a poll's records; returns the copier sends they call for (none for other workers). */
  absorb(polled: Readonly<Record<string | number, ReadonlyArray<readonly [Offset, Value]>>>): SendMop[] {
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
