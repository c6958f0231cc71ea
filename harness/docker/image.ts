// Which Kafka image a cluster runs, and building the project's own when it is missing.
// The build itself is scripts/build-kafka-image.sh (mmdebstrap, Maven, docker commit): shell is the
// natural language for that pipeline; this module decides when to call it and maps its exit codes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT, harnessError } from '../cli/exit-codes.ts';
import { dockerode } from './engine.ts';

import { DEFAULT_KAFKA_VERSION } from './versions.ts';

export { DEFAULT_KAFKA_VERSION, KAFKA_3_VERSION } from './versions.ts';
/** The base image (Debian + JRE + iptables) also runs the short-lived firewall helpers. */
export const BASE_IMAGE = process.env['KAFKA_EOS_BASE_IMAGE'] ?? 'kafka-eos-base:bookworm-jre17-v1';

const buildScript = fileURLToPath(new URL('../../scripts/build-kafka-image.sh', import.meta.url));

export const ownImageTag = (version: string) => `kafka-eos-kafka:${version}-v1`;

export interface KafkaImage {
  name: string;
  version: string;
  /** True when the user chose the image with KAFKA_IMAGE (e.g. apache/kafka:4.1.0). */
  external: boolean;
}

/**
 * Resolves the image for a Kafka version, building the project's own when it is missing.
 * KAFKA_IMAGE overrides the choice; such an image must already be present, since nothing can be pulled.
 */
export async function ensureKafkaImage(version = DEFAULT_KAFKA_VERSION, log = defaultLog): Promise<KafkaImage> {
  const chosen = process.env['KAFKA_IMAGE'];
  if (chosen) {
    if (!(await imageExists(chosen))) {
      throw harnessError(`KAFKA_IMAGE=${chosen} is not in the local Docker image store and no registry can be reached; ` +
        `fix: load it (docker load/pull where you have a registry) or unset KAFKA_IMAGE to use the project's own image`);
    }
    await ensureBaseImage(log);
    return { name: chosen, version: versionFromTag(chosen) ?? version, external: true };
  }
  const tag = ownImageTag(version);
  if (!(await imageExists(tag)) || !(await imageExists(BASE_IMAGE))) await runBuild(version, log);
  return { name: tag, version, external: false };
}

async function ensureBaseImage(log: (line: string) => void): Promise<void> {
  if (!(await imageExists(BASE_IMAGE))) await runBuild(DEFAULT_KAFKA_VERSION, log);
}

export async function imageExists(name: string): Promise<boolean> {
  try {
    await (await dockerode()).getImage(name).inspect();
    return true;
  } catch (error) {
    if (error instanceof CliError) throw error;
    return false;
  }
}

function runBuild(version: string, log: (line: string) => void): Promise<void> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    return Promise.reject(new CliError(`unknown Kafka version '${version}': expected a release such as ${DEFAULT_KAFKA_VERSION}`, EXIT.usage));
  }
  log(`building Kafka ${version} image (once; cached by Docker afterwards)`);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [buildScript, version], { stdio: ['ignore', 'ignore', 'pipe'] });
    const tail: string[] = [];
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        log(line);
      }
    });
    child.on('error', (error) => reject(harnessError(`could not run ${buildScript}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const detail = tail.slice(-6).join('\n  ');
      // The script exits 2 when Maven says the version does not exist: that is the user's input.
      reject(new CliError(`building the Kafka ${version} image failed:\n  ${detail}`, code === 2 ? EXIT.usage : EXIT.harnessError));
    });
  });
}

function versionFromTag(image: string): string | undefined {
  return /:(\d+\.\d+\.\d+)/.exec(image)?.[1];
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}
