// The `docker` fault backend, for the harness' own clusters: SIGKILL and start of a node's container,
// docker pause/unpause (the cgroup freezer: every thread of the broker stops at once, like SIGSTOP),
// iptables in the node's network namespace, and for leader-move `docker stop` (SIGTERM to the broker, PID 1
// of its container, so it runs its controlled shutdown) and Kafka's own leader-election tool run in a
// live node's container. A killed container loses its namespace and with it the
// rules; the controller puts them back when the node restarts.
import { dockerode } from '../docker/engine.ts';
import { EXTERNAL_PORT, INTERNAL_PORT, nodeAlias } from '../cluster/node-config.ts';
import type { KafkaCluster } from '../cluster/cluster.ts';
import type { NodeId } from '../workload/program.ts';
import { FaultController, type NodeHands } from './controller.ts';
import { runInNetworkNamespace } from './docker-netns.ts';
import { firewallScript } from './iptables.ts';
import { laggingFollowerMs, preferredElectionScript, SHUTDOWN_GRACE_SECONDS } from './leader-move.ts';

/** The faults of a cluster the harness started; the docker hands see the cluster's containers. */
export function dockerFaults(cluster: Pick<KafkaCluster, 'id' | 'nodes'>): FaultController {
  return new FaultController(dockerHands(cluster), { lagMs: laggingFollowerMs() });
}

function dockerHands(cluster: Pick<KafkaCluster, 'id' | 'nodes'>): NodeHands {
  const node = (nodeId: NodeId) => {
    const n = cluster.nodes.find((x) => x.id === nodeId);
    if (!n) throw new Error(`no node ${nodeId} in cluster ${cluster.id}`);
    return n;
  };
  const containerId = (nodeId: NodeId) => node(nodeId).container.getId();
  const container = async (nodeId: NodeId) => (await dockerode()).getContainer(containerId(nodeId));
  return {
    name: 'docker',
    nodeIds: cluster.nodes.map((n) => n.id),
    addresses: async () => {
      const docker = await dockerode();
      const entries = await Promise.all(cluster.nodes.map(async (n) => {
        const info = await docker.getContainer(n.container.getId()).inspect();
        return [n.id, info.NetworkSettings.Networks[cluster.id]?.IPAddress ?? ''] as const;
      }));
      return new Map(entries.filter(([, ip]) => ip !== ''));
    },
    setFirewall: async (nodeId, rules) => {
      await runInNetworkNamespace(containerId(nodeId), cluster.id, firewallScript(rules, [EXTERNAL_PORT]));
    },
    kill: async (nodeId, paused) => {
      const c = await container(nodeId);
      // Docker 20.10 kills a paused container; unpausing first keeps the kill real on an engine that
      // answers 409 instead, which ignoreNotRunning would take for "already dead" (a node left frozen).
      if (paused) await c.unpause().catch(ignoreNotPaused);
      await c.kill({ signal: 'SIGKILL' }).catch(ignoreNotRunning);
    },
    stop: async (nodeId, paused) => {
      const c = await container(nodeId);
      if (paused) await c.unpause().catch(ignoreNotPaused);
      // Returns once the container has exited: its leaderships have moved (or the grace ran out: SIGKILL).
      await c.stop({ t: SHUTDOWN_GRACE_SECONDS }).catch(ignoreNotRunning);
      return (await c.inspect()).State.ExitCode === 137 ? 'killed' : 'graceful';
    },
    electPreferredLeaders: async (via, started, tries) => {
      const script = preferredElectionScript(`localhost:${INTERNAL_PORT}`, started.map((n) => `${nodeAlias(n)}:${INTERNAL_PORT}`), tries);
      const { output, exitCode } = await node(via).container.exec(['sh', '-c', script]);
      const said = output.trim().split('\n').filter(Boolean).slice(-3).join(' / ');
      if (exitCode !== 0) throw new Error(`preferred-leader election on node ${via} failed (exit ${exitCode}): ${said.slice(-400)}`);
      return said;
    },
    start: async (nodeId) => {
      await (await container(nodeId)).start().catch(ignoreAlreadyStarted);
    },
    pause: async (nodeId) => {
      await (await container(nodeId)).pause();
    },
    resume: async (nodeId) => {
      await (await container(nodeId)).unpause().catch(ignoreNotPaused);
    },
    // The rules live in the containers' namespaces: they go with the cluster.
    close: async () => undefined,
  };
}

// Docker answers 304, 409 or (for unpause, 20.10) 500 "is not paused" when the container is already in
// the wanted state; that is success here, and makes every primitive idempotent (the final heal resumes
// and restarts every node, faulted or not).
type DockerError = { statusCode?: number; message?: string };
const ignoreNotRunning = (e: DockerError) => { if (e.statusCode !== 409 && e.statusCode !== 304) throw e; };
const ignoreAlreadyStarted = (e: DockerError) => { if (e.statusCode !== 304) throw e; };
const ignoreNotPaused = (e: DockerError) => { if (e.statusCode !== 409 && !/is not paused/.test(e.message ?? '')) throw e; };
