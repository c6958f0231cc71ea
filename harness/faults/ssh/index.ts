// The `ssh` fault backend: the nodes of a cluster the harness did not start, driven only through SSH.
// Partitions are iptables rules in chains of our own on each node (removed again at close: the node
// outlives the run); kill, start, pause, resume, stop and electLeaders (leader-move) run the nodes file's
// command templates. Before a run,
// every node must answer over SSH and have iptables, or the run stops with exit 3 naming the node.
import { harnessError } from '../../cli/exit-codes.ts';
import type { NodeId } from '../../workload/program.ts';
import { FaultController, type NodeHands } from '../controller.ts';
import { firewallRemovalScript, firewallScript } from '../iptables.ts';
import { fillTemplate, type SshNode, type SshNodesFile } from './nodes-file.ts';
import { SshSessions } from './ssh.ts';

export { parseNodesFile, type SshNodesFile } from './nodes-file.ts';

export async function sshFaults(config: SshNodesFile): Promise<FaultController> {
  const sessions = new SshSessions(config);
  const hands = sshHands(config, sessions);
  try {
    await Promise.all(config.nodes.map(async (node) => {
      const r = await sessions.run(node, 'command -v iptables >/dev/null 2>&1 || { echo "iptables is not installed"; exit 3; }\niptables -w -L INPUT -n >/dev/null', 20_000);
      if (r.code !== 0) {
        const said = r.output.trim().split('\n').filter(Boolean).slice(-2).join(' / ') || `exit ${r.code}`;
        throw harnessError(`--nodes-file ${config.file}: node ${node.id} (${node.user ? `${node.user}@` : ''}${node.host}:${node.port}) ` +
          `${r.code === 255 || r.code === null ? 'cannot be reached over SSH' : 'cannot run iptables'}: ${said}. ` +
          'Fix: check that `ssh` reaches it without a password (identityFile, ~/.ssh/config) and that the user may run iptables (root, or "sudo": true)');
      }
    }));
  } catch (error) {
    await sessions.close(config.nodes);
    throw error;
  }
  return new FaultController(hands);
}

function sshHands(config: SshNodesFile, sessions: SshSessions): NodeHands {
  const node = (id: NodeId): SshNode => {
    const n = config.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no node ${id} in ${config.file}`);
    return n;
  };
  const template = async (id: NodeId, name: Exclude<keyof SshNodesFile['commands'], 'electLeaders'>, timeoutMs?: number) => {
    await sessions.must(node(id), fillTemplate(config.commands[name], node(id)), `commands.${name}`, timeoutMs);
  };
  return {
    name: 'ssh',
    nodeIds: config.nodes.map((n) => n.id),
    addresses: async () => new Map(config.nodes.map((n) => [n.id, n.address])),
    setFirewall: async (id, rules) => {
      await sessions.must(node(id), firewallScript(rules, config.clientPorts), 'the firewall');
    },
    kill: (id) => template(id, 'kill'),
    start: (id) => template(id, 'start'),
    pause: (id) => template(id, 'pause'),
    resume: (id) => template(id, 'resume'),
    // The default stop template waits up to 120 s for the broker to end; the session allows a little more.
    // It fails (exit 1) rather than kill a broker that does not end: a stop that returns was graceful.
    stop: async (id) => { await template(id, 'stop', 150_000); return 'graceful'; },
    electPreferredLeaders: async (via) => {
      const elect = config.commands.electLeaders;
      if (elect === null) throw new Error(`${config.file} has no commands.electLeaders: the preferred-leader election of leader-move cannot run`);
      return (await sessions.must(node(via), fillTemplate(elect, node(via)), 'commands.electLeaders', 150_000)).trim().split('\n').slice(-3).join(' / ');
    },
    close: async () => {
      await Promise.all(config.nodes.map((n) => sessions.run(n, firewallRemovalScript(), 20_000)));
      await sessions.close(config.nodes);
    },
  };
}
