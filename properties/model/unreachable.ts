// Transitions the composed system does not take, each with the reason. A transition is a candidate of a
// state node's `on` list (state node | event | index): the coverage test lists what the composed runs (random
// programs and written-out scenarios against the simulated cluster, and exhaustive exploration) never took,
// and every one of them must be here, said why. Each is a guard Kafka has that the modelled cluster and
// clients never meet; the machine's own enumeration (properties/model.coverage.test.ts) still takes it. A
// transition listed here that the runs do take fails the test too (the reason went stale).

export const UNREACHABLE: Readonly<Record<string, string>> = {
  // partition
  'partition.unstable|partition.produce|4':
    'a non-transactional batch from a producer id with a transaction open on the partition: a transactional producer sends only transactional batches, and idempotent producers never open one',
  // coordinator
  'coordinator.Dead|txn.initProducerId|2':
    'INIT is shared with Empty/Complete*: initProducerIdVerdict answers the current epoch again only when it does not rotate the producer id, and a Dead id always rotates',
  'coordinator.PrepareCommit|txn.markerAnswered|1':
    'a refused marker (INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED) answered to the current coordinator epoch: while the transaction is in Prepare* no newer producer epoch exists, a failover makes the old copies\' answers stale, and the modelled partition refuses a marker before it writes it, so a retried marker never meets its own (see model/README.md, open questions)',
  'coordinator.PrepareAbort|txn.markerAnswered|1': 'as PrepareCommit|txn.markerAnswered|1',
  // kafkajs
  'producer.transacting.idle|producer.sendOffsets|1':
    'kafkajs speaks TV1 only (its producer\'s txnVersion is always 1, even against a TV2 cluster), so it always sends AddOffsetsToTxn first',
  // Java client
  'javaProducer.transacting.producing|producer.produceAnswer|2':
    'no produce is answered a fatal error (PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING, TRANSACTION_COORDINATOR_FENCED): AddPartitionsToTxnManager maps PRODUCER_FENCED to INVALID_PRODUCER_EPOCH, and an unknown producer id ends at the write guard (INVALID_TXN_STATE)',
  'javaProducer.committing|producer.endTxnAnswer|0':
    'a commit is never under way with an epoch bump due: only an abort follows the abortable error that makes it due',
  'javaProducer.committing|producer.endTxnAnswer|5':
    'the catch-all for an EndTxn error neither retriable nor fatal (TRANSACTION_ABORTABLE, unknown errors): the modelled coordinator answers EndTxn NONE, CONCURRENT_TRANSACTIONS, PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING or INVALID_TXN_STATE only',
  'javaProducer.aborting|producer.endTxnAnswer|5': 'as committing|producer.endTxnAnswer|5',
};

/** Routing rules of model/broker-rules.ts the composed runs never apply, each with the reason. */
export const UNREACHED_RULES: Readonly<Record<string, string>> = {
  'request.unknownId': 'every transactional client calls InitProducerId first, which creates the coordinator state, and the model never removes it (expiry leaves it Dead)',
  'verify.unknownId': 'as request.unknownId: a transactional produce or TxnOffsetCommit comes after InitProducerId',
  'markerAnswer.unknownId': 'as request.unknownId: markers are sent by a coordinator whose state exists',
  'logAppend.coordinatorMoved': 'the cluster and the explorer drop a coordinator\'s log appends when it fails over (a former leader of the transaction-log partition cannot append), so this check of deliverMessage is a guard only',
  'produce.verifyUnavailable': 'a produce without a quorum is refused before verification, and the nested verification (delivered at once) cannot lose the quorum half-way',
};
