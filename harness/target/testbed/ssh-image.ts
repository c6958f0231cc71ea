// The testbed's node image: the project's Kafka image plus an SSH server, installed from Debian's
// packages once and kept by Docker like the Kafka image itself (`<kafka image>-sshd`). The base image
// already has iptables and procps (pkill), which the ssh fault backend's defaults use.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { harnessError } from '../../cli/exit-codes.ts';
import { dockerode } from '../../docker/engine.ts';
import { imageExists, type KafkaImage } from '../../docker/image.ts';

const run = promisify(execFile);
const INSTALL = 'set -e; apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server >/dev/null; ' +
  'rm -rf /var/lib/apt/lists/* /etc/ssh/ssh_host_*; test -x /usr/sbin/sshd';

export const sshImageTag = (base: KafkaImage) => `${base.name}-sshd`;

export async function ensureSshImage(base: KafkaImage, log: (line: string) => void): Promise<string> {
  const tag = sshImageTag(base);
  if (await imageExists(tag)) return tag;
  if (base.external) throw harnessError(`the SSH testbed builds on the project's own Debian image, not KAFKA_IMAGE=${base.name}; unset KAFKA_IMAGE`);
  log(`building ${tag}: ${base.name} with Debian's openssh-server (once; cached by Docker afterwards)`);
  const docker = await dockerode();
  const builder = await docker.createContainer({
    Image: base.name, Entrypoint: ['sh', '-c'], Cmd: [INSTALL], User: 'root',
    Labels: { 'kafka-eos-harness.image': 'assembly' },
  });
  try {
    await builder.start();
    const { StatusCode } = (await builder.wait()) as { StatusCode: number };
    if (StatusCode !== 0) {
      const logs = (await builder.logs({ stdout: true, stderr: true, tail: 15 })).toString('utf8');
      throw harnessError(`installing openssh-server into ${base.name} failed (exit ${StatusCode}); fix: check that Debian's package mirror is reachable from containers. Last lines:\n${logs}`);
    }
    // The Kafka image's own start command, not the installer's, stays the image's default.
    await run('docker', ['commit', '--change', 'ENTRYPOINT []', '--change', 'CMD ["/opt/kafka/bin/kafka-server-start.sh", "/opt/kafka/config/server.properties"]',
      builder.id, tag], { timeout: 120_000 });
  } finally {
    await builder.remove({ force: true }).catch(() => undefined);
  }
  return tag;
}
