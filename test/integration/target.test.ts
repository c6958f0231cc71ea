// An existing cluster as the target (issue 14): a cluster started by `kafka-eos cluster up --ssh --sasl`
// (SSH servers on the nodes; a SASL PLAIN listener guarded by StandardAuthorizer, users admin, alice with
// the documented prefixed ACLs, bob with none) is verified through --bootstrap and --client-config only,
// with faults made only through SSH. Each run must clean its namespace up, runs sharing the cluster must
// not see each other, and every refusal must say why (exit 2 or 3) and leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import kafkajs, { type Admin } from 'kafkajs';
import { sweepLeftovers } from '../../harness/docker/sweep.ts';

const CLI = 'bin/kafka-eos.js';
const { Kafka, logLevel } = kafkajs;

interface Bed {
  dir: string;
  bootstrap: string;
  clusterId: string;
  env: NodeJS.ProcessEnv;
  nodes: string[];
  admin: Admin;
}
let bed: Bed;

interface Ran { status: number | null; stdout: string; stderr: string }

function cli(args: string[], env: NodeJS.ProcessEnv = bed.env): Ran {
  const r = spawnSync('node', [CLI, ...args], { encoding: 'utf8', env, timeout: 400_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cliAsync(args: string[], env: NodeJS.ProcessEnv = bed.env): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('node', [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function onNode(host: string, command: string): string {
  const r = spawnSync('ssh', ['-i', path.join(bed.dir, 'ssh', 'id_ed25519'), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', `root@${host}`, command], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`ssh ${host} '${command}': exit ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

const verdictOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as Record<string, any>;
const outDir = (name: string) => path.join(bed.dir, 'runs', name);
const userTopics = async () => (await bed.admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
const userGroups = async () => (await bed.admin.listGroups()).groups.map((g) => g.groupId).sort();
const asAlice = ['--bootstrap', '', '--client-config', ''];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-target-'));
  const up = spawnSync('node', [CLI, 'cluster', 'up', '--ssh', path.join(dir, 'ssh'), '--sasl', path.join(dir, 'sasl')], { encoding: 'utf8', timeout: 300_000 });
  const clusterId = /cluster (kafka-eos-\S+):/.exec(up.stdout)?.[1];
  if (up.status !== 0 || !clusterId) throw new Error(`cluster up failed (exit ${up.status}): ${up.stderr.slice(-2000)}`);
  const bootstrap = up.stdout.trim().split('\n').at(-1)!;
  const passwords = Object.fromEntries(fs.readFileSync(path.join(dir, 'sasl', 'passwords.env'), 'utf8').trim().split('\n')
    .map((l) => /^export (\w+)=(.*)$/.exec(l)!.slice(1, 3) as [string, string]));
  const nodes = (JSON.parse(fs.readFileSync(path.join(dir, 'ssh', 'nodes.json'), 'utf8')) as { nodes: Array<{ host: string }> }).nodes.map((n) => n.host);
  const admin = new Kafka({ clientId: 'target-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', username: 'admin', password: passwords['KAFKA_EOS_ADMIN_PASSWORD']! } }).admin();
  await admin.connect();
  bed = { dir, bootstrap, clusterId, env: { ...process.env, ...passwords }, nodes, admin };
  asAlice.splice(0, 4, '--bootstrap', bootstrap, '--client-config', path.join(dir, 'sasl', 'alice.properties'));
});

afterAll(async () => {
  await bed?.admin.disconnect().catch(() => undefined);
  if (bed) await sweepLeftovers({ clusterId: bed.clusterId });
});

describe('kafka-eos run --bootstrap against a cluster of `cluster up`', () => {
  it('runs with faults made only through SSH, records them, heals, and removes its namespace', () => {
    const out = outDir('ssh-faults');
    const run = cli(['run', '--seed', '3', '--target', 'kafka', '--time-limit', '24', ...asAlice, '--faults', 'ssh', '--nodes-file', path.join(bed.dir, 'ssh', 'nodes.json'),
      '--nemesis', 'partition,kill,pause', '--nemesis-interval', '3', '--client-fix', 'abort-filter', '--out', out]);
    expect(run.status, run.stderr.slice(-3000)).toBeOneOf([0, 1, 4]);
    const v = verdictOf(out);
    expect(v['complete']).toBe(true);
    expect(v['cluster']).toMatchObject({
      kind: 'external', bootstrap: bed.bootstrap.split(','), faults: 'ssh', brokers: 3, replication: 3, keptTopics: false,
      clientConfig: { securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'PLAIN', tls: false },
      namespace: expect.stringMatching(/^kafka-eos-3-[0-9a-z]+-[0-9a-f]{6}-$/) as unknown,
      cleanup: { topics: 5, problems: [] },
    });
    expect(v['repro']).toContain(`--bootstrap ${bed.bootstrap} --client-config ${path.join(bed.dir, 'sasl', 'alice.properties')} --faults ssh --nodes-file`);

    // Every fault of the schedule (and the final heal) was applied through SSH without an error.
    const program = JSON.parse(fs.readFileSync(path.join(out, 'program.json'), 'utf8')) as { nemesis: { schedule: Array<{ op: { f: string } }> } };
    const history = fs.readFileSync(path.join(out, 'kafka', 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const applied = history.filter((e) => e['process'] === 'nemesis' && e['type'] === 'info');
    const families = new Set(program.nemesis.schedule.map((e) => e.op.f));
    expect([...families].sort()).toEqual(expect.arrayContaining(['kill', 'pause', 'start-partition']));
    for (const f of families) expect(applied.filter((e) => e['f'] === f).length, f).toBeGreaterThan(0);
    expect(applied.filter((e) => e['error'] !== undefined)).toEqual([]);

    // The kills were real: the brokers that were killed logged a second start, through the start template.
    const killed = new Set(history.filter((e) => e['f'] === 'kill' && e['type'] === 'info').flatMap((e) => (e['value'] as { nodes: number[] }).nodes));
    const starts = bed.nodes.map((_, i) => spawnSync('docker', ['logs', `${bed.clusterId}-kafka-${i + 1}`], { encoding: 'utf8' }))
      .map((r) => (r.stdout + r.stderr).split('Kafka Server started').length - 1);
    for (const n of killed) expect(starts[n - 1], `node ${n} started again`).toBeGreaterThanOrEqual(2);

    // Healed and let go: no chain of ours on any node, every broker running and not stopped.
    for (const host of bed.nodes) {
      expect(onNode(host, 'iptables -S | grep -c KAFKA_EOS || true')).toBe('0');
      expect(onNode(host, "ps -o stat= -p $(pgrep -f '[k]afka\\.Kafka')")).toMatch(/^[^T]+$/);
    }
    // Nothing of the namespace is left, and no credential reached a file of the run.
    return (async () => {
      expect((await userTopics()).filter((t) => t.startsWith(v['cluster'].namespace))).toEqual([]);
      expect((await userGroups()).filter((g) => g.startsWith(v['cluster'].namespace))).toEqual([]);
      const secret = bed.env['KAFKA_EOS_ALICE_PASSWORD']!;
      expect(filesUnder(out).filter((f) => fs.readFileSync(f).includes(secret))).toEqual([]);
      expect(run.stdout + run.stderr).not.toContain(secret);
    })();
  });

  it('Ctrl-C in the middle of a fault heals it through SSH and removes the namespace', async () => {
    const out = outDir('interrupted');
    const history = path.join(out, 'kafka', 'history.jsonl');
    const child = spawn('node', [CLI, 'run', '--seed', '3', '--target', 'kafka', '--time-limit', '60', ...asAlice, '--faults', 'ssh',
      '--nodes-file', path.join(bed.dir, 'ssh', 'nodes.json'), '--nemesis', 'kill,pause', '--nemesis-interval', '3', '--out', out], { env: bed.env, stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    const faulted = () => fs.existsSync(history) && fs.readFileSync(history, 'utf8').split('\n').filter(Boolean)
      .some((l) => { const e = JSON.parse(l) as Record<string, unknown>; return e['process'] === 'nemesis' && e['type'] === 'info' && (e['f'] === 'kill' || e['f'] === 'pause'); });
    try {
      for (let waited = 0; !faulted(); waited += 250) {
        if (waited > 120_000) throw new Error('no kill or pause was applied within 120 s');
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      child.kill('SIGINT');
    }
    const code = await closed;
    expect(code).toBe(130);
    expect(verdictOf(out)['complete']).toBe(false);
    for (const host of bed.nodes) expect(onNode(host, "ps -o stat= -p $(pgrep -f '[k]afka\\.Kafka')")).toMatch(/^[^T]+$/);
    expect((await userTopics()).filter((t) => t.startsWith('kafka-eos-3-'))).toEqual([]);
    expect((await userGroups()).filter((g) => g.startsWith('kafka-eos-3-'))).toEqual([]);
  });

  it('three runs at once on one cluster do not see each other nor a neighbour in the same prefix; --keep-topics keeps one namespace, and only it', async () => {
    const sentinel = 'kafka-eos-neighbour';
    await bed.admin.createTopics({ waitForLeaders: true, topics: [{ topic: sentinel, numPartitions: 1, replicationFactor: 3 }] });
    const producer = new Kafka({ clientId: 'target-test', brokers: bed.bootstrap.split(','), logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', username: 'admin', password: bed.env['KAFKA_EOS_ADMIN_PASSWORD']! } }).producer();
    await producer.connect();
    await producer.send({ topic: sentinel, messages: Array.from({ length: 5 }, (_, i) => ({ value: `n${i}` })) });
    await producer.disconnect();
    // Seed 13 keeps its namespace (--keep-topics): it must stay, whole, and be the only thing left.
    const runs = await Promise.all([11, 12, 13].map((seed) => cliAsync(['run', '--seed', String(seed), '--target', 'kafka', '--time-limit', '10', ...asAlice,
      '--client-fix', 'abort-filter', ...(seed === 13 ? ['--keep-topics'] : []), '--out', outDir(`parallel-${seed}`)])));
    runs.forEach((r, i) => expect(r.status, `seed ${11 + i}: ${r.stderr.slice(-2000)}`).toBe(0));
    const verdicts = [11, 12, 13].map((seed) => verdictOf(outDir(`parallel-${seed}`)));
    expect(verdicts.every((v) => v['valid'] === true && v['histories'].kafka.verdict.stats.ok > 50)).toBe(true);
    const namespaces = verdicts.map((v) => v['cluster'].namespace as string);
    expect(new Set(namespaces).size).toBe(3);
    expect(verdicts[2]!['cluster']).toMatchObject({ keptTopics: true });
    const kept = namespaces[2]!;
    const topics = await userTopics();
    expect(topics.filter((t) => t !== sentinel).every((t) => t.startsWith(kept))).toBe(true);
    const planned = (JSON.parse(fs.readFileSync(path.join(outDir('parallel-13'), 'program.json'), 'utf8')) as { topics: unknown[] }).topics.length;
    expect(topics.filter((t) => t.startsWith(kept)).length).toBe(planned + 1); // the program's topics and the probe
    const leftGroups = await userGroups();
    expect(leftGroups.filter((g) => !g.startsWith(kept)), `groups left outside the kept namespace ${kept}`).toEqual([]);
    const [offsets] = await bed.admin.fetchTopicOffsets(sentinel).then((o) => [o.map((p) => p.high)]);
    expect(offsets).toEqual(['5']);
    await bed.admin.deleteTopics({ topics });
    await bed.admin.deleteGroups(await userGroups());
  });

  it('each refusal says why, with its exit code, and leaves nothing behind', async () => {
    const topics = await userTopics();
    const groups = await userGroups();
    const sasl = (name: string) => path.join(bed.dir, 'sasl', name);
    const refused = (name: string, extra: string[], env: NodeJS.ProcessEnv = bed.env) =>
      cli(['run', '--seed', '1', '--target', 'kafka', '--time-limit', '3', '--out', outDir(`refused-${name}`), ...extra], env);

    const bob = refused('acl', ['--bootstrap', bed.bootstrap, '--client-config', sasl('bob.properties')]);
    expect(bob.status).toBe(3);
    expect(bob.stderr).toMatch(/refused ACLs while creating the run's topics: TOPIC_AUTHORIZATION_FAILED \(topic\) for User:bob\..*--allow-principal User:bob --operation All --resource-pattern-type prefixed/);

    fs.writeFileSync(sasl('wrong.properties'), 'security.protocol=SASL_PLAINTEXT\nsasl.username=alice\nsasl.password=${WRONG}\n');
    const wrong = refused('password', ['--bootstrap', bed.bootstrap, '--client-config', sasl('wrong.properties')], { ...bed.env, WRONG: 'not-her-password' });
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toMatch(/refused our credentials while connecting \(SASL PLAIN as alice, from --client-config .*wrong.properties\)/);

    const unset = refused('unset-env', asAlice, { ...bed.env, KAFKA_EOS_ALICE_PASSWORD: undefined });
    expect(unset.status).toBe(2);
    expect(unset.stderr).toMatch(/alice.properties line \d+: the environment variable KAFKA_EOS_ALICE_PASSWORD is not set/);

    const small = refused('replication', [...asAlice, '--replication', '4']);
    expect(small.status).toBe(3);
    expect(small.stderr).toMatch(/is too small for --replication 4: it has 3 broker\(s\)/);

    const unreachable = refused('unreachable', ['--bootstrap', 'localhost:1', '--client-config', sasl('alice.properties')]);
    expect(unreachable.status).toBe(3);
    expect(unreachable.stderr).toMatch(/cannot reach the cluster at localhost:1 while connecting: .*ECONNREFUSED/);

    for (const name of ['acl', 'password', 'replication', 'unreachable']) expect(verdictOf(outDir(`refused-${name}`))['outcome']).toBe('harness-error');
    expect(await userTopics()).toEqual(topics);
    expect(await userGroups()).toEqual(groups);
  });

  it('the Java and franz-go drivers reach the cluster through the same client config', () => {
    const out = outDir('drivers');
    const run = cli(['run', '--seed', '2', '--target', 'kafka', '--time-limit', '6', ...asAlice, '--client', 'java,franz-go', '--out', out]);
    expect(run.status, run.stderr.slice(-3000)).toBeOneOf([0, 1, 4]);
    for (const dir of fs.readdirSync(out).filter((d) => /^(java|franz-go)/.test(d))) {
      const v = verdictOf(path.join(out, dir));
      expect(v['harnessError'], dir).toBeUndefined();
      expect(v['histories'].kafka.verdict.stats.ok, `${dir}: ops that Kafka acknowledged`).toBeGreaterThan(20);
      expect(v['cluster']).toMatchObject({ kind: 'external', clientConfig: { saslMechanism: 'PLAIN' } });
    }
    expect(fs.readdirSync(out).filter((d) => /^(java|franz-go)/.test(d)).length).toBe(2);
  });
});
