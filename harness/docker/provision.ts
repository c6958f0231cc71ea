// The quick start must work on a fresh machine: when no Docker engine answers and this process may
// provision one (root, with the project's provisioning script and Debian's apt-get or an installed
// dockerd), `run` and `cluster up` start it themselves and say so. Otherwise the error names the fix.
// KAFKA_EOS_NO_PROVISION=1 turns this off for people who manage their engine themselves.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { harnessError } from '../cli/exit-codes.ts';
import { dockerClient, NO_DOCKER_FIX } from './engine.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/provision-docker.sh', import.meta.url));

export async function ensureDockerEngine(log: (line: string) => void): Promise<void> {
  const first = await dockerClient().then(() => undefined, (error: unknown) => error);
  if (first === undefined) return;
  const why = mayProvision();
  if (why !== true) {
    log(`not provisioning a Docker engine: ${why}`);
    throw first;
  }
  log(`no Docker engine answers: provisioning one with ${SCRIPT} (installs Debian's docker.io if missing, starts dockerd)`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn('bash', [SCRIPT], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach(log));
    child.on('error', () => resolve(127));
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw harnessError(`provisioning a Docker engine failed (${SCRIPT} exited ${code}; its messages are above); fix: ${NO_DOCKER_FIX}`);
  await dockerClient();
  log('Docker engine is up');
}

export interface Host {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  uid: number | undefined;
  exists: (path: string) => boolean;
}

const THIS_HOST: Host = { env: process.env, platform: process.platform, uid: process.getuid?.(), exists: existsSync };

/** True when this process may start an engine itself; otherwise why not (for the log line). */
export function mayProvision(host: Host = THIS_HOST): true | string {
  if (host.env['KAFKA_EOS_NO_PROVISION'] === '1') return 'KAFKA_EOS_NO_PROVISION=1';
  // A DOCKER_HOST other than the local socket names an engine of the user's: starting another helps nobody.
  const dockerHost = host.env['DOCKER_HOST'];
  if (dockerHost !== undefined && dockerHost !== '' && dockerHost !== 'unix:///var/run/docker.sock') return `DOCKER_HOST=${dockerHost} names an engine of your own`;
  if (host.platform !== 'linux') return `this is ${host.platform}, the script is for Linux`;
  if (host.uid !== 0) return 'installing or starting dockerd needs root';
  if (!host.exists(SCRIPT)) return `${SCRIPT} is missing`;
  if (!['/usr/bin/apt-get', '/usr/bin/dockerd', '/usr/sbin/dockerd'].some(host.exists)) return 'neither apt-get nor dockerd is on this machine';
  return true;
}
