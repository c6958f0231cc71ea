// The driver conformance kit against a real cluster: kafkajs, the Java driver and the franz-go driver
// pass every step; a driver that calls indeterminate outcomes definite failures, and a driver that hangs,
// fail it with a message that says which op, what was expected and what came back.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type KafkaCluster } from '../../harness/cluster/cluster.ts';
import { runConformanceKit, type KitReport } from '../../harness/clients/conformance/kit.ts';
import { clientKindOf } from '../../harness/clients/registry.ts';
import { driverClient } from '../../harness/clients/driver/driver-client.ts';
import type { ClientKind } from '../../harness/clients/client.ts';

let cluster: KafkaCluster;
beforeAll(async () => {
  cluster = await startCluster({ nodes: 3, kafkaVersion: '4.4.0', log: () => {} });
});
afterAll(async () => {
  await cluster?.stop();
});

const failures = (r: KitReport) => r.steps.filter((s) => !s.ok).map((s) => `${s.name}: ${s.problems.join('; ')}`);

describe('driver conformance kit', () => {
  it.each([['kafkajs', 1], ['java', 2], ['franz-go', 2]] as const)('%s passes every step', async (name, txnVersion) => {
    const kind = clientKindOf({ name, version: name === 'java' ? '4.4.0' : name === 'franz-go' ? 'v1.22.3' : 'installed' });
    const report = await runConformanceKit(kind, { cluster });
    expect(failures(report)).toEqual([]);
    expect(report.steps).toHaveLength(8);
    // kafkajs speaks EndTxn v1 only; the Java and franz-go clients bump the epoch on every commit here.
    expect(report.transactionVersion).toBe(txnVersion);
  });

  it('fails a driver that calls indeterminate outcomes definite failures, naming the op', async () => {
    const honest = clientKindOf({ name: 'kafkajs', version: 'installed' });
    // A mutant of the in-process kafkajs client: every `info` but a crash is reported `fail`.
    const misclassifying: ClientKind = {
      description: { ...honest.description, label: 'kafkajs that calls timeouts failures' },
      prepare: (log) => honest.prepare(log),
      start: async (setup, slots) => {
        const clients = await honest.start(setup, slots);
        return {
          ...clients,
          description: clients.description,
          transactionVersion: () => clients.transactionVersion(),
          close: () => clients.close(),
          open: (slot, spec) => {
            const p = clients.open(slot, spec);
            return {
              process: p.process, abandon: () => p.abandon(),
              execute: async (op, invoked) => {
                const r = await p.execute(op, invoked);
                return r.type === 'info' && op.f !== 'crash' ? { ...r, type: 'fail' } : r;
              },
            };
          },
        };
      },
    };
    const report = await runConformanceKit(misclassifying, { cluster });
    expect(report.passed).toBe(false);
    expect(failures(report).join('\n')).toMatch(/a send cut off from every broker is info, within the deadline: send while the client is cut off from every broker: expected info, got fail \(timeout: send took longer than 6000 ms/);
  });

  it('fails a driver that hangs, within the deadline, saying so', async () => {
    const hanging = driverClient({
      description: { name: 'fake', version: '0', label: 'a driver that never answers an op' },
      prepare: async () => undefined,
      command: () => ({ command: process.execPath, args: [fileURLToPath(new URL('../../harness/clients/driver/testing/fake-driver.mjs', import.meta.url)), 'hang'] }),
    });
    const started = Date.now();
    const report = await runConformanceKit(hanging, { cluster, opTimeoutMs: 1_000, failFast: true });
    expect(report.passed).toBe(false);
    expect(failures(report)[0]).toMatch(/^idempotent sends report the offsets Kafka assigned: send of three records to fresh partitions: expected ok, got info \(driver: fake driver \(slot 0\): no answer to invoke \(process 1\) within 4000 ms/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
