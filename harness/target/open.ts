// Opens a run's Kafka: a fresh cluster of the harness' own (the default), or an existing one
// (--bootstrap). run.ts sees only the OpenTarget.
import { startCluster, type KafkaCluster } from '../cluster/cluster.ts';
import { noFaults } from '../faults/none.ts';
import type { Program } from '../workload/program.ts';
import { openExternal } from './external.ts';
import { isExternal, type TargetSettings } from './settings.ts';
import type { OpenTarget } from './target.ts';

export interface OpenOptions {
  outDir: string;
  kafkaVersion: string;
  log: (line: string) => void;
}

/** The target and, for a managed one, the cluster itself (forensics reads its containers). */
export async function openTarget(settings: TargetSettings | undefined, program: Program, o: OpenOptions): Promise<OpenTarget & { managed: KafkaCluster | null }> {
  if (settings && isExternal(settings)) return { ...(await openExternal(settings, program, o)), managed: null };
  const cluster = await startCluster({ nodes: program.nodes.length, kafkaVersion: o.kafkaVersion, log: o.log });
  const faults = settings?.faults === 'none' ? noFaults(program.nodes) : cluster.faults;
  return {
    id: cluster.id,
    brokers: cluster.brokers,
    faults,
    connection: null,
    namespace: null,
    program,
    kafkaVersion: cluster.image.version,
    kafkaImage: cluster.image.name,
    record: {
      kind: 'managed', bootstrap: null, clientConfig: null, namespace: null, faults: faults.name, nodesFile: null,
      brokers: cluster.nodes.length, replication: Math.min(3, cluster.nodes.length), keptTopics: false,
    },
    close: () => cluster.stop(),
    managed: cluster,
  };
}
