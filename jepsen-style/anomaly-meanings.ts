// One sentence per anomaly name: what it means and whether it is allowed, for people reading a report
// or a verdict (the same words as docs/anomalies.md). `allowed` is 'never', 'always', or 'sometimes'
// (then `when` says when); the verdict's own `allowed` on each anomaly is what decides validity.
import type { AnomalyType } from './anomaly.ts';

export interface AnomalyMeaning {
  meaning: string;
  allowed: 'never' | 'always' | 'sometimes';
  /** Why it is allowed (always), or when (sometimes). */
  when?: string;
}

const NO_WRITE_ISOLATION = 'Kafka does not isolate the writes of concurrent transactions, so their records interleave';

export const ANOMALY_MEANINGS: Record<AnomalyType | 'hanging-transaction', AnomalyMeaning> = {
  'inconsistent-offsets': { meaning: 'One offset of a partition held two different records.', allowed: 'never' },
  duplicate: { meaning: 'One record (a value unique to its key) is at two offsets of the partition: it was written twice.', allowed: 'never' },
  G1a: { meaning: 'Aborted read: an ok poll returned a record whose write definitely failed (its transaction aborted).', allowed: 'never' },
  'precommitted-read': { meaning: 'A transaction polled a record it had sent itself, before it committed: a read_committed consumer saw uncommitted data.', allowed: 'never' },
  'lost-write': { meaning: 'A write that must have committed was never read, although a reader went past its offset.', allowed: 'never' },
  unseen: { meaning: 'Acknowledged writes that no ok poll had returned by the end of the history (lost, or never read).', allowed: 'never' },
  'poll-skip': {
    meaning: 'A consumer\'s next poll of a partition started past the record after the one its previous poll ended on: it skipped records.',
    allowed: 'sometimes', when: 'allowed when the consumer had subscribed (a group rebalance may move the partition)',
  },
  'nonmonotonic-poll': {
    meaning: 'A consumer\'s next poll of a partition started at or before where its previous poll ended: it went backwards.',
    allowed: 'sometimes', when: 'allowed when the consumer had subscribed (a group rebalance may move the partition)',
  },
  'nonmonotonic-send': { meaning: 'A producer\'s send landed at or before its own previous send to that partition.', allowed: 'never' },
  'int-poll-skip': { meaning: 'Within one op, successive reads of a partition skipped a record known to be there.', allowed: 'never' },
  'int-nonmonotonic-poll': { meaning: 'Within one op, a read of a partition went backwards or repeated a record.', allowed: 'never' },
  'int-send-skip': { meaning: 'Within one op, other producers\' records landed between its sends to one partition.', allowed: 'always', when: NO_WRITE_ISOLATION },
  'int-nonmonotonic-send': { meaning: 'Within one op, two sends to one partition landed in the opposite order.', allowed: 'never' },
  G0: { meaning: 'A cycle of write-write dependencies between transactions.', allowed: 'always', when: NO_WRITE_ISOLATION },
  'G0-realtime': { meaning: 'A cycle of write-write and real-time dependencies between transactions.', allowed: 'always', when: NO_WRITE_ISOLATION },
  G1c: {
    meaning: 'Circular information flow: a cycle of write-write and write-read dependencies with at least one read.',
    allowed: 'sometimes', when: 'allowed when the cycle needs a write-write edge (writes are not isolated); a cycle of reads alone breaks read_committed',
  },
  'G1c-realtime': {
    meaning: 'Circular information flow through real-time order: a cycle of dependencies and real-time edges with at least one read.',
    allowed: 'sometimes', when: 'allowed when the cycle needs a write-write edge; a cycle of reads and real time alone breaks read_committed',
  },
  'empty-transaction-graph': { meaning: 'The history has no ok send, poll or transaction, so nothing could be checked.', allowed: 'never' },
  'garbage-read': { meaning: 'A poll returned a record that no op of the history ever sent to that partition.', allowed: 'never' },
  'G-single': { meaning: 'A cycle with exactly one anti-dependency (a read that missed the next version).', allowed: 'always', when: 'a Kafka poll promises no snapshot: missing a later record is consumer lag' },
  G2: { meaning: 'A cycle with two or more anti-dependencies.', allowed: 'always', when: 'a Kafka poll promises no snapshot: missing later records is consumer lag' },
  'ctp-duplicate-input': { meaning: 'Consume-transform-produce: one input record was consumed by two committed transactions of the group (processed twice).', allowed: 'never' },
  'ctp-lost-input': { meaning: 'Consume-transform-produce: an input record below the group\'s position was consumed by no committed transaction (processed zero times).', allowed: 'never' },
  'ctp-missing-output': { meaning: 'Consume-transform-produce: a committed transaction consumed a record but did not send its copy.', allowed: 'never' },
  'ctp-orphan-output': { meaning: 'Consume-transform-produce: a copy is on the output whose input no committed transaction consumed.', allowed: 'never' },
  'ctp-offset-mismatch': { meaning: 'Consume-transform-produce: the group\'s committed offset is not just past what its committed transactions consumed.', allowed: 'never' },
  'zombie-write': { meaning: 'A producer instance wrote visibly after a newer instance with the same transactional id had initialised: it was not fenced.', allowed: 'never' },
  'hanging-transaction': { meaning: 'A transaction was left open on a partition, holding back every read_committed consumer behind it.', allowed: 'never' },
};

/** The meaning of a name, including names a newer checker may write that this one does not know. */
export function meaningOf(type: string): AnomalyMeaning | undefined {
  return (ANOMALY_MEANINGS as Record<string, AnomalyMeaning>)[type];
}

/** "Allowed: ..." or "Not allowed: ..." in one sentence. */
export function allowanceSentence(m: AnomalyMeaning): string {
  if (m.allowed === 'never') return 'Never allowed: it breaks exactly-once.';
  if (m.allowed === 'always') return `Allowed: ${m.when}.`;
  return `Sometimes allowed: ${m.when}.`;
}
