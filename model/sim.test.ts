// The simulated cluster through its client-level facade: faults and the outcomes Kafka allows for them.
import { describe, expect, it } from 'vitest';
import { createSim } from './sim.ts';
import type { TxnVersion } from './types.ts';

const records = (sim: ReturnType<typeof createSim>, key: number) =>
  sim.log(key).flatMap((e) => (e.kind === 'record' ? [[e.offset, e.value]] : []));

function txnProducer(txnVersion: TxnVersion, client = 'a', transactionalId = 'T') {
  const sim = createSim({ txnVersion, keys: 2, transactionTimeoutTicks: 50 });
  expect(sim.initProducer(client, { transactionalId }).type).toBe('ok');
  return sim;
}

describe('idempotent send under lost requests and responses', () => {
  it('a lost response is retried and answered from the duplicate cache: one record, the original offset', () => {
    const sim = createSim({ txnVersion: 1, keys: 1 });
    sim.initProducer('p');
    sim.fault({ type: 'responseLost', clientId: 'p' });
    expect(sim.send('p', 0, 7)).toEqual({ type: 'ok', value: { offset: 0 } });
    expect(records(sim, 0)).toEqual([[0, 7]]);
  });

  it('when the client gives up the outcome is info; a lost request left nothing, a lost response left the record', () => {
    const sim = createSim({ txnVersion: 1, keys: 1 });
    sim.initProducer('p');
    sim.fault({ type: 'requestLost', clientId: 'p', count: 6 });
    expect(sim.send('p', 0, 1).type).toBe('info');
    expect(records(sim, 0)).toEqual([]);
    sim.fault({ type: 'responseLost', clientId: 'p', count: 6 });
    expect(sim.send('p', 0, 2).type).toBe('info');
    expect(records(sim, 0)).toEqual([[0, 2]]);
  });

  it('models the kafkajs hazard: after giving up, the rolled-back sequence makes the next value a "duplicate"', () => {
    const sim = createSim({ txnVersion: 1, keys: 1 });
    sim.initProducer('p');
    sim.fault({ type: 'responseLost', clientId: 'p', count: 6 });
    sim.send('p', 0, 1);
    expect(sim.send('p', 0, 2)).toEqual({ type: 'ok', value: { offset: 0 } });
    expect(records(sim, 0)).toEqual([[0, 1]]);
  });
});

describe('EndTxn under faults (kafkajs sends it once)', () => {
  it('a lost commit response is info although the transaction committed; the producer is stuck until re-initialised', () => {
    const sim = txnProducer(1);
    sim.beginTxn('a');
    sim.txnSend('a', 0, 1);
    sim.fault({ type: 'responseLost', clientId: 'a' });
    expect(sim.commitTxn('a').type).toBe('info');
    expect(sim.txn('T')?.state).toBe('CompleteCommit');
    expect(sim.lastStableOffset(0)).toBe(2);
    expect(sim.beginTxn('a')).toEqual({ type: 'fail', error: 'Transaction state exception: Cannot call "beginTxn" in state "COMMITTING"' });
    expect(sim.initProducer('a', { transactionalId: 'T' }).type).toBe('ok');
    expect(sim.beginTxn('a').type).toBe('ok');
  });

  it('a lost commit request is info too, and the transaction stays open until its timeout aborts it', () => {
    const sim = txnProducer(1);
    sim.beginTxn('a');
    sim.txnSend('a', 0, 1);
    sim.fault({ type: 'requestLost', clientId: 'a' });
    expect(sim.commitTxn('a').type).toBe('info');
    expect(sim.txn('T')?.state).toBe('Ongoing');
    expect(sim.lastStableOffset(0)).toBe(0);
    sim.fault({ type: 'tick', ticks: 60 });
    expect(sim.txn('T')).toMatchObject({ state: 'CompleteAbort', producerEpoch: 1 });
    expect(sim.log(0)[1]).toMatchObject({ kind: 'marker', commit: false, producerEpoch: 1 });
  });
});

describe('fencing', () => {
  it('a new instance of the transactional id aborts the old transaction and fences the old instance', () => {
    const sim = txnProducer(1, 'old');
    sim.beginTxn('old');
    sim.txnSend('old', 0, 1);
    expect(sim.initProducer('new', { transactionalId: 'T' }).type).toBe('ok');
    expect(sim.txn('T')).toMatchObject({ state: 'Empty', producerEpoch: 2 });
    expect(sim.log(0)[1]).toMatchObject({ kind: 'marker', commit: false, producerEpoch: 1 });
    expect(sim.txnSend('old', 0, 2)).toEqual({ type: 'fail', error: 'INVALID_PRODUCER_EPOCH' });
    // PRODUCER_FENCED reaches kafkajs' v1 requests as INVALID_PRODUCER_EPOCH (KIP-588)
    expect(sim.txnSend('old', 1, 3)).toEqual({ type: 'fail', error: 'INVALID_PRODUCER_EPOCH' });
    expect(sim.commitTxn('old')).toEqual({ type: 'fail', error: 'INVALID_PRODUCER_EPOCH' });
  });

  it('TV2: a zombie writing to a partition it never touched is refused by the implicit add, as INVALID_PRODUCER_EPOCH', () => {
    const sim = txnProducer(2, 'old');
    sim.beginTxn('old');
    sim.txnSend('old', 0, 1);
    sim.initProducer('new', { transactionalId: 'T' });
    expect(sim.txnSend('old', 1, 2)).toEqual({ type: 'fail', error: 'INVALID_PRODUCER_EPOCH' });
    expect(sim.log(1)).toEqual([]);
    // The Java client is now in ABORTABLE_ERROR: a commit fails at once, only an abort gets out, and it is fenced.
    expect(sim.commitTxn('old')).toMatchObject({ type: 'fail', error: expect.stringMatching(/Cannot call "commit" in state "abortableError"/) });
    expect(sim.abortTxn('old')).toEqual({ type: 'fail', error: 'PRODUCER_FENCED' });
    expect(sim.producer('old')!.state).toBe('fatal');
  });

  it('after a timeout abort a TV1 producer is fenced for good, a TV2 producer aborts and carries on (research §2.9)', () => {
    const outcomes = ([1, 2] as const).map((tv) => {
      const sim = txnProducer(tv);
      sim.beginTxn('a');
      sim.txnSend('a', 0, 1);
      sim.fault({ type: 'tick', ticks: 60 });
      const abort = sim.abortTxn('a').type;
      const next = sim.beginTxn('a').type === 'ok' ? sim.txnSend('a', 0, 2).type : 'no begin';
      return [abort, next];
    });
    expect(outcomes).toEqual([['fail', 'no begin'], ['ok', 'ok']]);
  });
});

describe('consumers and group offsets', () => {
  it('read_committed stops at the LSO, read_uncommitted at the HW; markers are skipped but advance the position', () => {
    const sim = txnProducer(1);
    sim.beginTxn('a');
    sim.txnSend('a', 0, 1);
    sim.assign('rc', [0], { readCommitted: true });
    sim.assign('ru', [0], { readCommitted: false });
    expect(sim.poll('rc')).toEqual({ type: 'ok', value: {} });
    expect(sim.poll('ru')).toEqual({ type: 'ok', value: { 0: [[0, 1]] } });
    sim.commitTxn('a');
    expect(sim.poll('rc')).toEqual({ type: 'ok', value: { 0: [[0, 1]] } });
    expect(sim.inspect().consumers.get('rc')?.context.position).toEqual({ 0: 2 });
  });

  it('transactional offsets are committed with the transaction, dropped on abort, and rollback rewinds to them', () => {
    const sim = txnProducer(2);
    sim.beginTxn('a');
    expect(sim.sendOffsets('a', 'g', { 0: 5 }).type).toBe('ok');
    expect(sim.committedOffsets('g')).toEqual({});
    sim.abortTxn('a');
    expect(sim.committedOffsets('g')).toEqual({});
    sim.beginTxn('a');
    sim.sendOffsets('a', 'g', { 0: 3 });
    sim.commitTxn('a');
    expect(sim.committedOffsets('g')).toEqual({ 0: 3 });
    sim.assign('c', [0], { groupId: 'g', readCommitted: true });
    sim.seek('c', 0, 9);
    sim.rollback('c');
    expect(sim.inspect().consumers.get('c')?.context.position).toEqual({ 0: 3 });
  });

  it('a plain commit written after the transactional offset wins when the transaction commits (newer log position, §4.3)', () => {
    const sim = txnProducer(1);
    sim.beginTxn('a');
    sim.sendOffsets('a', 'g', { 0: 5, 1: 6 });
    sim.commitOffsets('g', { 0: 9 });
    sim.commitTxn('a');
    expect(sim.committedOffsets('g')).toEqual({ 0: 9, 1: 6 });
  });

  it('with fewer than two brokers up nothing can be written, and it all resumes when a node returns', () => {
    const sim = txnProducer(1);
    sim.fault({ type: 'nodeDown', node: 0 });
    sim.fault({ type: 'nodeDown', node: 1 });
    sim.beginTxn('a');
    expect(sim.txnSend('a', 0, 1)).toEqual({ type: 'fail', error: 'COORDINATOR_NOT_AVAILABLE' });
    sim.fault({ type: 'nodeUp', node: 1 });
    expect(sim.txnSend('a', 0, 1).type).toBe('ok');
  });
});

describe('usage errors name the problem', () => {
  it('throws on unknown clients, keys out of range and bad configuration', () => {
    const sim = createSim({ txnVersion: 1, keys: 1 });
    expect(() => sim.send('nobody', 0, 1)).toThrow(/call initProducer\("nobody"\) first/);
    sim.initProducer('p');
    expect(() => sim.send('p', 3, 1)).toThrow(/key 3 is outside 0..0/);
    expect(() => sim.initProducer('p', { transactionalId: 'X' })).toThrow(/use a new clientId/);
    expect(() => createSim({ txnVersion: 3 as 1, keys: 1 })).toThrow(/txnVersion must be 1 or 2/);
  });
});

describe('fork', () => {
  it('gives two independent simulations from one state, e.g. both outcomes of an indeterminate commit', () => {
    const sim = txnProducer(1);
    sim.beginTxn('a');
    sim.txnSend('a', 0, 1);
    const lost = sim.fork();
    lost.fault({ type: 'requestLost', clientId: 'a' });
    expect(sim.commitTxn('a').type).toBe('ok');
    expect(lost.commitTxn('a').type).toBe('info');
    expect([sim.txn('T')?.state, lost.txn('T')?.state]).toEqual(['CompleteCommit', 'Ongoing']);
    expect([sim.lastStableOffset(0), lost.lastStableOffset(0)]).toEqual([2, 0]);
  });
});
