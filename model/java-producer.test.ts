// The Java client as modelled (java-producer.machine.ts), against the simulated cluster: EndTxn retried,
// the TV2 epoch adopted, abortable and fatal errors, KIP-360's epoch bump, and KAFKA-17754 as a late EndTxn
// reproduces it under TV1 and not under TV2.
import { describe, expect, it } from 'vitest';
import { createSim } from './sim.ts';
import type { Sim } from './sim.types.ts';
import type { TxnVersion } from './types.ts';

const committed = (sim: Sim, key: number) => {
  const log = sim.log(key);
  return log.flatMap((e) => {
    if (e.kind !== 'record') return [];
    const end = log.find((m) => m.kind === 'marker' && m.offset > e.offset && m.producerId === e.producerId);
    return end?.kind === 'marker' && end.commit ? [e.value] : [];
  });
};

/** Delivers every message in flight except client requests left on the wire. */
const settle = (sim: Sim) => {
  for (let m = sim.inFlight().find((x) => x.message.kind !== 'request'); m !== undefined; m = sim.inFlight().find((x) => x.message.kind !== 'request')) sim.deliver(m.id);
};

function java(txnVersion: TxnVersion, manual = false) {
  const sim = createSim({ txnVersion, keys: 2, client: 'java', ...(manual ? { delivery: { kind: 'manual' as const } } : {}) });
  expect(sim.initProducer('a', { transactionalId: 'T' }).type).toBe('ok');
  return sim;
}

describe('the Java client', () => {
  it('retries EndTxn: a commit whose answer was lost is sent again and answered NONE (kafkajs gives up: info)', () => {
    for (const [client, outcome] of [['java', 'ok'], ['kafkajs', 'info']] as const) {
      const sim = createSim({ txnVersion: 1, keys: 1, client });
      sim.initProducer('a', { transactionalId: 'T' });
      sim.beginTxn('a');
      sim.txnSend('a', 0, 1);
      sim.fault({ type: 'responseLost', clientId: 'a' });
      expect(sim.commitTxn('a').type).toBe(outcome);
      expect(committed(sim, 0)).toEqual([1]);
    }
  });

  it('TV2: adopts the epoch EndTxn v5 returns and starts the next transaction at sequence 0', () => {
    const sim = java(2);
    sim.beginTxn('a'); sim.txnSend('a', 0, 1); sim.commitTxn('a');
    expect(sim.producer('a')!.context).toMatchObject({ producerEpoch: 1, nextSequence: {} });
    sim.beginTxn('a');
    expect(sim.txnSend('a', 0, 2).type).toBe('ok');
    expect(sim.log(0).find((e) => e.kind === 'record' && e.value === 2)).toMatchObject({ producerEpoch: 1, sequence: 0 });
  });

  it('an out-of-order batch is abortable; after the abort a TV1 producer bumps its epoch with InitProducerId (KIP-360)', () => {
    const sim = java(1);
    sim.beginTxn('a');
    expect(sim.txnSend('a', 0, 1).type).toBe('ok');
    sim.fault({ type: 'responseLost', clientId: 'a', count: 6 }); // the batch lands, every answer is lost: out of retries
    expect(sim.txnSend('a', 0, 2).type).toBe('info');
    expect(sim.producer('a')!.state).toBe('abortableError');
    expect(sim.commitTxn('a').type).toBe('fail');
    expect(sim.abortTxn('a').type).toBe('ok');
    expect(sim.producer('a')!.context).toMatchObject({ producerEpoch: 1, epochBumpRequired: false });
    expect(sim.txn('T')).toMatchObject({ state: 'Empty', producerEpoch: 1 });
  });

  it('a newer instance makes the old one fatal: fenced EndTxn', () => {
    const sim = java(1);
    sim.beginTxn('a'); sim.txnSend('a', 0, 1);
    sim.initProducer('b', { transactionalId: 'T' });
    expect(sim.commitTxn('a')).toEqual({ type: 'fail', error: 'PRODUCER_FENCED' });
    expect(sim.producer('a')!.state).toBe('fatal');
    expect(sim.beginTxn('a').type).toBe('fail');
  });
});

describe('KAFKA-17754: a late EndTxn decides the next transaction', () => {
  /** T1 commits; its first EndTxn stays on the wire and the retry commits it; T2 writes, the stale copy lands, T2 aborts. */
  function lateEndTxn(txnVersion: TxnVersion) {
    const sim = java(txnVersion, true);
    sim.beginTxn('a'); sim.txnSend('a', 0, 1);
    sim.fault({ type: 'requestDelayed', clientId: 'a' });
    expect(sim.commitTxn('a').type).toBe('ok');
    settle(sim);
    sim.beginTxn('a'); sim.txnSend('a', 1, 2);
    const stale = sim.inFlight().find((x) => x.message.kind === 'request')!;
    sim.deliver(stale.id);
    settle(sim);
    const abort = sim.abortTxn('a');
    settle(sim);
    return { abort, t2: committed(sim, 1) };
  }

  it('TV1: the stale commit lands in T2 and commits its write, although the client then aborts T2', () => {
    const { abort, t2 } = lateEndTxn(1);
    expect(t2).toEqual([2]);
    expect(abort.type).toBe('fail'); // the coordinator is past T2's commit: INVALID_TXN_STATE, fatal
  });

  it('TV2: the stale commit carries the old epoch and is fenced; T2 aborts', () => {
    const { abort, t2 } = lateEndTxn(2);
    expect(t2).toEqual([]);
    expect(abort.type).toBe('ok');
  });
});
