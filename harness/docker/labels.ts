// Everything the harness creates in Docker carries these labels, so that a later start can find and
// remove what a crashed (SIGKILLed) run left behind, and `cluster down` can remove what `cluster up` left.
import { hostname } from 'node:os';

export const LABEL = {
  /** Present on every container and network the harness creates; its value is the role. */
  role: 'kafka-eos-harness',
  /** The cluster (run) a resource belongs to. */
  cluster: 'kafka-eos-harness.cluster',
  /** PID of the harness process that owns it: when that process is gone, the resource is a leftover. */
  ownerPid: 'kafka-eos-harness.owner-pid',
  ownerHost: 'kafka-eos-harness.owner-host',
  /** Set by `cluster up`: the cluster outlives its process on purpose, only `cluster down` removes it. */
  keep: 'kafka-eos-harness.keep',
} as const;

export type Role = 'node' | 'network' | 'firewall-helper' | 'tools-helper';

export function ownedLabels(clusterId: string, role: Role, keep = false): Record<string, string> {
  return {
    [LABEL.role]: role,
    [LABEL.cluster]: clusterId,
    [LABEL.ownerPid]: String(process.pid),
    [LABEL.ownerHost]: hostname(),
    ...(keep ? { [LABEL.keep]: 'true' } : {}),
  };
}
