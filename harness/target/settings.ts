// Where a run's Kafka lives and who breaks it, apart from how the command line spells it. Absent from
// RunSettings (the usual case): a fresh cluster of the harness' own in Docker, faults by the docker
// backend. Pure, and light: the command line's help loads it.
import type { FaultBackendName } from '../faults/backend.ts';
import { DEFAULT_NAMESPACE_PREFIX } from './namespace.ts';

export interface TargetSettings {
  /** `host:port` of an existing cluster; empty: the harness starts its own. */
  bootstrap: string[];
  /** --client-config FILE as given (its contents are read when a run starts, never recorded). */
  clientConfig: string | null;
  faults: FaultBackendName;
  /** --nodes-file FILE of the ssh backend, as given. */
  nodesFile: string | null;
  /** How many nodes the nodes file names: the program's node count. */
  nodeCount: number | null;
  /** Leave the run's topics on the cluster (--keep-topics). */
  keepTopics: boolean;
  /** Replication factor of the run's topics; null: as many replicas as the cluster allows, up to 3. */
  replication: number | null;
  /** The namespace's fixed part (--namespace-prefix). */
  namespacePrefix: string;
}

export const isExternal = (t: TargetSettings | undefined): boolean => (t?.bootstrap.length ?? 0) > 0;

/** The flags that give these settings back, for the repro line and campaign.json: files by name only. */
export function targetFlags(t: TargetSettings | undefined): string[] {
  if (!t) return [];
  const flags: string[] = [];
  if (t.bootstrap.length > 0) flags.push(`--bootstrap ${t.bootstrap.join(',')}`);
  if (t.clientConfig) flags.push(`--client-config ${t.clientConfig}`);
  if (t.faults !== (t.bootstrap.length > 0 ? 'none' : 'docker')) flags.push(`--faults ${t.faults}`);
  if (t.nodesFile) flags.push(`--nodes-file ${t.nodesFile}`);
  if (t.replication !== null) flags.push(`--replication ${t.replication}`);
  if (t.namespacePrefix !== DEFAULT_NAMESPACE_PREFIX) flags.push(`--namespace-prefix ${t.namespacePrefix}`);
  if (t.keepTopics) flags.push('--keep-topics');
  return flags;
}
