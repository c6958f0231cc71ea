// The command line's options for an existing cluster and for the fault backend, shared by `run` and
// `campaign` (harness/cli/run.ts adds them). Combinations that cannot apply are refused here, before
// anything starts; so are a client config or a nodes file that cannot be read (exit 2, naming the fix).
import fs from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { given } from '../cli/command.ts';
import { CliError, usageError } from '../cli/exit-codes.ts';
import { integer } from '../cli/options.ts';
import { FAULT_BACKENDS, type FaultBackendName } from '../faults/backend.ts';
import { parseNodesFile } from '../faults/ssh/nodes-file.ts';
import { loadClientConfig } from './client-config.ts';
import { checkNamespacePrefix, DEFAULT_NAMESPACE_PREFIX } from './namespace.ts';
import type { TargetSettings } from './settings.ts';

export function addTargetOptions(command: Command): Command {
  return command
    .addOption(new Option('--bootstrap <host:port,...>', 'verify an existing cluster instead of starting one (docs/beyond-one-machine.md)').argParser(bootstrapList))
    .addOption(new Option('--client-config <file>', 'client properties for --bootstrap: security.protocol, SASL, TLS; ${ENV_VAR} references are read from the environment'))
    .addOption(new Option('--faults <backend>', 'who makes the --nemesis faults: docker (the harness\' own cluster), ssh (nodes in --nodes-file), none (default with --bootstrap)').choices(FAULT_BACKENDS))
    .addOption(new Option('--nodes-file <file>', 'the ssh backend\'s nodes: hosts, addresses, command templates (JSON)'))
    .addOption(new Option('--replication <n>', 'replicas of each run topic on an existing cluster (default: as many as it has brokers, up to 3)').argParser(integer({ min: 1, max: 32 })))
    .addOption(new Option('--namespace-prefix <prefix>', 'start of every topic, transactional id and group name a run makes on an existing cluster').default(DEFAULT_NAMESPACE_PREFIX))
    .addOption(new Option('--keep-topics', 'leave the run\'s topics and groups on the existing cluster'));
}

/** The target settings the options give (undefined: the usual managed cluster), or a usage error. */
export function targetSettingsFrom(command: Command, name: string): TargetSettings | undefined {
  const o = command.opts();
  const refuse = (flag: string, why: string): never => { throw usageError(`${name}: ${flag} ${why}`); };
  const bootstrap = (o['bootstrap'] as string[] | undefined) ?? [];
  const external = bootstrap.length > 0;
  const nemesis = (o['nemesis'] as string[] | undefined) ?? [];
  const faults = (o['faults'] as FaultBackendName | undefined) ?? (external ? 'none' : 'docker');
  const anyGiven = ['bootstrap', 'clientConfig', 'faults', 'nodesFile', 'replication', 'namespacePrefix', 'keepTopics'].some((f) => given(command, f));
  if (!anyGiven) return undefined;
  if (o['target'] === 'model') refuse(anyGiven ? firstGiven(command) : '--bootstrap', 'is about a real cluster, and --target model runs none (drop it, or use --target kafka|both)');
  if (external && given(command, 'kafkaVersion')) refuse('--kafka-version', 'chooses the Kafka of a cluster the harness starts; the cluster at --bootstrap runs what it runs (drop one of them)');
  if (!external) {
    for (const [flag, key] of [['--client-config', 'clientConfig'], ['--replication', 'replication'], ['--namespace-prefix', 'namespacePrefix'], ['--keep-topics', 'keepTopics']] as const) {
      if (given(command, key)) refuse(flag, 'applies to an existing cluster; add --bootstrap HOST:PORT (without it the harness starts a cluster of its own and removes it after the run)');
    }
  }
  if (external && faults === 'docker') refuse('--faults docker', 'drives the containers of a cluster the harness starts; for a cluster at --bootstrap use --faults ssh --nodes-file FILE, or none');
  if (!external && faults === 'ssh') refuse('--faults ssh', 'drives the nodes of an existing cluster; add --bootstrap HOST:PORT of that cluster');
  if (faults === 'ssh' && !o['nodesFile']) refuse('--faults ssh', 'needs --nodes-file FILE naming the nodes and how to reach them');
  if (faults !== 'ssh' && o['nodesFile']) refuse('--nodes-file', `is read by the ssh fault backend, and this run's is ${faults} (add --faults ssh)`);
  if (faults === 'none' && (nemesis.length > 0 || o['workload'] === 'endtxn-race')) {
    refuse(nemesis.length > 0 ? '--nemesis' : '--workload endtxn-race', `needs faults, and the fault backend is none${external && !given(command, 'faults') ? ' (the default with --bootstrap)' : ''}: add --faults ssh --nodes-file FILE, or drop it and let faults come from outside`);
  }
  const prefix = o['namespacePrefix'] as string;
  const badPrefix = checkNamespacePrefix(prefix);
  if (badPrefix) refuse('--namespace-prefix', badPrefix);
  const clientConfig = (o['clientConfig'] as string | undefined) ?? null;
  if (clientConfig) loadClientConfig(clientConfig); // fail now, not at the first seed; loaded again when a run starts
  const nodesFile = (o['nodesFile'] as string | undefined) ?? null;
  const nodes = nodesFile ? readNodesFile(nodesFile) : null;
  const nodeCount = nodes ? nodes.nodes.length : null;
  if (nodes && nemesis.includes('leader-move') && nodes.commands.electLeaders === null) {
    refuse('--nemesis leader-move', `needs a preferred-leader election on the ssh nodes, and ${nodesFile} has no commands.electLeaders: add e.g. "electLeaders": "/opt/kafka/bin/kafka-leader-election.sh --bootstrap-server localhost:9092 --election-type PREFERRED --all-topic-partitions" (docs/beyond-one-machine.md), or drop leader-move`);
  }
  return {
    bootstrap, clientConfig, faults, nodesFile, nodeCount,
    keepTopics: o['keepTopics'] === true,
    replication: (o['replication'] as number | undefined) ?? null,
    namespacePrefix: prefix,
  };
}

export function readNodesFile(file: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`--nodes-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return parseNodesFile(file, text);
  } catch (error) {
    throw error instanceof CliError ? error : usageError((error as Error).message);
  }
}

function firstGiven(command: Command): string {
  const flags: Record<string, string> = { bootstrap: '--bootstrap', clientConfig: '--client-config', faults: '--faults', nodesFile: '--nodes-file', replication: '--replication', namespacePrefix: '--namespace-prefix', keepTopics: '--keep-topics' };
  return Object.entries(flags).find(([k]) => given(command, k))?.[1] ?? '--bootstrap';
}

/** `host:port[,host:port...]`; IPv6 hosts in brackets. */
export function bootstrapList(raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected host:port[,host:port...]');
  for (const item of items) {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/.exec(item);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new InvalidArgumentError(`'${item}' is not host:port (e.g. kafka-1.example.com:9092)`);
  }
  return [...new Set(items)];
}
