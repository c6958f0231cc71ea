// A run's namespace on a shared cluster: one prefix for every topic, transactional id and consumer
// group the run makes, so that runs sharing a cluster never see each other and cleaning up is "delete
// what starts with the prefix". The program itself keeps its plain names (program.json is the seed's,
// whatever cluster runs it); the Kafka runner gets a copy with the names prefixed.
import { randomBytes } from 'node:crypto';
import type { Program } from '../workload/program.ts';

export const DEFAULT_NAMESPACE_PREFIX = 'kafka-eos-';

/** Topic names allow [a-zA-Z0-9._-]; the prefix must leave room for the run's own part and names. */
export function checkNamespacePrefix(prefix: string): string | null {
  if (!/^[a-zA-Z0-9._-]*$/.test(prefix)) return `'${prefix}' may only hold letters, digits, '.', '_' and '-' (it prefixes topic names)`;
  if (prefix.length > 100) return `'${prefix}' is longer than 100 characters`;
  return null;
}

/**
 * `<prefix><seed>-<time>-<random>-`. Each part holds no '-', so one run's namespace is never a prefix of
 * another's names: deleting by prefix cannot touch a neighbour.
 */
export function newNamespace(prefix: string, seed: number, now = Date.now(), random = randomBytes(3).toString('hex')): string {
  return `${prefix}${seed}-${now.toString(36)}-${random}-`;
}

/** The program with its Kafka names in the namespace: topics (and the keys' topics), transactional ids, groups. */
export function namespaced(program: Program, ns: string): Program {
  return {
    ...program,
    topics: program.topics.map((t) => ({ ...t, name: ns + t.name })),
    keys: program.keys.map((k) => ({ ...k, topic: ns + k.topic })),
    workers: program.workers.map((w) => ({
      ...w,
      transactionalId: w.transactionalId === null ? null : ns + w.transactionalId,
      groupId: ns + w.groupId,
    })),
  };
}
