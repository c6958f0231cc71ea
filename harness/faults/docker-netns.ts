// Scripts in a node container's network namespace, run by a short-lived helper container that joins it
// (`--network container:<node>`) with NET_ADMIN. The Kafka image needs no iptables of its own (the
// official image has none); rules set this way live in the namespace, so they outlast the helper and
// vanish with the node.
import { BASE_IMAGE } from '../docker/image.ts';
import { dockerode } from '../docker/engine.ts';
import { ownedLabels } from '../docker/labels.ts';
import { containerLogs } from '../docker/logs.ts';
import { harnessError } from '../cli/exit-codes.ts';

/** Runs `script` in the network namespace of container `targetId`; returns its output. */
export async function runInNetworkNamespace(targetId: string, clusterId: string, script: string): Promise<string> {
  const docker = await dockerode();
  const helper = await docker.createContainer({
    Image: BASE_IMAGE,
    Cmd: ['sh', '-c', script],
    Labels: ownedLabels(clusterId, 'firewall-helper'),
    HostConfig: { NetworkMode: `container:${targetId}`, CapAdd: ['NET_ADMIN', 'NET_RAW'], AutoRemove: false },
  });
  try {
    await helper.start();
    const { StatusCode } = (await helper.wait()) as { StatusCode: number };
    const output = await containerLogs(helper.id);
    if (StatusCode !== 0) {
      throw harnessError(`firewall helper failed in ${targetId.slice(0, 12)} (exit ${StatusCode}): ${output.trim().slice(-400)}`);
    }
    return output;
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
}
