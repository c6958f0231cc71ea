// The keyspace: which topics exist and which key stands for which topic-partition. It is a pure
// function of the options (no randomness), so a key means the same partition in every run with the
// same options, and a send always names its partition explicitly (never key-hash or round-robin:
// kafkajs recomputes round-robin partitions on retry, which would duplicate; deps.md 1.3).
import type { Key } from '../../jepsen-style/history.ts';
import type { ResolvedOptions } from './options.ts';
import type { KeyPartition, Topic } from './program.ts';

export interface Keyspace {
  topics: Topic[];
  keys: KeyPartition[];
  /** Keys idempotent and transactional workers write to. */
  dataKeys: Key[];
  /** Keys clients may read: every key, copier outputs included. */
  readableKeys: Key[];
  /** For copier i: `[inputKey, outputKey]` pairs, input topic `t{i}`, output topic `t{i}-copy`. */
  copierKeyMaps: Array<Array<[Key, Key]>>;
}

export const dataTopicName = (i: number) => `t${i}`;
export const copyTopicName = (i: number) => `t${i}-copy`;

export function buildKeyspace(o: ResolvedOptions): Keyspace {
  const topics: Topic[] = [];
  for (let i = 0; i < o.topics; i++) topics.push({ name: dataTopicName(i), partitions: o.partitions, use: 'data' });
  for (let i = 0; i < o.copiers; i++) topics.push({ name: copyTopicName(i), partitions: o.partitions, use: 'copier-output' });
  const keys: KeyPartition[] = [];
  for (const t of topics) {
    for (let p = 0; p < t.partitions; p++) keys.push({ key: keys.length, topic: t.name, partition: p });
  }
  const keysOf = (topic: string) => keys.filter((k) => k.topic === topic).map((k) => k.key);
  const dataKeys = topics.filter((t) => t.use === 'data').flatMap((t) => keysOf(t.name));
  const copierKeyMaps: Array<Array<[Key, Key]>> = [];
  for (let i = 0; i < o.copiers; i++) {
    const input = keysOf(dataTopicName(i));
    const output = keysOf(copyTopicName(i));
    copierKeyMaps.push(input.map((k, j) => [k, output[j] as Key]));
  }
  return { topics, keys, dataKeys, readableKeys: keys.map((k) => k.key), copierKeyMaps };
}
