// Runs once before the integration tests: they need a Docker engine and the Kafka image. On a fresh
// machine (CI's) no engine runs yet: the harness provisions one itself, through the very code `run` and
// `cluster up` use (docker/provision.ts), so CI proves the quick start's first run. An engine that
// cannot be had fails the run with the fix, never a silent skip (CI must not pass without real Kafka).
import { ensureKafkaImage, DEFAULT_KAFKA_VERSION } from '../../harness/docker/image.ts';
import { NO_DOCKER_FIX } from '../../harness/docker/engine.ts';
import { ensureDockerEngine } from '../../harness/docker/provision.ts';
import { sweepLeftovers } from '../../harness/docker/sweep.ts';

export default async function setup(): Promise<void> {
  try {
    await ensureDockerEngine((line) => process.stderr.write(`${line}\n`));
  } catch (error) {
    throw new Error(`Integration tests need a real Docker engine and none answers (${(error as Error).message}). Fix: ${NO_DOCKER_FIX}.`);
  }
  await sweepLeftovers();
  const started = Date.now();
  const image = await ensureKafkaImage(DEFAULT_KAFKA_VERSION, (line) => process.stderr.write(`${line}\n`));
  process.stderr.write(`Kafka image ready: ${image.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
