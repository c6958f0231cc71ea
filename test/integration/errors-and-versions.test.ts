// Bad input and failures end with a message that names the problem and the fix, a distinct exit
// code, and nothing left behind in Docker. And the 3.9 line builds and runs, for the TV1/TV2 matrix.
import { beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { startCluster } from '../../harness/cluster/cluster.ts';
import { KAFKA_3_VERSION, BASE_IMAGE } from '../../harness/docker/image.ts';
import { LABEL } from '../../harness/docker/labels.ts';
import { dockerode } from '../../harness/docker/engine.ts';
import { sweepLeftovers } from '../../harness/docker/sweep.ts';
import { harnessResources, commitTransaction, createTopic } from './support.ts';

const CLI = ['bin/kafka-eos.js'];

// Every test here asserts that it left nothing behind; start each from a clean slate, so that one
// failure does not show up again as leftovers in the next.
beforeEach(async () => {
  await sweepLeftovers({ includeKept: true });
});

describe('Kafka versions', () => {
  it(`builds the ${KAFKA_3_VERSION} image and runs a 3-node cluster that commits transactions`, async () => {
    const cluster = await startCluster({ nodes: 3, kafkaVersion: KAFKA_3_VERSION });
    try {
      expect(cluster.image.name).toContain(KAFKA_3_VERSION);
      await createTopic(cluster, 'v3', 1);
      await commitTransaction(cluster, 'v3', 'v3-txn', ['x']);
    } finally {
      await cluster.stop();
    }
    expect(await harnessResources()).toEqual([]);
  });

  it('an unknown Kafka version is a usage error (exit 2) that names the version and quotes Maven', () => {
    const run = spawnSync('node', [...CLI, 'cluster', 'up', '--kafka-version', '9.8.7'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Kafka version '9\.8\.7' does not resolve on Maven Central/);
    expect(run.stderr).toMatch(/Could not find artifact org\.apache\.kafka:kafka_2\.13:jar:9\.8\.7/);
  });
});

describe('failures', () => {
  it('no Docker engine: exit 3 with the fix', () => {
    const run = spawnSync('node', [...CLI, 'cluster', 'up'], {
      encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/no Docker engine answers \(DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock, but/);
    expect(run.stderr).toMatch(/scripts\/provision-docker\.sh/);
  });

  it('a node that never becomes ready: its last log lines in the error, everything torn down', async () => {
    const attempt = startCluster({ nodes: 3, startupTimeoutMs: 60_000, brokerOverrides: { 'num.network.threads': 'many' } });
    await expect(attempt).rejects.toThrow(/did not start[\s\S]*last log lines of node[\s\S]*num\.network\.threads/);
    expect(await harnessResources()).toEqual([]);
  });

  it('Ctrl-C during `cluster up` leaves nothing behind', async () => {
    const child = spawn('node', [...CLI, 'cluster', 'up'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    await new Promise<void>((resolve) => child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('starting 3 Kafka')) resolve();
    }));
    await new Promise((r) => setTimeout(r, 3_000)); // containers are being created and started now
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(await harnessResources()).toEqual([]);
  });

  it('the sweep removes leftovers of a dead run and spares kept clusters until `cluster down`', async () => {
    const dead = spawnSync('true').pid!; // a pid that existed and is gone
    const docker = await dockerode();
    const labels = (keep: boolean) => ({
      [LABEL.role]: 'node', [LABEL.cluster]: `sweep-test-${keep}`, [LABEL.ownerPid]: String(dead), [LABEL.ownerHost]: hostname(),
      ...(keep ? { [LABEL.keep]: 'true' } : {}),
    });
    for (const keep of [false, true]) {
      await docker.createContainer({ Image: BASE_IMAGE, Cmd: ['true'], Labels: labels(keep), name: `kafka-eos-sweep-test-${keep}` });
    }
    await sweepLeftovers();
    expect(await harnessResources()).toEqual(['/kafka-eos-sweep-test-true']);
    const down = spawnSync('node', [...CLI, 'cluster', 'down'], { encoding: 'utf8' });
    expect(down.status).toBe(0);
    expect(down.stdout).toContain('kafka-eos-sweep-test-true');
    expect(await harnessResources()).toEqual([]);
  });
});
