// A finding, pinned as a test: the kafkajs 2.2.4 liveness bug behind the harness' frozen runs (session 2),
// replayed on kafkajs' own fetch manager and Runner.fetch. A consumer stopped while its fetchers are
// rebuilt (a broker left the metadata) leaves rebuilt fetchers that call Runner.fetch in a loop of
// microtasks. Stock, that loop never yields (here it is cut after 1000 calls, or the test itself would
// freeze); with the workaround below it ends at once. The runner used to patch kafkajs with it; it no
// longer uses kafkajs' Consumer at all (key-consumer.ts fetches when an op polls), so the workaround
// lives here, for kafkajs users, with the evidence that it works.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
type FetchManager = { start(): Promise<void>; stop(): Promise<void> };
const createFetchManager = require('kafkajs/src/consumer/fetchManager.js') as (o: object) => FetchManager;
interface RunnerLike { running: boolean; fetch(nodeId: number): Promise<unknown[]> }
const Runner = require('kafkajs/src/consumer/runner.js') as { prototype: { fetch(this: object, nodeId: number): Promise<unknown[]> } };

/** Retriable, so kafkajs' runner retries, finds itself stopped and exits instead of crashing. */
class ConsumerStopped extends Error {
  readonly retriable = true;
  constructor() {
    super('the consumer was stopped while its fetchers were being rebuilt');
    this.name = 'KafkaEosConsumerStopped';
  }
}

/**
 * The workaround: Runner.fetch answers `[]` at once, without I/O, once the consumer is stopped;
 * throwing instead ends the rebuilt fetchers, and the runner's retry loop then sees the consumer
 * stopped and exits.
 */
function stopFetchersAfterStop(): void {
  const proto = Runner.prototype as unknown as RunnerLike;
  const stockFetch = proto.fetch;
  proto.fetch = async function fetch(this: RunnerLike, nodeId: number) {
    if (!this.running) throw new ConsumerStopped();
    return stockFetch.call(this, nodeId);
  };
}

const SPIN_LIMIT = 1_000;
const logger = { namespace: () => logger, debug() {}, info() {}, warn() {}, error() {} };

/** Runs the race; returns how the fetch manager ended and how often fetch ran after the stop. */
async function stopDuringRebuild(fetch: (this: object, nodeId: number) => Promise<unknown[]>) {
  const runner = {
    running: true, logger,
    instrumentationEmitter: { emit() {} },
    heartbeat: async () => {},
    consumerGroup: { fetch: () => new Promise<unknown[]>((r) => setTimeout(() => r([]), 5)) },
  };
  let nodeIds = [1, 2];
  let afterStop = 0;
  let manager: FetchManager;
  const getNodeIds = () => {
    const current = nodeIds;
    if (current.length === 1 && runner.running) {
      // The consumer is stopped just as the fetch manager notices the change and starts rebuilding.
      queueMicrotask(() => { runner.running = false; void manager.stop(); });
    }
    return current;
  };
  manager = createFetchManager({
    logger, getNodeIds, handler: async () => {},
    fetch: async (nodeId: number) => {
      if (!runner.running && ++afterStop > SPIN_LIMIT) throw new Error('spinning');
      return fetch.call(runner, nodeId);
    },
  });
  const ended = manager.start().then(() => 'returned', (e: Error) => e.message);
  await new Promise((r) => setTimeout(r, 20));
  nodeIds = [1];
  return { ended: await ended, afterStop };
}

describe('kafkajs fetchers rebuilt after stop()', () => {
  it('stock: the rebuilt fetchers call Runner.fetch without end and without yielding', async () => {
    // Test files run in isolated processes: kafkajs here is stock until the next test patches it.
    const { ended, afterStop } = await stopDuringRebuild(Runner.prototype.fetch);
    expect(ended).toBe('spinning');
    expect(afterStop).toBeGreaterThan(SPIN_LIMIT);
  });

  it('with the workaround: the rebuilt fetchers end at their first fetch', async () => {
    stopFetchersAfterStop();
    const { ended, afterStop } = await stopDuringRebuild(Runner.prototype.fetch);
    expect(ended).toBe(new ConsumerStopped().message);
    expect(afterStop).toBe(1);
  });
});
