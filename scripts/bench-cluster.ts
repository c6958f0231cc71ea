// Benchmark: how long the foundation takes on this machine.
//   image build from an empty Docker cache (the project's images removed first; Maven's cache kept
//   unless --empty-maven-cache), and cluster cold start with the image cached (start → committed probe
//   transaction), repeated. Prints figures; asserts nothing.
// Usage: npx tsx scripts/bench-cluster.ts [--build] [--empty-maven-cache] [--starts 3] [--kafka-version V]
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../harness/cluster/cluster.ts';
import { BASE_IMAGE, DEFAULT_KAFKA_VERSION, ensureKafkaImage, ownImageTag } from '../harness/docker/image.ts';
import { dockerode } from '../harness/docker/engine.ts';

const { values } = parseArgs({
  options: {
    build: { type: 'boolean', default: false },
    'empty-maven-cache': { type: 'boolean', default: false },
    starts: { type: 'string', default: '3' },
    'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION },
  },
});
const version = values['kafka-version']!;
const seconds = (since: number) => (Date.now() - since) / 1000;

if (values.build) {
  const docker = await dockerode();
  for (const image of [ownImageTag(version), BASE_IMAGE]) {
    await docker.getImage(image).remove({ force: true }).catch(() => undefined);
  }
  let mavenRepo: string | undefined;
  if (values['empty-maven-cache']) {
    mavenRepo = mkdtempSync(join(tmpdir(), 'kafka-eos-m2-'));
    process.env['MAVEN_OPTS'] = `${process.env['MAVEN_OPTS'] ?? ''} -Dmaven.repo.local=${mavenRepo}`;
  }
  const started = Date.now();
  await ensureKafkaImage(version, () => undefined);
  console.log(`image build (Kafka ${version}, empty Docker cache${mavenRepo ? ', empty Maven cache' : ', Maven cache kept'}): ${seconds(started).toFixed(1)} s`);
  if (mavenRepo) rmSync(mavenRepo, { recursive: true, force: true });
}

const runs: number[] = [];
for (let i = 0; i < Number(values.starts); i++) {
  const started = Date.now();
  const cluster = await startCluster({ nodes: 3, kafkaVersion: version });
  runs.push(seconds(started));
  console.log(`cold start ${i + 1}: ${runs.at(-1)!.toFixed(1)} s (3 nodes, Kafka ${version}, until a transaction commits)`);
  await cluster.stop();
}
if (runs.length > 0) {
  const sorted = [...runs].sort((a, b) => a - b);
  console.log(`cold start median: ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} s, max ${sorted.at(-1)!.toFixed(1)} s over ${runs.length}`);
}
