// The nodes file of the `ssh` fault backend (--nodes-file): which machines run the brokers, how to reach
// them over SSH, and the command templates that kill, start, pause and resume a broker there, as
// Jepsen's control node drives its db nodes and Trogdor's ProcessStopFault signals a process by name.
// Pure: reads JSON text, answers the nodes or a message naming the field. Format: docs/beyond-one-machine.md.
import path from 'node:path';
import type { NodeId } from '../../workload/program.ts';

export interface SshNode {
  id: NodeId;
  /** Where ssh connects. */
  host: string;
  port: number;
  user: string | null;
  /** The node's address as its peers see it (what a partition drops); the host when not given. */
  address: string;
}

export interface SshCommands {
  kill: string;
  start: string;
  pause: string;
  resume: string;
  /** Graceful stop (leader-move): the broker's controlled shutdown, returning once it has exited. */
  stop: string;
  /**
   * Preferred-leader election over every partition (leader-move), run on a live node; it must fail while
   * some preferred replica is not in sync (Kafka's kafka-leader-election.sh does). null: not given, and
   * --nemesis leader-move is refused (the command line says how to add it).
   */
  electLeaders: string | null;
}

/** The templates a nodes file may give; `start` is required, `electLeaders` only for leader-move. */
export const COMMAND_NAMES = ['kill', 'start', 'pause', 'resume', 'stop', 'electLeaders'] as const;

export interface SshNodesFile {
  file: string;
  nodes: SshNode[];
  /** Absolute path of the private key, or null for ssh's own defaults (agent, ~/.ssh/config). */
  identityFile: string | null;
  /** Extra `-o` options, e.g. StrictHostKeyChecking=accept-new. */
  sshOptions: string[];
  /** Ports of the listener the harness' clients use: client isolation drops them. */
  clientPorts: number[];
  /** Run every command through `sudo -n` (the ssh user is not root). */
  sudo: boolean;
  commands: SshCommands;
}

/**
 * Signals to the broker process found by its main class, as Trogdor does (`pkill -f`). The `[k]`
 * keeps the pattern from matching a shell whose command line holds it. kill waits for the process to be
 * gone, so that a start right after it does not find it still running.
 */
export const DEFAULT_COMMANDS: Omit<SshCommands, 'start' | 'electLeaders'> = {
  kill: "pkill -KILL -f '[k]afka\\.Kafka'; for i in $(seq 100); do pgrep -f '[k]afka\\.Kafka' >/dev/null || exit 0; sleep 0.1; done; echo 'the broker survived SIGKILL for 10 s' >&2; exit 1",
  pause: "pkill -STOP -f '[k]afka\\.Kafka' || true",
  resume: "pkill -CONT -f '[k]afka\\.Kafka' || true",
  // SIGCONT first: a frozen broker cannot run its shutdown. Its controlled shutdown may take a while.
  stop: "pkill -CONT -f '[k]afka\\.Kafka'; pkill -TERM -f '[k]afka\\.Kafka' || exit 0; for i in $(seq 1200); do pgrep -f '[k]afka\\.Kafka' >/dev/null || exit 0; sleep 0.1; done; echo 'the broker did not shut down within 120 s of SIGTERM' >&2; exit 1",
};

export const TEMPLATE_FIELDS = ['{node}', '{host}', '{address}'];

export function parseNodesFile(file: string, text: string): SshNodesFile {
  const bad = (what: string) => new Error(`--nodes-file ${file}: ${what}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('must be a JSON object with a "nodes" array');
  const o = raw as Record<string, unknown>;
  const known = ['nodes', 'user', 'port', 'identityFile', 'sshOptions', 'clientPorts', 'sudo', 'commands'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw bad(`unknown field(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const str = (v: unknown, field: string): string => {
    if (typeof v !== 'string' || v.trim() === '') throw bad(`"${field}" must be a non-empty string`);
    return v;
  };
  const port = (v: unknown, field: string): number => {
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535) throw bad(`"${field}" must be a port number (1-65535)`);
    return v as number;
  };
  const defaultPort = o['port'] === undefined ? 22 : port(o['port'], 'port');
  const defaultUser = o['user'] === undefined ? null : str(o['user'], 'user');
  if (!Array.isArray(o['nodes']) || o['nodes'].length < 1 || o['nodes'].length > 9) throw bad('"nodes" must list 1 to 9 nodes');
  const nodes = o['nodes'].map((n: unknown, i): SshNode => {
    const at = `nodes[${i}]`;
    if (typeof n === 'string') return { id: i + 1, host: str(n, at), port: defaultPort, user: defaultUser, address: n };
    if (typeof n !== 'object' || n === null) throw bad(`${at} must be a host name or {"host": ..., "address": ...}`);
    const m = n as Record<string, unknown>;
    const extra = Object.keys(m).filter((k) => !['host', 'port', 'user', 'address'].includes(k));
    if (extra.length > 0) throw bad(`${at}: unknown field(s) ${extra.join(', ')}; known: host, port, user, address`);
    const host = str(m['host'], `${at}.host`);
    return {
      id: i + 1, host,
      port: m['port'] === undefined ? defaultPort : port(m['port'], `${at}.port`),
      user: m['user'] === undefined ? defaultUser : str(m['user'], `${at}.user`),
      address: m['address'] === undefined ? host : str(m['address'], `${at}.address`),
    };
  });
  for (const n of nodes) {
    if (!/^[A-Za-z0-9][A-Za-z0-9.:_-]*$/.test(n.host)) throw bad(`node ${n.id}: host '${n.host}' is not a host name or address`);
    if (!/^[A-Za-z0-9][A-Za-z0-9.:/-]*$/.test(n.address)) throw bad(`node ${n.id}: address '${n.address}' is not an address iptables can match (an IP, a CIDR or a host name)`);
    if (n.user !== null && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(n.user)) throw bad(`node ${n.id}: user '${n.user}' is not a user name`);
  }
  const addresses = nodes.map((n) => n.address);
  const twice = addresses.find((a, i) => addresses.indexOf(a) !== i);
  if (twice) throw bad(`two nodes have the address ${twice}: a partition could not tell them apart`);
  const commands = o['commands'] === undefined ? {} : o['commands'];
  if (typeof commands !== 'object' || commands === null || Array.isArray(commands)) throw bad('"commands" must be an object of command templates');
  const c = commands as Record<string, unknown>;
  const extraCommands = Object.keys(c).filter((k) => !(COMMAND_NAMES as readonly string[]).includes(k));
  if (extraCommands.length > 0) throw bad(`commands: unknown template(s) ${extraCommands.join(', ')}; known: ${COMMAND_NAMES.join(', ')}`);
  if (c['start'] === undefined) throw bad('commands.start is required: how to start the broker again after a kill (e.g. "systemctl start kafka"); it must do nothing when the broker runs');
  const template = (name: Exclude<keyof SshCommands, 'electLeaders'>): string =>
    (c[name] === undefined ? DEFAULT_COMMANDS[name as Exclude<keyof SshCommands, 'start' | 'electLeaders'>] : str(c[name], `commands.${name}`));
  const options = o['sshOptions'] === undefined ? [] : o['sshOptions'];
  if (!Array.isArray(options) || !options.every((x) => typeof x === 'string' && /^\w+=\S*$/.test(x))) throw bad('"sshOptions" must be a list like ["StrictHostKeyChecking=accept-new"]');
  const clientPorts = o['clientPorts'] === undefined ? [9092] : o['clientPorts'];
  if (!Array.isArray(clientPorts) || clientPorts.length === 0) throw bad('"clientPorts" must list the ports of the listener the harness connects to');
  clientPorts.forEach((p, i) => port(p, `clientPorts[${i}]`));
  if (o['sudo'] !== undefined && typeof o['sudo'] !== 'boolean') throw bad('"sudo" must be true or false');
  return {
    file,
    nodes,
    identityFile: o['identityFile'] === undefined ? null : path.resolve(path.dirname(file), str(o['identityFile'], 'identityFile')),
    sshOptions: options as string[],
    clientPorts: clientPorts as number[],
    sudo: o['sudo'] === true,
    commands: {
      kill: template('kill'), start: template('start'), pause: template('pause'), resume: template('resume'), stop: template('stop'),
      electLeaders: c['electLeaders'] === undefined ? null : str(c['electLeaders'], 'commands.electLeaders'),
    },
  };
}

/** A command template with the node's fields filled in. */
export function fillTemplate(template: string, node: SshNode): string {
  return template.replaceAll('{node}', String(node.id)).replaceAll('{host}', node.host).replaceAll('{address}', node.address);
}
