// The one place that obtains a Docker client. A missing engine is the most common first-run problem,
// so it becomes a harness error (exit 3) that says how to fix it, never a stack trace.
import './env.ts';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import type Dockerode from 'dockerode';
import { harnessError } from '../cli/exit-codes.ts';

let cached: Promise<ContainerRuntimeClient> | undefined;

export const NO_DOCKER_FIX =
  'start a Docker engine: as root, run `scripts/provision-docker.sh` (installs Debian\'s docker.io if needed and starts dockerd)';

export function dockerClient(): Promise<ContainerRuntimeClient> {
  cached ??= getContainerRuntimeClient().catch((error: unknown) => {
    cached = undefined;
    throw harnessError(`no Docker engine answers (${firstLine(error)}); fix: ${NO_DOCKER_FIX}`);
  });
  return cached;
}

export async function dockerode(): Promise<Dockerode> {
  return (await dockerClient()).container.dockerode;
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? 'unknown error';
}
