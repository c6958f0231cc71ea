// What a run's Kafka is, whichever kind: a cluster the harness starts (managed) or one it was pointed
// at (external). The Kafka runner needs only RunCluster; run.ts opens and closes an OpenTarget.
import type { FaultBackend, FaultBackendName } from '../faults/backend.ts';
import type { Program } from '../workload/program.ts';
import type { ClientConfigRecord, ClientConnection } from './client-config.ts';

/** What the Kafka runner needs of a cluster. */
export interface RunCluster {
  /** Names the run's cluster for the watchdog (the harness' own containers carry it as a label). */
  readonly id: string;
  readonly brokers: string[];
  readonly faults: FaultBackend;
  /** How clients reach it (--client-config); absent or null: plaintext. */
  readonly connection?: ClientConnection | null;
  /** The run's prefix for every Kafka name it makes (absent or null: a cluster of the run's own). */
  readonly namespace?: string | null;
}

/** verdict.json's `cluster`: where the run's Kafka was, as far as it may be told (no secret). */
export interface TargetRecord {
  kind: 'managed' | 'external';
  /** --bootstrap of an external cluster. */
  bootstrap: string[] | null;
  clientConfig: ClientConfigRecord | null;
  /** Prefix of the run's topics, transactional ids and groups; null on a cluster of the run's own. */
  namespace: string | null;
  faults: FaultBackendName;
  nodesFile: string | null;
  /** Brokers the cluster reported when the run began. */
  brokers: number;
  /** Replication factor of the run's topics. */
  replication: number;
  /** External only: whether the run left its topics and groups (--keep-topics). */
  keptTopics: boolean;
  /** External only: what the run removed at its end, and what it could not. */
  cleanup?: { topics: number; groups: number; problems: string[] };
}

export interface OpenTarget extends RunCluster {
  readonly record: TargetRecord;
  /** The program with its Kafka names as this cluster sees them (namespaced on an external one). */
  readonly program: Program;
  readonly kafkaVersion: string | null;
  readonly kafkaImage: string | null;
  /** Heals the faults, removes the cluster (managed) or the run's namespace (external, unless kept). */
  close(): Promise<void>;
}
