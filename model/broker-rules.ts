// The rules the brokers' routing (broker.ts) applies itself, outside any machine: error translations, the
// shortcuts of produce verification, what an unavailable cluster answers, what a message whose coordinator
// moved does. Each has a name so that the composed coverage (properties/model.composed-coverage.test.ts) can
// see which ones the runs take, as it sees the machines' transitions.

export const BROKER_RULES = {
  'init.idempotent': 'InitProducerId without a transactional id: a producer id from the id manager, epoch 0, no coordinator',
  'request.unavailable': 'a coordinator request while the cluster lacks min.insync.replicas brokers: COORDINATOR_NOT_AVAILABLE',
  'request.unknownId': 'AddPartitionsToTxn or EndTxn naming a transactional id that has no coordinator state: INVALID_PRODUCER_ID_MAPPING',
  'answer.kip588': 'KafkaApis answers PRODUCER_FENCED as INVALID_PRODUCER_EPOCH to old request versions (KIP-588)',
  'produce.unavailable': 'a produce while the partition lacks min.insync.replicas: NOT_ENOUGH_REPLICAS',
  'produce.staleSkipsVerification': 'a transactional produce of an older epoch than the log\'s: no verification, the log answers',
  'produce.ongoingSkipsVerification': 'a transactional produce of the (pid, epoch) with a transaction open on the partition: no verification',
  'produce.verifyConcurrentTv1': 'verification answered CONCURRENT_TRANSACTIONS: NOT_ENOUGH_REPLICAS (retriable) to a pre-TV2 client',
  'produce.verifyConcurrentTv2': 'verification answered CONCURRENT_TRANSACTIONS: passed on to a TV2 client',
  'produce.verifyFenced': 'verification answered PRODUCER_FENCED: INVALID_PRODUCER_EPOCH (AddPartitionsToTxnManager)',
  'produce.verifyUnavailable': 'the coordinator could not be asked: NOT_ENOUGH_REPLICAS',
  'produce.verifyRefused': 'verification refused (TRANSACTION_ABORTABLE, INVALID_PRODUCER_ID_MAPPING): the write guard of the log answers',
  'produce.waitsForReplication': 'an appended record is acknowledged once the followers have it (acks=all)',
  'verify.unknownId': 'verification of a transactional id with no coordinator state: INVALID_PRODUCER_ID_MAPPING',
  'verify.tv2ImplicitAdd': 'TV2: the partition is added to the transaction by the leader (implicit AddPartitionsToTxn) and its log append awaited',
  'offsets.unavailable': 'a TxnOffsetCommit while the cluster lacks a quorum: COORDINATOR_NOT_AVAILABLE',
  'offsets.verifyConcurrent': 'TxnOffsetCommit verification answered CONCURRENT_TRANSACTIONS: retriable, the group is not asked',
  'offsets.verifyFenced': 'TxnOffsetCommit verification answered PRODUCER_FENCED: INVALID_PRODUCER_EPOCH (AddPartitionsToTxnManager), also where the group never saw the newer epoch (nothing is appended)',
  'logAppend.coordinatorMoved': 'a transit\'s log append whose coordinator failed over (or whose transit is gone) never becomes durable',
  'logAppend.failed': 'a transit\'s log append that lands without a quorum fails (logAppendFailed)',
  'marker.unavailable': 'a marker that lands without a quorum is answered NOT_ENOUGH_REPLICAS (retried)',
  'marker.toGroup': 'a marker for __consumer_offsets goes to the group coordinator',
  'markerAnswer.unknownId': 'a marker answer for a transactional id with no coordinator state is dropped',
  'kick.waitsForQuorum': 'markers and the completion wait while the cluster lacks a quorum or the markers were cancelled',
  'kick.oneMarkerPerPartition': 'one marker per partition at a time: none is sent while one is on the wire or its answer on the way back',
} as const;

export type BrokerRule = keyof typeof BROKER_RULES;
