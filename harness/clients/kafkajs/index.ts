// kafkajs 2.2.4 behind the client boundary, in-process: the client the harness began with, and the
// default. Every process gets a KafkaClientProcess (./process.ts); they share one Kafka object, and an
// admin client that reads a group's committed offsets when a transactional process assigns.
import { createRequire } from 'node:module';
import type { ClientKind, ClientSetup, RunClients } from '../client.ts';
import { groupOffsets, kafkajsKafka } from './admin.ts';
import { KafkaClientProcess } from './process.ts';
import { kafkajsConnection } from '../../target/kafkajs-connection.ts';
import { quietIdleRequestQueues } from './request-queue-timer.ts';

const require = createRequire(import.meta.url);
/** The installed kafkajs (package.json pins it). */
export const KAFKAJS_VERSION = (require('kafkajs/package.json') as { version: string }).version;

export function kafkajsClient(): ClientKind {
  const description = { name: 'kafkajs' as const, version: KAFKAJS_VERSION, label: `kafkajs ${KAFKAJS_VERSION}` };
  return {
    description,
    prepare: async () => undefined,
    start: async (setup: ClientSetup): Promise<RunClients> => {
      quietIdleRequestQueues();
      const kafka = kafkajsKafka(setup.bootstrapServers, setup.log, kafkajsConnection(setup.connection));
      const admin = kafka.admin();
      await admin.connect();
      const processes = new Set<KafkaClientProcess>();
      const settings = {
        kafka, keys: setup.keys, readUncommitted: !setup.readCommitted, idempotent: setup.idempotent,
        offsetsOutsideTxn: setup.offsetsOutsideTxn, copyTo: setup.copyTo, topicKeys: setup.topicKeys,
        committedOffsets: (groupId: string) => groupOffsets(admin, setup.keys, groupId),
        opTimeoutMs: setup.opTimeoutMs, pollMs: setup.pollMs,
      };
      return {
        description,
        open: (_slot, spec) => {
          const p = new KafkaClientProcess(spec.process, spec.transactionalId, spec.groupId, settings);
          processes.add(p);
          return p;
        },
        // kafkajs speaks EndTxn v1 and InitProducerId v1 at most: transaction version 1 on any broker.
        transactionVersion: () => 1,
        close: async () => {
          await Promise.allSettled([...processes].map((p) => p.abandon()));
          processes.clear();
          await admin.disconnect().catch(() => undefined);
        },
      };
    },
  };
}
