// kafkajs' admin client as the harness' own tool (topics, a group's committed offsets), whichever
// client library is under test: setting up and reading back is the harness' job, not the client's.
import kafkajs, { type Admin, type Kafka, type KafkaConfig } from 'kafkajs';
import type { Writable } from 'node:stream';
import type { Key, Offset } from '../../../jepsen-style/history.ts';
import type { KeyPartition } from '../../workload/program.ts';

const { Kafka: KafkaClient, logLevel } = kafkajs;

/** A kafkajs Kafka object whose log lines go to `log` (kafka/client.log). */
export function kafkajsKafka(brokers: string[], log: Writable, extra: Partial<KafkaConfig> = {}): Kafka {
  return new KafkaClient({
    clientId: 'kafka-eos', brokers, connectionTimeout: 3_000, requestTimeout: 10_000,
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, label, log: entry }) => {
      log.write(`${entry.timestamp} ${label} [${namespace}] ${entry.message}${entry.error ? `: ${entry.error}` : ''}\n`);
    },
    ...extra,
  });
}

/** A group's committed offsets (next offset to read) by key; keys without one are missing. */
export async function groupOffsets(admin: Admin, keys: readonly KeyPartition[], groupId: string): Promise<Map<Key, Offset>> {
  const keyOf = new Map(keys.map((k) => [`${k.topic}/${k.partition}`, k.key]));
  const topics = [...new Set(keys.map((k) => k.topic))];
  const result = new Map<Key, Offset>();
  const fetched = await admin.fetchOffsets({ groupId, topics });
  for (const t of fetched) {
    for (const p of t.partitions) {
      const key = keyOf.get(`${t.topic}/${p.partition}`);
      if (key !== undefined && Number(p.offset) >= 0) result.set(key, Number(p.offset));
    }
  }
  return result;
}
