// A consume-transform-produce worker over the simulated cluster, written the way a kafkajs application must
// be (pre-KIP-447): one transactional.id for the input partition, read_committed input, outputs and input
// offsets committed in one transaction; after an abort it rewinds to the committed offsets, and after any
// outcome it cannot trust (info, a stuck EndTxn) it retires and a new instance fences the old one.
import type { Outcome, Sim } from '../../model/index.ts';

export const CTP_INPUT = 0;
export const CTP_OUTPUT = 1;
export const CTP_GROUP = 'g-ctp';

export interface CtpWorker { incarnation: number; clientId: string | null; consumerId: string | null; needsRestart: boolean }

export const newCtpWorker = (): CtpWorker => ({ incarnation: 0, clientId: null, consumerId: null, needsRestart: true });

type PollOutcome = Outcome<Record<number, Array<[number, number]>>>;

/** One cycle: (restart if needed,) begin, poll the input, send each value to the output, commit. */
export function ctpCycle(sim: Sim, w: CtpWorker, _value: () => number, onPoll: (consumerId: string, o: PollOutcome) => void): void {
  if (w.needsRestart || w.clientId === null || sim.producer(w.clientId)?.state === 'crashed') {
    if (w.consumerId !== null) sim.fault({ type: 'consumerCrash', consumerId: w.consumerId });
    w.incarnation += 1;
    w.clientId = `ctp#${w.incarnation}`;
    w.consumerId = `ctpc#${w.incarnation}`;
    const init = sim.initProducer(w.clientId, { transactionalId: 'CTP' });
    sim.assign(w.consumerId, [CTP_INPUT], { groupId: CTP_GROUP, readCommitted: true });
    w.needsRestart = init.type !== 'ok';
    if (w.needsRestart) return;
  }
  const cid = w.clientId;
  const consumerId = w.consumerId!;
  if (sim.beginTxn(cid).type !== 'ok') { w.needsRestart = true; return; }
  const polled = sim.poll(consumerId);
  onPoll(consumerId, polled);
  const records = polled.type === 'ok' ? polled.value[CTP_INPUT] ?? [] : [];
  const position = sim.consumer(consumerId)!.context.position[CTP_INPUT] ?? 0;
  const abortPath = (o: Outcome<unknown>): void => {
    if (o.type === 'info') { w.needsRestart = true; return; }
    if (sim.abortTxn(cid).type === 'ok') sim.rollback(consumerId);
    else w.needsRestart = true;
  };
  for (const [, v] of records) {
    const o = sim.txnSend(cid, CTP_OUTPUT, v);
    if (o.type !== 'ok') return abortPath(o);
  }
  if (records.length > 0) {
    const o = sim.sendOffsets(cid, CTP_GROUP, { [CTP_INPUT]: position });
    if (o.type !== 'ok') return abortPath(o);
  }
  // A failed or unknown EndTxn leaves a kafkajs producer stuck in COMMITTING: retire it.
  if (sim.commitTxn(cid).type !== 'ok') w.needsRestart = true;
}
