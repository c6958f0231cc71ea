// A transaction coordinator machine driven by hand for the tests: requests followed by their durable log
// append, as the cluster drives them, and the markers answered when a test wants the transaction done.
import { type CoordinatorEvent, coordinatorMachine } from '../coordinator.machine.ts';
import { stepperFor } from '../step.ts';
import type { TxnVersion } from '../types.ts';

export function coordinator(txnVersion: TxnVersion = 1) {
  const input = { transactionalId: 't', txnVersion, timeoutTicks: 10, expirationTicks: 1000 };
  const m = stepperFor(coordinatorMachine, input);
  let s = m.initial(input);
  const send = (ev: CoordinatorEvent) => { s = m.step(s, ev); return s.context.reply; };
  /** A request followed by its durable log append, as the cluster drives it. */
  const request = (ev: CoordinatorEvent) => {
    const r = send(ev);
    return r.awaitingLogAppend ? send({ type: 'txn.logAppended' }) : r;
  };
  const init = (now = 0) => request({ type: 'txn.initProducerId', newProducerId: 100, now });
  const add = (partitions: string[], now = 0, producerId = 100, producerEpoch = 0) =>
    send({ type: 'txn.addPartitions', producerId, producerEpoch, partitions, now });
  const finishMarkers = () => {
    for (const p of s.context.pendingMarkers) send({ type: 'txn.markerAnswered', partition: p, error: 'NONE', coordinatorEpoch: s.context.coordinatorEpoch });
    send({ type: 'txn.completeTxn', now: 0 });
    send({ type: 'txn.logAppended' });
  };
  /** InitProducerId, then a transaction on p0 and p1. */
  const begin = (now = 0) => {
    const { producerId, producerEpoch } = init(now);
    request({ type: 'txn.addPartitions', producerId, producerEpoch, partitions: ['p0', 'p1'], now });
    return { producerId, producerEpoch };
  };
  return { send, request, init, add, finishMarkers, begin, get: () => s };
}
