// The testbed's SSH side: nodes of a local cluster that the ssh fault backend can drive exactly as it
// would drive machines elsewhere. The broker is not the container's main process (a SIGKILL to PID 1
// from inside its namespace is ignored, and killing PID 1 would take sshd with it): PID 1 is a shell
// that starts sshd and the broker, then reaps; the broker is (re)started by a script the nodes file
// names as its `start` template. A fresh key pair per cluster, written only to the directory given.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_PATH, EXTERNAL_PORT } from '../../cluster/node-config.ts';
import type { KafkaCluster, NodeVariant } from '../../cluster/cluster.ts';
import { harnessError } from '../../cli/exit-codes.ts';

export const START_SCRIPT = '/opt/kafka-eos/start-kafka.sh';
const KEY_FILE = 'id_ed25519';

/** Starts the broker in the background unless it runs; its output goes to the container's log. */
export function startScript(): string {
  return [
    '#!/bin/sh',
    "pgrep -f '[k]afka\\.Kafka' >/dev/null && exit 0",
    `setsid nohup /opt/kafka/bin/kafka-server-start.sh ${CONFIG_PATH} >>/proc/1/fd/1 2>&1 </dev/null &`,
    'exit 0',
  ].join('\n') + '\n';
}

export function sshStartCommand(clusterUuid: string): string[] {
  const script = [
    'set -e',
    'ssh-keygen -A >/dev/null',
    'mkdir -p /run/sshd',
    '/usr/sbin/sshd -E /tmp/sshd.log',
    `/opt/kafka/bin/kafka-storage.sh format -t ${clusterUuid} -c ${CONFIG_PATH} --ignore-formatted`,
    START_SCRIPT,
    // PID 1 stays, and reaps the brokers the start script leaves to it.
    'trap "exit 0" TERM INT',
    'while :; do sleep 3600 & wait $! || true; done',
  ].join('\n');
  return ['sh', '-c', script];
}

/** Generates the key pair in `dir` (refusing to overwrite one) and answers the public key. */
export function newKeyPair(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = path.join(dir, KEY_FILE);
  if (fs.existsSync(key)) fs.rmSync(key);
  if (fs.existsSync(`${key}.pub`)) fs.rmSync(`${key}.pub`);
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kafka-eos-testbed', '-f', key], { stdio: 'ignore' });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw harnessError(`--ssh: ${missing ? 'ssh-keygen is not installed' : `ssh-keygen failed: ${(error as Error).message}`}; fix: install OpenSSH's client (Debian: apt-get install openssh-client)`);
  }
  return fs.readFileSync(`${key}.pub`, 'utf8');
}

export function sshVariantParts(publicKey: string): Required<Pick<NodeVariant, 'startCommand' | 'files' | 'capabilities'>> {
  return {
    // The ssh backend runs iptables on the node, as root would on a machine.
    capabilities: ['NET_ADMIN', 'NET_RAW'],
    startCommand: sshStartCommand,
    files: [
      { content: publicKey, target: '/root/.ssh/authorized_keys', mode: 0o600 },
      { content: startScript(), target: START_SCRIPT, mode: 0o755 },
    ],
  };
}

/** The nodes file for this cluster: nodes by their address on the cluster network, reached from the host. */
export async function writeNodesFile(dir: string, cluster: KafkaCluster): Promise<string> {
  const nodes = await Promise.all(cluster.nodes.map(async (n) => {
    const ip = n.container.getIpAddress(cluster.id);
    return { host: ip, address: ip };
  }));
  const file = path.join(dir, 'nodes.json');
  const content = {
    user: 'root',
    identityFile: KEY_FILE,
    // The nodes' host keys are made when they start: nothing to pin, and nothing to remember.
    sshOptions: ['StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null', 'LogLevel=ERROR'],
    clientPorts: [EXTERNAL_PORT],
    commands: { start: START_SCRIPT },
    nodes,
  };
  fs.writeFileSync(file, JSON.stringify(content, null, 2) + '\n');
  return file;
}
