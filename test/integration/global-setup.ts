// Runs once before the integration tests: they need a Docker engine and the Kafka image. A missing
// engine fails the run with the fix, never a silent skip (CI must not pass without real Kafka).
import { execFileSync } from 'node:child_process';
import { ensureKafkaImage, DEFAULT_KAFKA_VERSION } from '../../harness/docker/image.ts';
import { dockerClient, NO_DOCKER_FIX } from '../../harness/docker/engine.ts';
import { sweepLeftovers } from '../../harness/docker/sweep.ts';

export default async function setup(): Promise<void> {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 });
    await dockerClient();
  } catch {
    throw new Error(`Integration tests need a real Docker engine and none answers. Fix: ${NO_DOCKER_FIX}.`);
  }
  await sweepLeftovers();
  const started = Date.now();
  const image = await ensureKafkaImage(DEFAULT_KAFKA_VERSION, (line) => process.stderr.write(`${line}\n`));
  process.stderr.write(`Kafka image ready: ${image.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
