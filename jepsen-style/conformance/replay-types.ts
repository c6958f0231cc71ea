// The replay's public shapes: what it is asked (ReplayOptions) and what it answers (ReplayResult).
import type { ClientModel, TxnVersion } from '../../model/index.ts';
import type { ProgramInfo } from '../program-info.ts';
import type { WorkerInfo } from './attribution.ts';

export interface Divergence {
  /** History index of the op (its completion). */
  index: number;
  process: number;
  /** refused: the model rejected what Kafka did; read: a poll returned what the model would not; error: Kafka
   *  answered an error the model does not give; offset: the model put a write elsewhere; stuck: no order fits. */
  kind: 'refused' | 'read' | 'error' | 'offset' | 'stuck';
  key?: number;
  model: string;
  kafka: string;
  explanation: string;
}

export interface ReplayResult {
  conforms: boolean;
  divergence?: Divergence;
  /** Why the replay could not decide, one sentence each (then `conforms` is false and no divergence is given). */
  inconclusive: string[];
  /** Ops fully replayed before the first divergence (or all of them). */
  replayed: number;
  ops: number;
  /** Hidden events the replay had to fire to agree with Kafka, one sentence each. */
  explanations: string[];
  /** Answers (mostly lost connections and timeouts) the model was not held to. */
  unjudged: number;
  /** The ops of those answers, by class (for the report and for diagnosis). */
  unjudgedOps: Record<string, number[]>;
}

export interface ReplayOptions {
  /** The transaction protocol the client's transactions ran under (kafkajs: 1, whatever the cluster runs;
   *  the Java client and franz-go: the cluster's, as the run's verdict records it in `clientTxnVersion`). */
  txnVersion?: TxnVersion;
  /** The modelled client the history's producers are (model/sim.types.ts ClientModel): kafkajs, or java for
   *  the Java client and franz-go. Default: the one that speaks `txnVersion` (kafkajs for 1, java for 2). */
  client?: ClientModel;
  program?: ProgramInfo;
  /** program.json's workers: attribute processes that never named their transactional id. */
  workers?: readonly WorkerInfo[];
  /** The producers' transaction.timeout.ms (harness/kafka-runner/kafka-client.ts: 30 s). */
  transactionTimeoutMs?: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms (harness/cluster/node-config.ts: 5 s). */
  abortCheckIntervalMs?: number;
  /** How long after its invoke an abandoned process's InitProducerId may still land (default 60 s). */
  lateEffectMs?: number;
  /** The Java producers' request.timeout.ms, or a lower bound of it (default 1 s, replay-orphans.ts). */
  requestTimeoutMs?: number;
}
