// `kafka-eos cluster up|down`: a cluster for a person to explore, outside any run.
// up: prints the bootstrap servers as the last line of standard output and leaves the cluster running.
// down: removes every cluster `up` left, and any leftovers of crashed runs.
import { Option, type Command } from 'commander';
import { act, invoke, newCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { integer, kafkaVersion } from './options.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/versions.ts';
import { logLine } from './terminal.ts';

export function define(): Command {
  const cluster = newCommand('cluster').description('start or remove a Kafka cluster to explore');
  const up = newCommand('up')
    .description('start a cluster and leave it running; the last line of output is the bootstrap servers')
    .addOption(new Option('--nodes <n>', 'brokers (KRaft combined mode)').argParser(integer({ min: 1, max: 9 })).default(3))
    .addOption(new Option('--kafka-version <version>', 'Kafka release to run').argParser(kafkaVersion).default(DEFAULT_KAFKA_VERSION));
  const down = newCommand('down').description('remove every cluster `up` left, and leftovers of crashed runs');
  act(up, async (options: { nodes: number; kafkaVersion: string }) => {
    const { ensureDockerEngine } = await import('../docker/provision.ts');
    const { startCluster } = await import('../cluster/cluster.ts');
    const log = logLine();
    await ensureDockerEngine(log);
    const started = Date.now();
    const c = await startCluster({ nodes: options.nodes, kafkaVersion: options.kafkaVersion, keep: true, log });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`cluster ${c.id}: ${options.nodes} node(s), Kafka ${c.image.version} (${c.image.name}), ready in ${seconds} s`);
    console.log('remove it with: kafka-eos cluster down');
    console.log(c.bootstrapServers);
    return EXIT.valid;
  });
  act(down, async () => {
    const { sweepLeftovers } = await import('../docker/sweep.ts');
    const removed = await sweepLeftovers({ includeKept: true });
    const names = [...removed.containers, ...removed.networks];
    console.log(names.length === 0 ? 'nothing to remove' : `removed ${names.join(', ')}`);
    return EXIT.valid;
  });
  return cluster.addCommand(up).addCommand(down);
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);
