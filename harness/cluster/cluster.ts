// A real Kafka cluster of N KRaft nodes (broker + controller each) on a user-defined Docker network,
// started through testcontainers. The harness reaches each node on localhost through an external
// listener; nodes talk to each other over internal and controller listeners on the Docker network.
import '../docker/env.ts';
import { randomBytes } from 'node:crypto';
import { GenericContainer, StartedNetwork, Wait, type StartedTestContainer } from 'testcontainers';
import type { KafkaConfig } from 'kafkajs';
import { dockerClient, dockerode } from '../docker/engine.ts';
import { ensureKafkaImage, DEFAULT_KAFKA_VERSION, type KafkaImage } from '../docker/image.ts';
import { ownedLabels } from '../docker/labels.ts';
import { sweepLeftovers } from '../docker/sweep.ts';
import { containerLogs } from '../docker/logs.ts';
import { harnessError } from '../cli/exit-codes.ts';
import { onInterrupt } from './interrupts.ts';
import { freeHostPorts } from './ports.ts';
import { CONFIG_PATH, EXTERNAL_PORT, nodeAlias, serverProperties, startCommand } from './node-config.ts';
import { waitUntilServing } from './readiness.ts';
import { dockerFaults } from '../faults/docker.ts';
import type { FaultController } from '../faults/controller.ts';

// Three JVMs share 2 cores here: C1-only JIT and the serial collector start them several seconds faster
// and leave more CPU to the brokers' real work; throughput stays far above what the harness needs.
// Both our image's launcher and the official image's honour these variables.
const NODE_JVM_ENV = {
  KAFKA_HEAP_OPTS: '-Xms256m -Xmx768m',
  KAFKA_JVM_PERFORMANCE_OPTS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true',
};

export interface ClusterOptions {
  nodes?: number;
  kafkaVersion?: string;
  /** Keep the cluster after this process exits (`cluster up`); otherwise a later sweep removes it. */
  keep?: boolean;
  brokerOverrides?: Record<string, string | number | boolean>;
  /** Total time allowed from container start to a committed probe transaction. */
  startupTimeoutMs?: number;
  log?: (line: string) => void;
  /** Nodes made differently (harness/target/testbed: SSH servers, SASL and an authorizer). */
  variant?: NodeVariant;
}

/** How a variant's nodes differ from the usual ones; every part is optional. */
export interface NodeVariant {
  /** The image the nodes run, made from the Kafka image. */
  image?: (base: KafkaImage, log: (line: string) => void) => Promise<string>;
  /** Replaces the nodes' start command. */
  startCommand?: (kraftClusterUuid: string) => string[];
  /** Files put into every node before it starts. */
  files?: Array<{ content: string; target: string; mode: number }>;
  brokerOverrides?: Record<string, string | number | boolean>;
  /** Linux capabilities the nodes get (NET_ADMIN: iptables run on the node itself). */
  capabilities?: string[];
  /** kafkajs' ssl/sasl options for the readiness probe, when the client listener wants them. */
  readinessConnection?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
}

export interface KafkaNode {
  id: number;
  alias: string;
  /** localhost:<port> as the node advertises it to clients. */
  bootstrap: string;
  container: StartedTestContainer;
}

export class KafkaCluster {
  readonly faults: FaultController;
  private stopping: Promise<void> | null = null;
  private readonly forgetInterrupt: () => void;

  constructor(
    readonly id: string,
    readonly image: KafkaImage,
    readonly network: StartedNetwork,
    readonly nodes: KafkaNode[],
  ) {
    this.faults = dockerFaults(this);
    this.forgetInterrupt = onInterrupt(() => this.stop());
  }

  get bootstrapServers(): string {
    return this.brokers.join(',');
  }

  get brokers(): string[] {
    return this.nodes.map((n) => n.bootstrap);
  }

  node(id: number): KafkaNode {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no node ${id} in cluster ${this.id} (nodes ${this.nodes.map((n) => n.id).join(',')})`);
    return node;
  }

  async logs(nodeId: number, tail = 40): Promise<string> {
    return containerLogs(this.node(nodeId).container.getId(), tail);
  }

  /** From here on the cluster outlives this process: Ctrl-C no longer removes it. */
  detach(): void {
    this.forgetInterrupt();
  }

  /**
   * Removes the nodes (and with them every firewall rule) and the network. Every caller gets the same
   * promise: Ctrl-C during a normal stop must wait for it, not exit halfway through.
   */
  stop(): Promise<void> {
    this.stopping ??= sweepLeftovers({ clusterId: this.id }).then(() => this.forgetInterrupt());
    return this.stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<KafkaCluster> {
  const log = options.log ?? (() => undefined);
  const nodeCount = options.nodes ?? 3;
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 9) {
    throw harnessError(`a cluster needs 1 to 9 nodes, got ${nodeCount}`);
  }
  const client = await dockerClient();
  const swept = await sweepLeftovers();
  if (swept.containers.length + swept.networks.length > 0) {
    log(`removed leftovers of earlier runs: ${[...swept.containers, ...swept.networks].join(', ')}`);
  }
  const kafkaImage = await ensureKafkaImage(options.kafkaVersion ?? DEFAULT_KAFKA_VERSION, log);
  const variant = options.variant ?? {};
  const image = variant.image ? { ...kafkaImage, name: await variant.image(kafkaImage, log) } : kafkaImage;
  const clusterId = `kafka-eos-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const deadline = Date.now() + (options.startupTimeoutMs ?? 120_000);

  // Registered before anything exists, so that Ctrl-C at any point below removes all of it.
  const forget = onInterrupt(() => sweepLeftovers({ clusterId }).then(() => undefined));
  try {
    const docker = await dockerode();
    const dockerNetwork = await docker.createNetwork({
      Name: clusterId, Driver: 'bridge', CheckDuplicate: true,
      Labels: ownedLabels(clusterId, 'network', options.keep),
    });
    const network = new StartedNetwork(client, clusterId, dockerNetwork);
    const ports = await freeHostPorts(nodeCount);
    const kraftClusterUuid = newKraftClusterId();
    log(`starting ${nodeCount} Kafka ${image.version} nodes (${image.name})`);

    // testcontainers removes a container whose wait strategy failed, logs and all: keep the tail as it streams.
    const logTails = ports.map(() => new LogTail(30));
    const started = await Promise.allSettled(ports.map((port, i) => {
      const id = i + 1;
      return new GenericContainer(image.name)
        .withName(`${clusterId}-${nodeAlias(id)}`)
        .withHostname(nodeAlias(id))
        .withNetwork(network)
        .withNetworkAliases(nodeAlias(id))
        .withExposedPorts({ container: EXTERNAL_PORT, host: port })
        .withLabels(ownedLabels(clusterId, 'node', options.keep))
        .withEnvironment(NODE_JVM_ENV)
        .withCopyContentToContainer([{
          content: serverProperties({ nodeId: id, nodeCount, externalHostPort: port, overrides: { ...variant.brokerOverrides, ...options.brokerOverrides } }),
          target: CONFIG_PATH,
          mode: 0o644,
        }, ...(variant.files ?? [])])
        .withEntrypoint((variant.startCommand ?? startCommand)(kraftClusterUuid))
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
        .withStartupTimeout(Math.max(1_000, deadline - Date.now()))
        .withAutoRemove(false)
        .withAddedCapabilities(...(variant.capabilities ?? []))
        .withLogConsumer((stream) => logTails[i]!.follow(stream))
        .start()
        .then((container): KafkaNode => ({ id, alias: nodeAlias(id), bootstrap: `localhost:${port}`, container }));
    }));
    const failed = started.findIndex((s) => s.status === 'rejected');
    if (failed >= 0) {
      const reason = (started[failed] as PromiseRejectedResult).reason as Error;
      throw harnessError(`Kafka node ${failed + 1} did not start: ${reason.message}\n` +
        `last log lines of node ${failed + 1}:\n${logTails[failed]!.text()}`);
    }
    const nodes = started.map((s) => (s as PromiseFulfilledResult<KafkaNode>).value);
    const cluster = new KafkaCluster(clusterId, image, network, nodes);
    forget();
    try {
      await waitUntilServing({
        brokers: cluster.brokers, expectedBrokers: nodeCount, deadline, onProgress: (what) => log(`readiness: ${what}`), connection: variant.readinessConnection,
      });
    } catch (error) {
      const tails = await Promise.all(nodes.map(async (n) => `--- ${n.alias} ---\n${await cluster.logs(n.id, 15)}`));
      await cluster.stop();
      throw harnessError(`${(error as Error).message}\nlast log lines:\n${tails.join('\n')}`);
    }
    if (options.keep) cluster.detach();
    return cluster;
  } catch (error) {
    forget();
    await sweepLeftovers({ clusterId }).catch(() => undefined);
    throw error;
  }
}

/**
 * A KRaft cluster id (a Kafka Uuid: 16 random bytes, base64url). One that starts with '-' would be read
 * as an option by kafka-storage's argument parser (seen: "argument --cluster-id/-t: expected one argument").
 */
export function newKraftClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The last `size` lines a container printed. */
class LogTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly size: number) {}

  follow(stream: NodeJS.ReadableStream): void {
    stream.on('data', (chunk: Buffer | string) => {
      const parts = (this.partial + chunk.toString()).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      this.lines.splice(0, Math.max(0, this.lines.length - this.size));
    });
  }

  text(): string {
    const all = [...this.lines, this.partial].filter((l) => l.trim() !== '');
    return all.length === 0 ? '(the node printed nothing)' : all.join('\n');
  }
}
