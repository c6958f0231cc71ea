// Which transaction protocol a client really runs, seen in the client's own producer state (the epoch
// the Java driver reads from KafkaProducer's TransactionManager after every op): under transaction
// version 2 (KIP-890 part 2) every commit or abort bumps the epoch; under version 1 it never moves.
// kafka-clients 4.4.0 against Kafka 4.4.0 runs version 2; against 3.9.2, and kafka-clients 3.9.1
// against 4.4.0 (KAFKA-17754's exposure), version 1. verdict.json's clientTxnVersion comes from the same.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startCluster } from '../../harness/cluster/cluster.ts';
import { createTopic } from './support.ts';
import { clientKindOf } from '../../harness/clients/registry.ts';
import type { OpResult } from '../../harness/clients/client.ts';
import type { TxnState } from '../../harness/clients/driver/protocol.ts';

async function epochsOverCommits(kafkaVersion: string, clientVersion: string): Promise<{ versions: number[]; epochs: number[] }> {
  const cluster = await startCluster({ nodes: 3, kafkaVersion, log: () => {} });
  try {
    const log = new PassThrough().resume();
    // Through support's helper: a broker the new topic's metadata has not reached yet answers
    // UNKNOWN_TOPIC_OR_PARTITION for a moment, which kafkajs' own waitForLeaders does not retry.
    await createTopic(cluster, 'tv', 1);
    const kind = clientKindOf({ name: 'java', version: clientVersion });
    await kind.prepare(() => {});
    const clients = await kind.start({
      bootstrapServers: cluster.brokers, keys: [{ key: 0, topic: 'tv', partition: 0 }], copyTo: new Map(), topicKeys: (k) => [...k],
      readCommitted: true, idempotent: true, offsetsOutsideTxn: false, opTimeoutMs: 20_000, pollMs: 100, log,
    }, 1);
    try {
      const p = clients.open(0, { process: 0, transactionalId: 'tv-probe', groupId: 'tv' });
      const states: TxnState[] = [];
      for (const [i, abort] of [false, false, true, false].entries()) {
        const op = { f: 'txn' as const, value: [['send', 0, i + 1] as ['send', number, number]], abort };
        const r = await p.execute(op, op.value) as OpResult & { txn?: TxnState };
        expect(r.type, r.error).toBe(abort ? 'fail' : 'ok');
        states.push(r.txn!);
      }
      expect(clients.transactionVersion()).toBe(states[0]!.version);
      return { versions: states.map((s) => s.version), epochs: states.map((s) => s.epoch!) };
    } finally {
      await clients.close();
    }
  } finally {
    await cluster.stop();
  }
}

describe('the transaction version a client runs, from its own state', () => {
  it('kafka-clients 4.4.0 on Kafka 4.4.0: version 2, the epoch bumps on every commit and abort', async () => {
    const { versions, epochs } = await epochsOverCommits('4.4.0', '4.4.0');
    expect(versions).toEqual([2, 2, 2, 2]);
    expect(epochs.slice(1).map((e, i) => e - epochs[i]!)).toEqual([1, 1, 1]);
  });

  it('kafka-clients 4.4.0 on Kafka 3.9.2: version 1, one epoch for every transaction', async () => {
    const { versions, epochs } = await epochsOverCommits('3.9.2', '4.4.0');
    expect(versions).toEqual([1, 1, 1, 1]);
    expect(new Set(epochs).size).toBe(1);
  });

  it('kafka-clients 3.9.1 on Kafka 4.4.0: version 1 (the client never asks for 2)', async () => {
    const { versions, epochs } = await epochsOverCommits('4.4.0', '3.9.1');
    expect(versions).toEqual([1, 1, 1, 1]);
    expect(new Set(epochs).size).toBe(1);
  });
});
