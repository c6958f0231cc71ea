// Fixes of known kafkajs 2.2.4 bugs (docs/bug-finding.md).
//
// Opt-in, because it decides verdicts: `abort-filter`, kafkajs' read_committed filter, which lets records
// of aborted transactions through. The stock client stays the default: the harness checks the clients'
// share in exactly-once too, so a fix must be asked for, and shows in verdict.json and the repro line.
//
// kafkajs' Batch captures `filterAbortedMessages` when its module loads, so the fix cannot be swapped in
// later: `installClientFixes()` puts a switchable stand-in into the CommonJS cache first, and must run
// before anything loads kafkajs (the CLI entry point calls it on its first line).
import { createRequire } from 'node:module';

export const CLIENT_FIXES = ['abort-filter'] as const;
export type ClientFix = (typeof CLIENT_FIXES)[number];

interface FetchedRecord {
  offset: string;
  key: Buffer | null;
  batchContext: { producerId: string; inTransaction: boolean };
}
interface AbortedTxn { producerId: string; firstOffset: string }
type AbortFilter = (input: { messages: FetchedRecord[]; abortedTransactions?: AbortedTxn[] }) => FetchedRecord[];

const require = createRequire(import.meta.url);
const FILTER_PATH = require.resolve('kafkajs/src/consumer/filterAbortedMessages.js');
const BATCH_PATH = require.resolve('kafkajs/src/consumer/batch.js');
const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

let switchableInstalled = false;
let active: AbortFilter | null = null;

const isAbortMarker = (r: FetchedRecord) => r.key !== null && Buffer.from(r.key).equals(ABORT_MARKER_KEY);

/**
 * The read_committed filter as Java's consumer does it (CompletedFetch.abortedProducerIds): aborted
 * transactions ordered by first offset, and *every* one whose first offset a record has reached is
 * registered (`while`, where kafkajs registers at most one per record).
 */
export const fixedAbortFilter: AbortFilter = ({ messages, abortedTransactions }) => {
  if (!abortedTransactions || abortedTransactions.length === 0) return messages;
  const pending = [...abortedTransactions].sort((a, b) => (BigInt(a.firstOffset) < BigInt(b.firstOffset) ? -1 : 1));
  const abortedProducers = new Set<string>();
  return messages.filter((record) => {
    const offset = BigInt(record.offset);
    while (pending.length > 0 && offset >= BigInt(pending[0]!.firstOffset)) abortedProducers.add(pending.shift()!.producerId);
    const { producerId, inTransaction } = record.batchContext;
    if (isAbortMarker(record)) {
      abortedProducers.delete(producerId);
      return true;
    }
    return !(inTransaction && abortedProducers.has(producerId));
  });
};

/** Puts the switchable filter into the CommonJS cache, unless kafkajs' Batch is loaded already. */
export function installClientFixes(): void {
  if (switchableInstalled || require.cache[BATCH_PATH] !== undefined) return;
  const stock = require(FILTER_PATH) as AbortFilter;
  require.cache[FILTER_PATH]!.exports = ((input) => (active ?? stock)(input)) satisfies AbortFilter;
  switchableInstalled = true;
}

/**
 * Makes exactly the named fixes active for this process (a campaign or a test may run several
 * programs in one process, with and without); throws if a fix is asked for but kafkajs was loaded
 * before the stand-in.
 */
export function enableClientFixes(fixes: readonly ClientFix[]): void {
  if (fixes.length > 0 && !switchableInstalled) throw new Error('client fixes: kafkajs was loaded before installClientFixes() ran; call it first in the entry point');
  active = fixes.includes('abort-filter') ? fixedAbortFilter : null;
}
