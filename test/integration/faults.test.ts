// Each fault primitive is proven by its effect on the real cluster, not by a command's exit status:
// leaders move, ISRs shrink and recover, brokers drop out and rejoin, transactions still commit.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startCluster, type KafkaCluster } from '../../harness/cluster/cluster.ts';
import { dockerode } from '../../harness/docker/engine.ts';
import { runInNetworkNamespace } from '../../harness/faults/docker-netns.ts';
import { INTERNAL_PORT, nodeAlias } from '../../harness/cluster/node-config.ts';
import { allInSync, commitTransaction, createTopic, eventually, kafkaClient, partitionState } from './support.ts';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3 });
  await createTopic(cluster, 'faults', 1);
});

afterAll(async () => {
  await cluster?.stop();
});

// Each test starts from a whole cluster: no fault left over, every replica of every partition in sync
// (killing a node while another still lags would leave partitions below min ISR, a different test).
beforeEach(async () => {
  await eventually('every partition fully in sync', () => allInSync(cluster), (lagging) => lagging.length === 0, 120_000);
});

afterEach(async () => {
  await cluster.faults.healAll();
});

async function stateSeenBy(topic: string, unreachable: number[]) {
  const admin = kafkaClient(cluster, { unreachable }).admin();
  await admin.connect();
  try {
    return await partitionState(admin, topic);
  } finally {
    await admin.disconnect();
  }
}

async function registeredBrokers(unreachable: number[]): Promise<number[]> {
  const admin = kafkaClient(cluster, { unreachable }).admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort();
  } finally {
    await admin.disconnect();
  }
}

/** Can `from` open a TCP connection to `to`'s internal listener? Asked inside from's network namespace. */
async function canReach(from: number, to: number): Promise<boolean> {
  const script = `timeout 3 bash -c '</dev/tcp/${nodeAlias(to)}/${INTERNAL_PORT}' && echo REACHED || echo BLOCKED`;
  return (await runInNetworkNamespace(cluster.node(from).container.getId(), cluster.id, script)).includes('REACHED');
}

function hostCanConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => {
      // Docker's proxy accepts on the host side even when the node drops the traffic: only a reply
      // from Kafka proves the path. Send an ApiVersions v0 request and wait for any answer.
      socket.write(Buffer.from('0000000e001200000000000100046b656f73', 'hex'));
    });
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

// First in the file, on a cluster no earlier test restarted: in the full file after the kill test, the
// freshly restarted node's SIGTERM once went unanswered for the whole grace (docs/bug-finding.md; not seen
// in 4 tries of SIGTERM within 0-5 s of 'Kafka Server started' on a cluster of its own, 2026-12-07).
describe('leader-move', () => {
  it('a controlled shutdown ends the broker by SIGTERM and its leadership moves; the rejoin\'s preferred election hands it back', async () => {
    const container = async (id: number) => (await dockerode()).getContainer(cluster.node(id).container.getId()).inspect();
    const admin = kafkaClient(cluster).admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: ['faults'] }).finally(() => admin.disconnect());
    const preferred = topics[0]!.partitions[0]!.replicas[0]!;
    await eventually('the preferred replica leading', () => stateSeenBy('faults', []), (s) => s.leader === preferred);

    await cluster.faults.inject({ f: 'start-leader-move', value: { nodes: [preferred] } });
    expect((await container(preferred)).State).toMatchObject({ Running: false });
    // SIGTERM ended it, not the grace period's SIGKILL (once, in the full file under a load average of 24, the
    // shutdown outlasted the 60 s grace: the broker's last words then say where it waited).
    const exit = (await container(preferred)).State.ExitCode;
    expect(exit, exit === 137 ? await cluster.logs(preferred, 60) : '').not.toBe(137);
    // Usually moved by the shutdown itself within 3 s (the first run of this test, alone); in the full file
    // it once was still on the stopped node 3 s after its exit (a kill's successor waits for the 9 s
    // session timeout), so this waits for the move, bounded by that timeout and a margin.
    await eventually('a new leader', () => stateSeenBy('faults', [preferred]), (s) => s.leader > 0 && s.leader !== preferred, 15_000);
    expect(cluster.faults.state().stopped).toEqual([preferred]);

    await cluster.faults.inject({ f: 'stop-leader-move', value: { nodes: [preferred] } });
    expect((await container(preferred)).State).toMatchObject({ Running: true });
    // The election ran once the node was back in sync (it retries until then): no waiting here.
    await eventually('the preferred replica leading again', () => stateSeenBy('faults', []), (s) => s.leader === preferred && s.isr.length === 3, 5_000);
  });
});

describe('partition', () => {
  it('isolating the leader of a partition: the majority elects a new leader; after heal the old one catches up', async () => {
    const before = await stateSeenBy('faults', []);
    expect(before.isr).toEqual([1, 2, 3]);
    const isolated = before.leader;
    const majority = [1, 2, 3].filter((n) => n !== isolated);

    await cluster.faults.partition({ kind: 'one', isolated });
    expect(await canReach(majority[0]!, isolated)).toBe(false);
    expect(await canReach(majority[0]!, majority[1]!)).toBe(true);

    const during = await eventually('a new leader in the majority', () => stateSeenBy('faults', [isolated]),
      (s) => s.leader !== isolated && s.leader > 0);
    expect(majority).toContain(during.leader);
    await eventually('the ISR to shrink to the majority', () => stateSeenBy('faults', [isolated]),
      (s) => !s.isr.includes(isolated));
    // The majority still commits transactions (RF 3, min ISR 2).
    await commitTransaction(cluster, 'faults', 'during-partition', ['a', 'b'], [isolated]);

    await cluster.faults.heal();
    expect(await canReach(majority[0]!, isolated)).toBe(true);
    const after = await eventually('the isolated node back in the ISR', () => stateSeenBy('faults', []),
      (s) => s.isr.length === 3);
    expect(after.isr).toEqual([1, 2, 3]);
  });

  it('majorities ring and arbitrary groupings cut exactly the links they name', async () => {
    await cluster.faults.partition({ kind: 'majorities-ring' }); // 3 nodes: the bridge 1 - 2 - 3
    expect([await canReach(1, 2), await canReach(2, 3), await canReach(1, 3), await canReach(3, 1)]).toEqual([true, true, false, false]);
    await cluster.faults.partition({ kind: 'groups', groups: [[1, 3], [2]] });
    expect([await canReach(1, 3), await canReach(1, 2), await canReach(3, 2)]).toEqual([true, false, false]);
    await cluster.faults.heal();
    expect([await canReach(1, 2), await canReach(2, 3), await canReach(1, 3)]).toEqual([true, true, true]);
  });

  it('client isolation cuts the harness off from chosen nodes only', async () => {
    const port = (id: number) => Number(cluster.node(id).bootstrap.split(':')[1]);
    expect(await hostCanConnect(port(2))).toBe(true);
    await cluster.faults.isolateClient([2]);
    expect(await hostCanConnect(port(2))).toBe(false);
    expect(await hostCanConnect(port(1))).toBe(true);
    expect(await canReach(1, 2)).toBe(true); // nodes still talk to each other
    await cluster.faults.heal();
    expect(await hostCanConnect(port(2))).toBe(true);
  });
});

describe('kill and restart', () => {
  it('serves transactions with one node SIGKILLed, and the node rejoins after restart', async () => {
    const victim = (await stateSeenBy('faults', [])).leader;
    await cluster.faults.kill(victim);
    expect(cluster.faults.state().killed).toEqual([victim]);
    const alive = [1, 2, 3].filter((n) => n !== victim);
    await eventually('the killed node to leave the ISR', () => stateSeenBy('faults', [victim]), (s) => !s.isr.includes(victim));
    await commitTransaction(cluster, 'faults', 'one-node-down', ['c'], [victim]);
    expect(await registeredBrokers([victim])).toEqual(alive);

    await cluster.faults.restart(victim);
    await eventually('the restarted node registered', () => registeredBrokers([]), (b) => b.length === 3);
    await eventually('the restarted node back in the ISR', () => stateSeenBy('faults', []), (s) => s.isr.length === 3);
  });
});

describe('pause and resume', () => {
  it('a paused node is fenced by the controller and comes back after resume', async () => {
    const victim = 3;
    await cluster.faults.pause(victim);
    await eventually('the paused broker dropped from the registered brokers', () => registeredBrokers([victim]),
      (b) => !b.includes(victim));
    await commitTransaction(cluster, 'faults', 'one-node-paused', ['d'], [victim]);
    await cluster.faults.resume(victim);
    await eventually('the resumed broker registered again', () => registeredBrokers([]), (b) => b.includes(victim));
    await eventually('the resumed node back in the ISR', () => stateSeenBy('faults', []), (s) => s.isr.length === 3);
  });

  it('kill and pause overlap (the families run independently): a paused node is killed for real, pausing a killed one is a no-op', async () => {
    const victim = 2;
    const container = async () => (await dockerode()).getContainer(cluster.node(victim).container.getId()).inspect();
    await cluster.faults.pause(victim);
    await cluster.faults.kill(victim);
    expect((await container()).State).toMatchObject({ Running: false, Paused: false });
    await cluster.faults.pause(victim); // a no-op on a dead node, not an error
    expect(cluster.faults.state()).toMatchObject({ killed: [victim], paused: [] });
    await cluster.faults.restart(victim);
    expect((await container()).State).toMatchObject({ Running: true, Paused: false });
    await eventually('the restarted node registered', () => registeredBrokers([]), (b) => b.length === 3);
  });
});
