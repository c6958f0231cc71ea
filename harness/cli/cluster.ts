// `kafka-eos cluster up|down`: a cluster for a person to explore, outside any run.
// up: prints the bootstrap servers as the last line of standard output and leaves the cluster running.
// down: removes every cluster `up` left, and any leftovers of crashed runs.
import { parseFlags, intFlag } from './args.ts';
import { EXIT, usageError } from './exit-codes.ts';
import { startCluster } from '../cluster/cluster.ts';
import { sweepLeftovers } from '../docker/sweep.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/image.ts';

const USAGE = 'usage: kafka-eos cluster up [--nodes 3] [--kafka-version V] | kafka-eos cluster down';

export async function main(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'up') return up(rest);
  if (action === 'down') return down(rest);
  throw usageError(`cluster: expected 'up' or 'down', got ${action === undefined ? 'nothing' : `'${action}'`}\n${USAGE}`);
}

async function up(argv: string[]): Promise<number> {
  const { values } = parseFlags('cluster up', argv, {
    nodes: { type: 'string' },
    'kafka-version': { type: 'string' },
  });
  const nodes = intFlag('cluster up', 'nodes', values.nodes, 3, 1);
  const kafkaVersion = values['kafka-version'] ?? DEFAULT_KAFKA_VERSION;
  const started = Date.now();
  const cluster = await startCluster({
    nodes, kafkaVersion, keep: true,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`cluster ${cluster.id}: ${nodes} node(s), Kafka ${cluster.image.version} (${cluster.image.name}), ready in ${seconds} s`);
  console.log('remove it with: kafka-eos cluster down');
  console.log(cluster.bootstrapServers);
  return EXIT.valid;
}

async function down(argv: string[]): Promise<number> {
  parseFlags('cluster down', argv, {});
  const removed = await sweepLeftovers({ includeKept: true });
  const names = [...removed.containers, ...removed.networks];
  console.log(names.length === 0 ? 'nothing to remove' : `removed ${names.join(', ')}`);
  return EXIT.valid;
}
