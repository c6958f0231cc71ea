// The nemesis' firewall: iptables rules inside a node's network namespace, set by a short-lived helper
// container that joins that namespace (`--network container:<node>`) with NET_ADMIN. The Kafka image
// needs no iptables of its own (the official image has none); the rules live in the namespace, so
// they outlast the helper and vanish with the node.
import { BASE_IMAGE } from '../docker/image.ts';
import { dockerode } from '../docker/engine.ts';
import { ownedLabels } from '../docker/labels.ts';
import { containerLogs } from '../docker/logs.ts';
import { harnessError } from '../cli/exit-codes.ts';
import { EXTERNAL_PORT } from './node-config.ts';

/** What one node's firewall should do; the empty rule set is "healed". */
export interface FirewallRules {
  /** Drop every packet arriving from these addresses (other nodes). */
  dropFrom: string[];
  /** Drop the harness' traffic: everything to and from the external listener. */
  isolateClient: boolean;
}

export const HEALED: FirewallRules = { dropFrom: [], isolateClient: false };

const IN = 'KAFKA_EOS_IN';
const OUT = 'KAFKA_EOS_OUT';

/** The shell script that replaces the node's rules with `rules`: idempotent, one chain per direction. */
export function firewallScript(rules: FirewallRules): string {
  const lines = [
    'set -e',
    `iptables -w -N ${IN} 2>/dev/null || true`,
    `iptables -w -N ${OUT} 2>/dev/null || true`,
    `iptables -w -C INPUT -j ${IN} 2>/dev/null || iptables -w -I INPUT -j ${IN}`,
    `iptables -w -C OUTPUT -j ${OUT} 2>/dev/null || iptables -w -I OUTPUT -j ${OUT}`,
    `iptables -w -F ${IN}`,
    `iptables -w -F ${OUT}`,
    ...rules.dropFrom.map((ip) => `iptables -w -A ${IN} -s ${ip} -j DROP`),
    ...(rules.isolateClient
      ? [`iptables -w -A ${IN} -p tcp --dport ${EXTERNAL_PORT} -j DROP`, `iptables -w -A ${OUT} -p tcp --sport ${EXTERNAL_PORT} -j DROP`]
      : []),
    `iptables -w -S ${IN}; iptables -w -S ${OUT}`,
  ];
  return lines.join('\n');
}

/** Runs `script` in the network namespace of container `targetId`; returns its output. */
export async function runInNetworkNamespace(targetId: string, clusterId: string, script: string): Promise<string> {
  const docker = await dockerode();
  const helper = await docker.createContainer({
    Image: BASE_IMAGE,
    Cmd: ['sh', '-c', script],
    Labels: ownedLabels(clusterId, 'firewall-helper'),
    HostConfig: { NetworkMode: `container:${targetId}`, CapAdd: ['NET_ADMIN', 'NET_RAW'], AutoRemove: false },
  });
  try {
    await helper.start();
    const { StatusCode } = (await helper.wait()) as { StatusCode: number };
    const output = await containerLogs(helper.id);
    if (StatusCode !== 0) {
      throw harnessError(`firewall helper failed in ${targetId.slice(0, 12)} (exit ${StatusCode}): ${output.trim().slice(-400)}`);
    }
    return output;
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
}

export function applyFirewall(targetId: string, clusterId: string, rules: FirewallRules): Promise<string> {
  return runInNetworkNamespace(targetId, clusterId, firewallScript(rules));
}
