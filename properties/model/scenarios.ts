// Program shapes the random programs reach too rarely, written out: each drives the composed system into a
// situation Kafka can be in (a late produce past the duplicate window, a zombie of an expired transactional id,
// a log append that fails because the cluster lost its quorum, clients out of retries). Slots 0-1 are
// idempotent producers, 2-3 transactional (program.ts); keys 0-2. Late requests and markers: scenarios-late.ts.
import { ALWAYS_LATE, MANUAL, type Scenario, begin, delayed, down, end, fault, hold, init, late, lost, sendOffsets, sends, tick, txn, txnSend, up } from './scenario-cmds.ts';
import { LATE_SCENARIOS } from './scenarios-late.ts';

export type { Scenario } from './scenario-cmds.ts';

const BASIC: Scenario[] = [
  {
    // A late produce of sequence 0 lands after 6 newer batches: out of the 5-batch window, out of order.
    name: 'late produce past the duplicate window', txnVersion: 1, client: 'kafkajs', delivery: MANUAL,
    cmds: [delayed(0, 1), { op: 'send', slot: 0, key: 0 }, ...sends(0, 0, 6), late],
  },
  {
    // The same while another transaction holds the partition unstable; and a late transactional produce of
    // an aborted transaction, refused by the coordinator's verification (KIP-890 part 1).
    name: 'late produces into an unstable partition', txnVersion: 1, client: 'kafkajs', delivery: MANUAL,
    cmds: [txn(3, [0], 'open'), delayed(0, 1), { op: 'send', slot: 0, key: 0 }, ...sends(0, 0, 6),
      begin(2), delayed(2, 1, 1), lost(2, 5), txnSend(2, 0), end(2, 'abort'), late],
  },
  {
    // The transactional id expires; a new instance starts over with a new producer id; the old one's requests
    // name a producer id the coordinator no longer knows, in every state of the new instance's transaction.
    name: 'zombie of an expired transactional id', txnVersion: 1, client: 'kafkajs', expiry: 40,
    cmds: [txn(2, [0], 'commit'), begin(2), tick(100), init(2, true), txnSend(2, 1, true),
      txn(2, [1], 'open'), txnSend(2, 2, true), end(2, 'commit'), txnSend(2, 2, true), txn(2, [1], 'abort'), txnSend(2, 0, true),
      tick(100), init(2, true)],
  },
  {
    // Every message late: a transit's log append lands after two brokers are down, and fails.
    name: 'log appends that land without a quorum', txnVersion: 1, client: 'kafkajs', delivery: ALWAYS_LATE,
    cmds: [txn(2, [0], 'open'), init(2, true), down(0), down(1), tick(10),
      up(0), up(1), txn(3, [1], 'open'),
      down(0), down(1), tick(10)],
  },
  {
    // The transaction times out while the cluster has no quorum: the epoch fence's log append fails.
    name: 'a timeout fence without a quorum', txnVersion: 1, client: 'java',
    cmds: [txn(2, [0], 'open'), down(0), down(1), tick(1000), { op: 'deliverAll' }],
  },
  {
    // A new instance of an expired transactional id, its InitProducerId retried while the first one's log append is on the wire.
    name: 'InitProducerId of a Dead transactional id, retried', txnVersion: 1, client: 'java', delivery: ALWAYS_LATE, expiry: 40,
    cmds: [txn(2, [0], 'commit'), tick(100), init(2, true)],
  },
  {
    // Requests while two of three brokers are down: produce, TxnOffsetCommit (TV2 sends it first), InitProducerId.
    name: 'requests without a quorum', txnVersion: 2, client: 'java',
    cmds: [down(0), down(1), { op: 'send', slot: 0, key: 0 }, begin(2), sendOffsets(2, 0), txnSend(2, 1), init(3, false), up(0), up(1)],
  },
  { name: 'AddPartitionsToTxn without a quorum', txnVersion: 1, client: 'kafkajs', cmds: [down(0), down(1), begin(2), txnSend(2, 0), up(0), up(1)] },
  {
    // Markers that land while the cluster has no quorum: refused, retried once it is back.
    name: 'markers without a quorum', txnVersion: 1, client: 'kafkajs', delivery: MANUAL,
    cmds: [hold(2, true), txn(2, [0], 'commit'), down(0), down(1), { op: 'deliverAll' }, up(0), up(1), hold(2, false)],
  },
  {
    // A consumer assigned again after it crashed.
    name: 'a crashed consumer is assigned again', txnVersion: 1, client: 'kafkajs',
    cmds: [{ op: 'fault', fault: { type: 'consumerCrash', consumer: 0 } }, { op: 'assign', consumer: 0, keys: [0, 1], readCommitted: true }, { op: 'poll', consumer: 0 }],
  },
  // Clients out of retries: an idempotent batch (both clients), TxnOffsetCommit (kafkajs retries it, then gives
  // up), an abort whose EndTxn is lost and a re-initialisation after it (kafkajs), AddOffsetsToTxn (Java).
  { name: 'kafkajs idempotent batch out of retries', txnVersion: 1, client: 'kafkajs', cmds: [lost(0, 7), { op: 'send', slot: 0, key: 0 }] },
  { name: 'Java idempotent batch out of retries', txnVersion: 1, client: 'java', cmds: [lost(0, 7), { op: 'send', slot: 0, key: 0 }] },
  {
    name: 'kafkajs TxnOffsetCommit retried, then out of retries', txnVersion: 1, client: 'kafkajs',
    cmds: [begin(2), txnSend(2, 0), lost(2, 1, 1), sendOffsets(2, 0), lost(2, 7, 1), sendOffsets(2, 1)],
  },
  { name: 'kafkajs abort lost, then InitProducerId', txnVersion: 1, client: 'kafkajs', cmds: [begin(2), txnSend(2, 0), lost(2, 1), end(2, 'abort'), init(2, false)] },
  { name: 'Java AddOffsetsToTxn out of retries', txnVersion: 1, client: 'java', cmds: [begin(2), txnSend(2, 0), lost(2, 7), sendOffsets(2, 0)] },
];

export const SCENARIOS: Scenario[] = [...BASIC, ...LATE_SCENARIOS];
