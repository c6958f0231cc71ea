// The firewall of one node as iptables rules in two chains of our own, so that applying a new rule set
// is idempotent and healing never touches anyone else's rules. Pure: the backends run these scripts,
// the docker one in a helper container that joins the node's network namespace, the ssh one on the node.

/** What one node's firewall should do; the empty rule set is "healed". */
export interface FirewallRules {
  /** Drop every packet arriving from these addresses (other nodes). */
  dropFrom: string[];
  /** Drop the harness' traffic: everything to and from the client listener's ports. */
  isolateClient: boolean;
}

export const HEALED: FirewallRules = { dropFrom: [], isolateClient: false };

const IN = 'KAFKA_EOS_IN';
const OUT = 'KAFKA_EOS_OUT';

/** The shell script that replaces the node's rules with `rules` (prefix each iptables with `sudo`). */
export function firewallScript(rules: FirewallRules, clientPorts: readonly number[], iptables = 'iptables'): string {
  const ipt = `${iptables} -w`;
  return [
    'set -e',
    `${ipt} -N ${IN} 2>/dev/null || true`,
    `${ipt} -N ${OUT} 2>/dev/null || true`,
    `${ipt} -C INPUT -j ${IN} 2>/dev/null || ${ipt} -I INPUT -j ${IN}`,
    `${ipt} -C OUTPUT -j ${OUT} 2>/dev/null || ${ipt} -I OUTPUT -j ${OUT}`,
    `${ipt} -F ${IN}`,
    `${ipt} -F ${OUT}`,
    ...rules.dropFrom.map((address) => `${ipt} -A ${IN} -s ${address} -j DROP`),
    ...(rules.isolateClient
      ? clientPorts.flatMap((port) => [`${ipt} -A ${IN} -p tcp --dport ${port} -j DROP`, `${ipt} -A ${OUT} -p tcp --sport ${port} -j DROP`])
      : []),
    `${ipt} -S ${IN}; ${ipt} -S ${OUT}`,
  ].join('\n');
}

/**
 * Removes both chains and the jumps to them: on a node that outlives the run (ssh), nothing of ours
 * may stay. Safe to run when they do not exist.
 */
export function firewallRemovalScript(iptables = 'iptables'): string {
  const ipt = `${iptables} -w`;
  return [
    `while ${ipt} -D INPUT -j ${IN} 2>/dev/null; do :; done`,
    `while ${ipt} -D OUTPUT -j ${OUT} 2>/dev/null; do :; done`,
    `${ipt} -F ${IN} 2>/dev/null; ${ipt} -X ${IN} 2>/dev/null`,
    `${ipt} -F ${OUT} 2>/dev/null; ${ipt} -X ${OUT} 2>/dev/null`,
    'true',
  ].join('\n');
}

/** Lists our chains' rules (empty output: none left); for checks that nothing stayed behind. */
export function firewallListingScript(iptables = 'iptables'): string {
  return `${iptables} -w -S 2>/dev/null | grep -E '${IN}|${OUT}' || true`;
}
