// server.properties for one KRaft node (broker and controller combined). Pure: the same options give
// the same file. Defaults are the ones exactly-once testing needs, not Kafka's own: every partition
// and the transaction log replicated 3 ways with 2 in sync required, no unclean elections, no
// auto-created topics (a typo must fail, not silently make a 1-partition topic).

export const INTERNAL_PORT = 9092;
export const CONTROLLER_PORT = 9093;
/** Port inside the container of the listener the harness (on the host) connects to. */
export const EXTERNAL_PORT = 19092;
export const DATA_DIR = '/var/lib/kafka/data';
export const CONFIG_PATH = '/tmp/kafka-eos/server.properties';

export interface NodeConfigInput {
  nodeId: number;
  nodeCount: number;
  /** The host port that Docker maps to EXTERNAL_PORT: clients are told to connect to localhost:<it>. */
  externalHostPort: number;
  /** Extra or overriding broker properties. */
  overrides?: Record<string, string | number | boolean>;
}

export const nodeAlias = (nodeId: number) => `kafka-${nodeId}`;

export function eosDefaults(nodeCount: number): Record<string, string | number | boolean> {
  const replication = Math.min(3, nodeCount);
  const minIsr = Math.min(2, replication);
  return {
    'default.replication.factor': replication,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replication,
    'offsets.topic.num.partitions': 6,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': 6,
    'unclean.leader.election.enable': false,
    'auto.create.topics.enable': false,
    'num.partitions': 2,
    'group.initial.rebalance.delay.ms': 0,
    // Faults should have visible effects within a test's patience: shrink the ISR after 10 s of lag
    // instead of 30 s, and fence a silent broker after the KRaft default of 9 s.
    'replica.lag.time.max.ms': 10_000,
    'broker.session.timeout.ms': 9_000,
    'broker.heartbeat.interval.ms': 1_000,
    'transaction.abort.timed.out.transaction.cleanup.interval.ms': 5_000,
    'log.dirs': DATA_DIR,
  };
}

export function serverProperties(input: NodeConfigInput): string {
  const { nodeId, nodeCount, externalHostPort } = input;
  const voters = Array.from({ length: nodeCount }, (_, i) => `${i + 1}@${nodeAlias(i + 1)}:${CONTROLLER_PORT}`).join(',');
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': voters,
    'listeners': `INTERNAL://0.0.0.0:${INTERNAL_PORT},CONTROLLER://0.0.0.0:${CONTROLLER_PORT},EXTERNAL://0.0.0.0:${EXTERNAL_PORT}`,
    'advertised.listeners': `INTERNAL://${nodeAlias(nodeId)}:${INTERNAL_PORT},EXTERNAL://localhost:${externalHostPort}`,
    'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT',
    'inter.broker.listener.name': 'INTERNAL',
    'controller.listener.names': 'CONTROLLER',
    ...eosDefaults(nodeCount),
    ...input.overrides,
  };
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

/**
 * The command each node runs: format the storage once (idempotent across restarts), then exec the
 * broker. Written for plain `sh` with the official image's paths, so KAFKA_IMAGE=apache/kafka:V works.
 */
export function startCommand(clusterUuid: string): string[] {
  const script = [
    'set -e',
    `/opt/kafka/bin/kafka-storage.sh format -t ${clusterUuid} -c ${CONFIG_PATH} --ignore-formatted`,
    `exec /opt/kafka/bin/kafka-server-start.sh ${CONFIG_PATH}`,
  ].join('\n');
  return ['sh', '-c', script];
}
