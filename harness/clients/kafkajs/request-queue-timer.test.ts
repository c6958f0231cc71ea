// The idle request-queue timer fix, on kafkajs' own RequestQueue with real timers: stock, one answered
// request leaves the queue checking itself about every millisecond for good; with the fix it stops,
// and requests held back by the in-flight cap or by a broker's throttle still go out as stock sends them.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { quietIdleRequestQueues } from './request-queue-timer.ts';

const require = createRequire(import.meta.url);
interface Queue {
  push(request: object): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  checkPendingRequests(): void;
  destroy(): void;
}
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (options: object) => Queue;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let correlationId = 0;
/** A queue whose checks are counted, and a request for it that records when it is sent. */
function countedQueue(maxInFlightRequests: number) {
  const queue = new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 't', broker: 'b:1', logger: silent });
  const counter = { checks: 0 };
  const check = queue.checkPendingRequests.bind(queue);
  queue.checkPendingRequests = () => { counter.checks++; check(); };
  const sent: number[] = [];
  const request = () => {
    const id = ++correlationId;
    queue.push({ entry: { correlationId: id, resolve() {}, reject() {} }, expectResponse: true, sendRequest: () => sent.push(id) });
    return id;
  };
  const answer = (id: number) => queue.fulfillRequest({ correlationId: id, payload: Buffer.alloc(0), size: 0 });
  return { queue, counter, sent, request, answer };
}

describe('idle kafkajs request queues', () => {
  afterEach(() => quietIdleRequestQueues(false));

  it('stock: one answered request starts a timer loop that never ends', async () => {
    quietIdleRequestQueues(false);
    const { queue, counter, request, answer } = countedQueue(1);
    answer(request());
    await sleep(100);
    queue.destroy();
    expect(counter.checks).toBeGreaterThan(20);
  });

  it('fixed: an idle queue arms no timer', async () => {
    quietIdleRequestQueues();
    const { queue, counter, request, answer } = countedQueue(1);
    answer(request());
    await sleep(100);
    queue.destroy();
    expect(counter.checks).toBe(1); // the check fulfillRequest itself makes
  });

  it('fixed: a request over the in-flight cap goes out when the first is answered', async () => {
    quietIdleRequestQueues();
    const { queue, sent, request, answer } = countedQueue(1);
    const first = request();
    const second = request();
    expect(sent).toEqual([first]);
    answer(first);
    expect(sent).toEqual([first, second]);
    queue.destroy();
  });

  it('fixed: a request held by a broker throttle goes out when the throttle ends', async () => {
    quietIdleRequestQueues();
    const { queue, sent, request, answer } = countedQueue(5);
    answer(request());
    queue.maybeThrottle(30);
    const held = request();
    expect(sent).not.toContain(held);
    await sleep(80);
    expect(sent).toContain(held);
    queue.destroy();
  });
});
