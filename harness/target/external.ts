// An existing cluster as a run's target (--bootstrap): reached with the run's client config, checked
// before anything runs (./preflight.ts), worked in a namespace of the run's own, broken only by the
// chosen fault backend, and cleaned at the end: faults healed, the namespace's topics and groups
// deleted (unless --keep-topics). Ctrl-C does the same cleanup.
import fs from 'node:fs';
import path from 'node:path';
import type { Admin } from 'kafkajs';
import { kafkajsKafka } from '../clients/kafkajs/admin.ts';
import { onInterrupt } from '../cluster/interrupts.ts';
import type { FaultBackend } from '../faults/backend.ts';
import { noFaults } from '../faults/none.ts';
import { sshFaults } from '../faults/ssh/index.ts';
import type { Program } from '../workload/program.ts';
import { loadClientConfig, recordOf } from './client-config.ts';
import { deleteNamespace } from './cleanup.ts';
import { kafkajsConnection } from './kafkajs-connection.ts';
import { namespaced, newNamespace } from './namespace.ts';
import { readNodesFile } from './options.ts';
import { chooseReplication, createRunTopics, probeNamespace, reachCluster } from './preflight.ts';
import type { TargetSettings } from './settings.ts';
import type { OpenTarget, TargetRecord } from './target.ts';

export interface ExternalOptions {
  /** Run directory: the harness' own client logs go to kafka/client.log, as the runner's do. */
  outDir: string;
  log: (line: string) => void;
}

export async function openExternal(t: TargetSettings, program: Program, o: ExternalOptions): Promise<OpenTarget> {
  const connection = t.clientConfig ? loadClientConfig(t.clientConfig) : null;
  const ns = newNamespace(t.namespacePrefix, program.seed);
  const inKafka = namespaced(program, ns);
  fs.mkdirSync(path.join(o.outDir, 'kafka'), { recursive: true });
  const adminLog = fs.createWriteStream(path.join(o.outDir, 'kafka', 'client.log'), { flags: 'a' });
  const kafka = kafkajsKafka(t.bootstrap, adminLog, { ...kafkajsConnection(connection), clientId: `${ns}harness`, retry: { retries: 2, initialRetryTime: 300 } });
  const admin: Admin = kafka.admin();
  const ctx = { bootstrap: t.bootstrap, connection, namespacePrefix: t.namespacePrefix };
  const record: TargetRecord = {
    kind: 'external', bootstrap: t.bootstrap, clientConfig: connection ? recordOf(connection) : null, namespace: ns,
    faults: t.faults, nodesFile: t.nodesFile, brokers: 0, replication: 0, keptTopics: t.keepTopics,
  };
  let faults: FaultBackend | null = null;
  let created = false;
  let closing: Promise<void> | null = null;
  const close = () => closing ??= (async () => {
    forget();
    if (faults) {
      await faults.seal();
      await faults.heal().catch((e: unknown) => o.log(`could not heal every fault: ${(e as Error).message}`));
      await faults.close().catch((e: unknown) => o.log(`could not remove the fault backend's rules: ${(e as Error).message}`));
    }
    if (created && !t.keepTopics) {
      const cleanup = await deleteNamespace(admin, ns);
      record.cleanup = cleanup;
      o.log(`removed namespace ${ns}: ${cleanup.topics} topic(s), ${cleanup.groups} group(s)${cleanup.problems.length ? `; could not: ${cleanup.problems.join('; ')}` : ''}`);
    } else if (created) {
      o.log(`kept namespace ${ns} (--keep-topics): its topics and groups stay on the cluster`);
    }
    await admin.disconnect().catch(() => undefined);
    adminLog.end();
  })();
  const forget = onInterrupt(close);
  try {
    o.log(`connecting to ${t.bootstrap.join(',')}${connection ? ` (${connection.securityProtocol}${connection.sasl ? ` ${connection.sasl.mechanism}` : ''}, ${connection.file})` : ''}`);
    record.brokers = await reachCluster(admin, ctx);
    record.replication = chooseReplication(t.replication, record.brokers, t.bootstrap);
    if (t.faults === 'ssh') faults = await sshFaults(readNodesFile(t.nodesFile!));
    else faults = noFaults(program.nodes);
    created = true; // from here on, whatever the namespace holds is ours to remove
    await createRunTopics(admin, ctx, inKafka, record.replication);
    await probeNamespace(kafka, admin, ctx, ns, record.replication);
    o.log(`namespace ${ns} ready: ${inKafka.topics.length} topic(s), replication ${record.replication}, ${record.brokers} broker(s), faults: ${faults.name}`);
  } catch (error) {
    await close();
    throw error;
  }
  const backend = faults;
  return {
    id: `external-${ns.replace(/-$/, '')}`,
    brokers: t.bootstrap,
    faults: backend,
    connection,
    namespace: ns,
    record,
    program: inKafka,
    kafkaVersion: null,
    kafkaImage: null,
    close,
  };
}
