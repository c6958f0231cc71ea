// An OutOfOrderSequenceException that a produce request the client gave up on explains (Java client,
// transaction version 1). The history cannot show the request; the replay accepts the answer only where one
// can have existed, and says so (the run's explanations).
//
// How Kafka gets there (apache/kafka, Kafka 4.x):
// - The Java producer closes the connection of a request it timed out (request.timeout.ms: NetworkClient
//   "Disconnected from node N due to timeout") and retries the batch, same sequence, on a new one. When a
//   partition drops packets, the kernel keeps retransmitting the orphaned request, which can reach the
//   leader after the heal, after the retry was appended and the transaction ended.
// - A transactional produce for a producer with no open transaction on the partition starts verification
//   (KIP-890 part 1, on by default): UnifiedLog.maybeStartTransactionVerification ->
//   ProducerStateManager.maybeCreateVerificationStateEntry keeps the lowest sequence seen for the producer,
//   before the coordinator is asked (KAFKA-14920, apache/kafka#14033). The stale copy's coordinator check
//   fails, nothing is appended, and the entry stays: only an appended transactional batch or marker of that
//   producer clears it (UnifiedLog.updateProducers, clearVerificationStateEntry), or a higher epoch resets it
//   (VerificationStateEntry.maybeUpdateLowestSequenceAndEpoch).
// - The producer's next transaction sends there with a higher sequence of the same epoch (TV1 keeps the
//   epoch and the sequences across transactions): ProducerAppendInfo.checkSequence throws
//   OutOfOrderSequenceException "... (incoming seq. number), N (earliest seen sequence)". The client takes it
//   as abortable (TransactionManager.maybeTransitionToErrorState), aborts, bumps its epoch (KIP-360) and
//   starts again at sequence 0, which clears the entry. Nothing is written wrongly: the batch was refused.
// Under TV2 every transaction ends with a new epoch, so a stale copy's entry is reset by the next send.
import type { Explainer } from './replay-explain.ts';
import type { Step } from './replay-plan.ts';

/** The shortest request.timeout.ms the harness runs the Java producer with (KAFKA_EOS_CLIENT_CONFIG
 *  experiments; the driver's default is 3 s): an op shorter than this cannot have timed out a request. */
export const MIN_REQUEST_TIMEOUT_MS = 1_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Kafka answered out-of-order to unit i's transactional send `s` where the model took it. Returns the
 * explanation when an earlier op of the same producer (process), since its last epoch bump, sent to the same
 * key and outlasted the request timeout (so a copy of that produce may have been orphaned), else null.
 */
export function explainOrphanedProduce(
  x: Explainer, i: number, s: Extract<Step, { kind: 'send' }>, requestTimeoutMs = MIN_REQUEST_TIMEOUT_MS,
): string | null {
  const u = x.units[i]!;
  if (u.transactionalId === undefined || u.op?.f !== 'txn') return null;
  for (let j = i - 1; j >= 0; j--) {
    const z = x.units[j]!;
    // (A start has no op: it is skipped with the process's other units that are not transactions.)
    if (z.process !== u.process || z.op?.f !== 'txn' || z.time > u.invokeTime) continue;
    // An out-of-order answer made the client bump its epoch (KIP-360): older copies carry the old epoch.
    if (z.steps.some((t) => 'answer' in t && t.answer.kind === 'error' && t.answer.cls === 'out-of-order')) return null;
    const lasted = x.ms(z.time) - x.ms(z.invokeTime);
    if (lasted < requestTimeoutMs || !z.steps.some((t) => t.kind === 'send' && t.key === s.key)) continue;
    return `op ${u.index} (process ${u.process}, ${u.transactionalId}): Kafka answered out-of-order to the send of value ${s.value} to key ${s.key}; ` +
      `op ${z.index} of the same producer sent to key ${s.key} and ran ${seconds(lasted)}, longer than a request timeout, so a produce it gave up on ` +
      `may have reached the leader after its transaction ended and left its lower sequence as the partition's verification entry (KIP-890, TV1)`;
  }
  return null;
}
