// Removes what earlier runs left behind: containers and networks whose owning harness process is gone
// (crashed, SIGKILLed, machine rebooted). Clusters kept on purpose by `cluster up` are spared unless asked.
import { hostname } from 'node:os';
import { LABEL } from './labels.ts';
import { dockerode } from './engine.ts';

export interface SweepOptions {
  /** Also remove clusters that `cluster up` kept (what `cluster down` does). */
  includeKept?: boolean;
  /** Only this cluster's resources. */
  clusterId?: string;
}

export interface SweepResult {
  containers: string[];
  networks: string[];
}

export async function sweepLeftovers(options: SweepOptions = {}): Promise<SweepResult> {
  const docker = await dockerode();
  const filters = { label: [options.clusterId ? `${LABEL.cluster}=${options.clusterId}` : LABEL.role] };
  const isLeftover = (labels: Record<string, string> | undefined): boolean => {
    if (!labels) return false;
    if (options.clusterId) return true;
    if (labels[LABEL.keep] === 'true') return options.includeKept === true;
    return !ownerAlive(labels);
  };

  const containers = (await docker.listContainers({ all: true, filters })).filter((c) => isLeftover(c.Labels));
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));

  const networks = (await docker.listNetworks({ filters })).filter((n) => isLeftover(n.Labels));
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)));

  return { containers: containers.map((c) => c.Names[0] ?? c.Id), networks: networks.map((n) => n.Name) };
}

function ownerAlive(labels: Record<string, string>): boolean {
  if (labels[LABEL.ownerHost] !== hostname()) return true; // another machine's: not ours to judge
  const pid = Number(labels[LABEL.ownerPid]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
