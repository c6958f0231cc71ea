// The one place that obtains a Docker client. A missing engine is the most common first-run problem,
// so it becomes a harness error (exit 3) that says how to fix it, never a stack trace.
import './env.ts';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import type Dockerode from 'dockerode';
import { existsSync } from 'node:fs';
import { harnessError } from '../cli/exit-codes.ts';

let cached: Promise<ContainerRuntimeClient> | undefined;

export const NO_DOCKER_FIX =
  'start a Docker engine: as root, run `scripts/provision-docker.sh` (installs Debian\'s docker.io if needed and starts dockerd)';

export function dockerClient(): Promise<ContainerRuntimeClient> {
  cached ??= checkDockerHost().then(() => getContainerRuntimeClient()).catch((error: unknown) => {
    cached = undefined;
    throw harnessError(`no Docker engine answers (${firstLine(error)}); fix: ${NO_DOCKER_FIX}`);
  });
  return cached;
}

export async function dockerode(): Promise<Dockerode> {
  return (await dockerClient()).container.dockerode;
}

/**
 * testcontainers silently falls back to /var/run/docker.sock when DOCKER_HOST does not answer; a user
 * who set DOCKER_HOST meant that engine, so a socket that is not there is an error, not a hint.
 */
async function checkDockerHost(): Promise<void> {
  const host = process.env['DOCKER_HOST'];
  if (!host?.startsWith('unix://')) return;
  const path = host.slice('unix://'.length);
  if (!existsSync(path)) throw new Error(`DOCKER_HOST=${host}, but ${path} does not exist`);
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? 'unknown error';
}
