// Always on, because it changes no request, only how often the event loop wakes: kafkajs 2.2.4's
// per-connection request queue re-arms a timer for itself after every response, whether requests
// wait or not, and with no client-side throttle the delay is negative, so 1 ms. Every connection that
// ever got an answer then wakes the event loop about 1,000 times a second for as long as it lives
// (tulios/kafkajs#1556, #1704; fix proposed in #1667, unreleased). The runner holds a connection per
// worker and broker, and those wake-ups were CPU that the brokers, on the same small machine, needed.
//
// The stand-in arms the timer only when requests are waiting. With none waiting, the stock timer's
// check finds nothing to send and re-arms itself; a request that cannot be sent at once is queued by
// `push`, which arms the timer itself, so nothing that would have been sent is held back.
import { createRequire } from 'node:module';

interface RequestQueueLike {
  pending: unknown[];
  scheduleCheckPendingRequests(this: RequestQueueLike): void;
}

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueLike };
const stockSchedule = RequestQueue.prototype.scheduleCheckPendingRequests;

/** Arms kafkajs' pending-request timer only when a request waits. Idempotent; `false` restores stock. */
export function quietIdleRequestQueues(on = true): void {
  RequestQueue.prototype.scheduleCheckPendingRequests = on
    ? function scheduleWhenPending(this: RequestQueueLike) {
      if (this.pending.length > 0) stockSchedule.call(this);
    }
    : stockSchedule;
}
