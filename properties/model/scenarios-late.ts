// Scenarios of late requests and late markers (see scenarios.ts): the retry of a KIP-360 epoch bump landing in
// every state of the transactional id, the old instance's bump landing after a newer instance (same producer id,
// or a new one after expiry), a TxnOffsetCommit landing after its transaction ended, and a marker of a
// transaction the group has moved past (the copy of a coordinator that failed over).
import type { Cmd } from './program.ts';
import { MANUAL, type Scenario, begin, delayed, end, hold, init, late, lost, sendOffsets, tick, txn, txnSend } from './scenario-cmds.ts';

const responsesLost = (slot: number, count: number): Cmd => ({ op: 'fault', fault: { type: 'responseLost', slot, count } });

/** A Java TV1 producer whose batch's answers are all lost (abortable, epoch bump due) aborts; the bump's first
 *  InitProducerId stays on the wire and its retry bumps the epoch. */
const bumpLeftOnWire: Cmd[] = [begin(2), txnSend(2, 0), responsesLost(2, 6), txnSend(2, 0), delayed(2, 1, 1), end(2, 'abort')];
const java = (name: string, cmds: Cmd[], expiry?: number): Scenario =>
  ({ name, txnVersion: 1, client: 'java', delivery: MANUAL, cmds: [...bumpLeftOnWire, ...cmds], ...(expiry ? { expiry } : {}) });

export const LATE_SCENARIOS: Scenario[] = [
  // The late bump names the epoch the retry already bumped from: the current epoch again (Empty, Complete*).
  java('late KIP-360 retry in Empty', [late]),
  java('late KIP-360 retry after a commit', [txn(2, [1], 'commit'), late]),
  java('late KIP-360 retry after an abort', [txn(2, [1], 'abort'), late]),
  // A newer instance bumped again: the late bump is fenced (Empty, Complete*).
  java('late KIP-360 bump after a newer instance', [init(2, true), late]),
  java('late KIP-360 bump after a newer instance committed', [init(2, true), txn(2, [1], 'commit'), late]),
  java('late KIP-360 bump after a newer instance aborted', [init(2, true), txn(2, [1], 'abort'), late]),
  // The id expired and a newer instance got a new producer id: the late bump names another producer (Ongoing,
  // PrepareCommit, PrepareAbort with the markers held, Dead again).
  java('late KIP-360 bump, new producer id, Ongoing', [tick(100), init(2, true), txn(2, [1], 'open'), late], 40),
  java('late KIP-360 bump, new producer id, PrepareCommit', [tick(100), init(2, true), hold(2, true), txn(2, [1], 'commit'), late, hold(2, false)], 40),
  java('late KIP-360 bump, new producer id, PrepareAbort', [tick(100), init(2, true), hold(2, true), txn(2, [1], 'abort'), late, hold(2, false)], 40),
  java('late KIP-360 bump, new producer id, Dead', [tick(100), init(2, true), tick(100), late], 40),
  {
    // The bump itself runs out of retries: the Java producer is fatal.
    name: 'Java KIP-360 bump out of retries', txnVersion: 1, client: 'java',
    cmds: [begin(2), txnSend(2, 0), responsesLost(2, 6), txnSend(2, 0), lost(2, 7, 1), end(2, 'abort')],
  },
  // TV2: a Java producer whose batch never got through aborts an empty transaction after a committed or an aborted one.
  ...(['commit', 'abort'] as const).map((before): Scenario => ({
    name: `TV2 empty abort after ${before}`, txnVersion: 2, client: 'java',
    cmds: [txn(2, [0], before), begin(2), lost(2, 7), txnSend(2, 0), end(2, 'abort')],
  })),
  {
    // TV2: the old instance's TxnOffsetCommit reaches the group after a newer instance's: stale epoch.
    name: 'TV2 zombie TxnOffsetCommit', txnVersion: 2, client: 'java',
    cmds: [begin(2), init(2, true), begin(2), sendOffsets(2, 0), sendOffsets(2, 1, true)],
  },
  {
    // A TxnOffsetCommit left on the wire lands after its transaction committed, while another transaction holds
    // offsets of the group (not in any transaction: refused), or after the producer's epoch moved on (stale).
    name: 'late TxnOffsetCommit outside its transaction', txnVersion: 1, client: 'kafkajs', delivery: MANUAL,
    cmds: [txn(3, [1], 'open', true), begin(2), txnSend(2, 0), delayed(2, 1, 1), sendOffsets(2, 0), end(2, 'commit'), late],
  },
  {
    name: 'late TxnOffsetCommit of an older epoch', txnVersion: 1, client: 'kafkajs', delivery: MANUAL,
    cmds: [begin(2), txnSend(2, 0), delayed(2, 1, 1), sendOffsets(2, 0), end(2, 'commit'), init(2, false), begin(2), txnSend(2, 1), sendOffsets(2, 1), late],
  },
  // The coordinator fails over with the markers on the wire; the new coordinator's copies land first and the
  // transaction completes; the old copies land after the producer's next epoch reached the group, while its
  // next transaction is open, or after it committed too.
  ...(['open', 'commit'] as const).map((next): Scenario => ({
    name: `stale marker to the group (next transaction ${next})`, txnVersion: 1, client: 'kafkajs', delivery: MANUAL,
    cmds: [hold(2, true), txn(2, [0], 'commit', true), { op: 'fault', fault: { type: 'coordinatorFailover', slot: 2 } },
      { op: 'deliverAll', newestFirst: true, keep: 2 }, init(2, false), txn(2, [1], next, true),
      ...(next === 'commit' ? [{ op: 'deliverAll', newestFirst: true, keep: 2 } as const] : []), { op: 'deliverAll' }, hold(2, false)],
  })),
];
