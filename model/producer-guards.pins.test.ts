// The producer clients' decisions, one client rule per case: what kafkajs 2.2.4 (eosManager, its retrier)
// and the Java client 4.x (TransactionManager, Sender) do with each answer. The simulation tests reach
// these through whole runs; here each rule is driven directly on the machine, answer by answer.
import { describe, expect, it } from 'vitest';
import { javaProducerMachine } from './java-producer.machine.ts';
import { MAX_RETRIES, producerMachine } from './producer.machine.ts';
import type { ProducerEvent } from './producer.shared.ts';
import { stepperFor } from './step.ts';
import type { KafkaError, TxnVersion } from './types.ts';

type Machine = typeof producerMachine | typeof javaProducerMachine;

function client(machine: Machine, transactionalId: string | null, txnVersion: TxnVersion = 1) {
  const input = { clientId: 'c', transactionalId, txnVersion };
  const m = stepperFor(machine as typeof producerMachine, input);
  let s = m.initial(input);
  const send = (ev: ProducerEvent) => { s = m.step(s, ev); return s; };
  const state = () => JSON.stringify(s.value);
  const init = (error: KafkaError = 'NONE') => {
    send({ type: 'producer.initProducerId' });
    return send({ type: 'producer.initProducerIdAnswer', error, producerId: 7, producerEpoch: 0 });
  };
  return { send, state, init, get: () => s };
}

const both = [['kafkajs', producerMachine], ['java', javaProducerMachine]] as const;

describe.each(both)('%s producer: what each kind of producer may do', (_name, machine) => {
  it('an idempotent producer sends outside transactions and cannot begin one', () => {
    const p = client(machine, null);
    p.init();
    p.send({ type: 'producer.beginTxn' });
    expect(p.state()).toBe('"ready"');
    p.send({ type: 'producer.send', key: 0, value: 1 });
    expect(p.state()).toBe('"sending"');
  });

  it('a transactional producer sends only inside a transaction', () => {
    const p = client(machine, 't');
    p.init();
    p.send({ type: 'producer.send', key: 0, value: 1 });
    expect(p.state()).toBe('"ready"');
    p.send({ type: 'producer.beginTxn' });
    expect(p.state()).toBe('{"transacting":"idle"}');
  });

  it('a retriable InitProducerId answer is retried MAX_RETRIES times after the first attempt, then the call fails', () => {
    const p = client(machine, 't');
    p.send({ type: 'producer.initProducerId' });
    for (let i = 0; i < MAX_RETRIES; i++) {
      p.send({ type: 'producer.initProducerIdAnswer', error: 'COORDINATOR_NOT_AVAILABLE', producerId: -1, producerEpoch: -1 });
      expect(p.state(), `retry ${i + 1}`).toBe('"initializing"');
    }
    p.send({ type: 'producer.initProducerIdAnswer', error: 'COORDINATOR_NOT_AVAILABLE', producerId: -1, producerEpoch: -1 });
    expect(p.state()).toBe('"uninitialized"');
    expect(p.get().context.lastError).toBe('COORDINATOR_NOT_AVAILABLE');
  });

  it('TV1: the first send to a partition adds it (AddPartitionsToTxn), the next ones to it do not', () => {
    const p = client(machine, 't', 1);
    p.init();
    p.send({ type: 'producer.beginTxn' });
    p.send({ type: 'producer.send', key: 0, value: 1 });
    expect(p.state()).toBe('{"transacting":"addingPartitions"}');
    p.send({ type: 'producer.addPartitionsAnswer', error: 'NONE' });
    p.send({ type: 'producer.produceAnswer', error: 'NONE', offset: 0 });
    p.send({ type: 'producer.send', key: 0, value: 2 });
    expect(p.state()).toBe('{"transacting":"producing"}');
  });

  it('TV2: no AddPartitionsToTxn nor AddOffsetsToTxn (the broker adds them)', () => {
    const p = client(machine, 't', 2);
    p.init();
    p.send({ type: 'producer.beginTxn' });
    p.send({ type: 'producer.send', key: 0, value: 1 });
    expect(p.state()).toBe('{"transacting":"producing"}');
    p.send({ type: 'producer.produceAnswer', error: 'NONE', offset: 0 });
    p.send({ type: 'producer.sendOffsets', groupId: 'g', offsets: { 0: 1 } });
    expect(p.state()).toBe('{"transacting":"committingOffsets"}');
  });

  it('TV1: sendOffsets first adds the group (AddOffsetsToTxn)', () => {
    const p = client(machine, 't', 1);
    p.init();
    p.send({ type: 'producer.beginTxn' });
    p.send({ type: 'producer.sendOffsets', groupId: 'g', offsets: { 0: 1 } });
    expect(p.state()).toBe('{"transacting":"addingOffsets"}');
  });

  it('a transaction that added nothing ends locally, with no EndTxn; one with only offsets sends EndTxn', () => {
    for (const end of ['producer.commit', 'producer.abort'] as const) {
      const p = client(machine, 't', 2);
      p.init();
      p.send({ type: 'producer.beginTxn' });
      p.send({ type: end });
      expect(p.state(), end).toBe('"ready"');
    }
    const p = client(machine, 't', 2);
    p.init();
    p.send({ type: 'producer.beginTxn' });
    p.send({ type: 'producer.sendOffsets', groupId: 'g', offsets: { 0: 1 } });
    p.send({ type: 'producer.txnOffsetCommitAnswer', error: 'NONE' });
    p.send({ type: 'producer.commit' });
    expect(p.state()).toBe('"committing"');
  });

  it('a transaction that sent a record ends with EndTxn', () => {
    const p = client(machine, 't', 2);
    p.init();
    p.send({ type: 'producer.beginTxn' });
    p.send({ type: 'producer.send', key: 0, value: 1 });
    p.send({ type: 'producer.produceAnswer', error: 'NONE', offset: 0 });
    p.send({ type: 'producer.abort' });
    expect(p.state()).toBe('"aborting"');
  });
});

describe('Java producer: error classes (TransactionManager.maybeTransitionToErrorState)', () => {
  const transacting = (txnVersion: TxnVersion = 1) => {
    const p = client(javaProducerMachine, 't', txnVersion);
    p.init();
    p.send({ type: 'producer.beginTxn' });
    return p;
  };
  const producing = () => {
    const p = transacting(2);
    p.send({ type: 'producer.send', key: 0, value: 1 });
    return p;
  };

  it('a fenced or unknown producer on produce is fatal; INVALID_PRODUCER_EPOCH on produce is only abortable', () => {
    for (const error of ['PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING', 'TRANSACTION_COORDINATOR_FENCED'] as const) {
      const p = producing();
      p.send({ type: 'producer.produceAnswer', error, offset: null });
      expect(p.state(), error).toBe('"fatal"');
    }
    for (const error of ['INVALID_PRODUCER_EPOCH', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'TRANSACTION_ABORTABLE'] as const) {
      const p = producing();
      p.send({ type: 'producer.produceAnswer', error, offset: null });
      expect(p.state(), error).toBe('"abortableError"');
      expect(p.get().context.epochBumpRequired).toBe(true);
    }
  });

  it('on coordinator requests INVALID_PRODUCER_EPOCH and INVALID_TXN_STATE are fatal too; TRANSACTION_ABORTABLE is abortable', () => {
    for (const [error, state] of [['INVALID_PRODUCER_EPOCH', 'fatal'], ['INVALID_TXN_STATE', 'fatal'], ['PRODUCER_FENCED', 'fatal'], ['TRANSACTION_ABORTABLE', 'abortableError']] as const) {
      const p = transacting(1);
      p.send({ type: 'producer.send', key: 0, value: 1 });
      p.send({ type: 'producer.addPartitionsAnswer', error });
      expect(p.state(), `AddPartitions ${error}`).toBe(`"${state}"`);
      const q = transacting(1);
      q.send({ type: 'producer.sendOffsets', groupId: 'g', offsets: { 0: 1 } });
      q.send({ type: 'producer.addOffsetsAnswer', error });
      expect(q.state(), `AddOffsets ${error}`).toBe(`"${state}"`);
    }
  });

  it('AddOffsetsToTxn and TxnOffsetCommit retry retriable errors', () => {
    const p = transacting(1);
    p.send({ type: 'producer.sendOffsets', groupId: 'g', offsets: { 0: 1 } });
    p.send({ type: 'producer.addOffsetsAnswer', error: 'COORDINATOR_NOT_AVAILABLE' });
    expect(p.state()).toBe('{"transacting":"addingOffsets"}');
    p.send({ type: 'producer.addOffsetsAnswer', error: 'NONE' });
    p.send({ type: 'producer.txnOffsetCommitAnswer', error: 'NOT_COORDINATOR' });
    expect(p.state()).toBe('{"transacting":"committingOffsets"}');
    p.send({ type: 'producer.txnOffsetCommitAnswer', error: 'PRODUCER_FENCED' });
    expect(p.state()).toBe('"fatal"');
  });

  it('a TxnOffsetCommit refused with INVALID_PRODUCER_EPOCH or INVALID_TXN_STATE is fatal (TxnOffsetCommitHandler: the first is PRODUCER_FENCED, the second unexpected); TRANSACTION_ABORTABLE is abortable', () => {
    for (const [error, state] of [['INVALID_PRODUCER_EPOCH', 'fatal'], ['INVALID_TXN_STATE', 'fatal'], ['TRANSACTION_ABORTABLE', 'abortableError']] as const) {
      const p = transacting(2);
      p.send({ type: 'producer.sendOffsets', groupId: 'g', offsets: { 0: 1 } });
      p.send({ type: 'producer.txnOffsetCommitAnswer', error });
      expect(p.state(), error).toBe(`"${state}"`);
    }
  });

  it('InitProducerId: fenced is fatal, a non-retriable other error lets the application call it again', () => {
    const fenced = client(javaProducerMachine, 't');
    fenced.init('PRODUCER_FENCED');
    expect(fenced.state()).toBe('"fatal"');
    const other = client(javaProducerMachine, 't');
    other.init('TRANSACTION_ABORTABLE');
    expect(other.state()).toBe('"uninitialized"');
  });

  it('EndTxn: retried while retriable; out of retries the call fails and the transaction stays; fenced is fatal', () => {
    const p = producing();
    p.send({ type: 'producer.produceAnswer', error: 'NONE', offset: 0 });
    p.send({ type: 'producer.commit' });
    for (let i = 0; i < MAX_RETRIES; i++) p.send({ type: 'producer.endTxnAnswer', error: 'CONCURRENT_TRANSACTIONS', producerId: 7, producerEpoch: -1 });
    expect(p.get().context).toMatchObject({ attempts: MAX_RETRIES, lastError: null });
    p.send({ type: 'producer.endTxnAnswer', error: 'CONCURRENT_TRANSACTIONS', producerId: 7, producerEpoch: -1 });
    expect(p.state()).toBe('"committing"');
    expect(p.get().context.lastError).toBe('CONCURRENT_TRANSACTIONS');
    p.send({ type: 'producer.endTxnAnswer', error: 'PRODUCER_FENCED', producerId: 7, producerEpoch: -1 });
    expect(p.state()).toBe('"fatal"');
  });

  it('TRANSACTION_ABORTABLE on a commit makes the transaction abortable; on an abort it is fatal', () => {
    for (const [end, state] of [['producer.commit', 'abortableError'], ['producer.abort', 'fatal']] as const) {
      const p = producing();
      p.send({ type: 'producer.produceAnswer', error: 'NONE', offset: 0 });
      p.send({ type: end });
      p.send({ type: 'producer.endTxnAnswer', error: 'TRANSACTION_ABORTABLE', producerId: 7, producerEpoch: -1 });
      expect(p.state(), end).toBe(`"${state}"`);
    }
  });

  it('KIP-360: under TV1 an abort after a lost batch is followed by an epoch bump; under TV2 the EndTxn answer already bumped it', () => {
    for (const [tv, state] of [[1, 'bumpingEpoch'], [2, 'ready']] as const) {
      const p = transacting(tv);
      p.send({ type: 'producer.send', key: 0, value: 1 });
      if (tv === 1) p.send({ type: 'producer.addPartitionsAnswer', error: 'NONE' });
      p.send({ type: 'producer.produceAnswer', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', offset: null });
      p.send({ type: 'producer.abort' });
      p.send({ type: 'producer.endTxnAnswer', error: 'NONE', producerId: 7, producerEpoch: 1 });
      expect(p.state(), `TV${tv}`).toBe(`"${state}"`);
    }
    // no bump due: a plain abort goes back to ready
    const p = transacting(1);
    p.send({ type: 'producer.send', key: 0, value: 1 });
    p.send({ type: 'producer.addPartitionsAnswer', error: 'NONE' });
    p.send({ type: 'producer.produceAnswer', error: 'NONE', offset: 0 });
    p.send({ type: 'producer.abort' });
    p.send({ type: 'producer.endTxnAnswer', error: 'NONE', producerId: 7, producerEpoch: 0 });
    expect(p.state()).toBe('"ready"');
  });

  it('KIP-360: the epoch is bumped only once the abort succeeded; a retriable EndTxn answer is retried first', () => {
    const p = transacting(1);
    p.send({ type: 'producer.send', key: 0, value: 1 });
    p.send({ type: 'producer.addPartitionsAnswer', error: 'NONE' });
    p.send({ type: 'producer.produceAnswer', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', offset: null });
    p.send({ type: 'producer.abort' });
    p.send({ type: 'producer.endTxnAnswer', error: 'CONCURRENT_TRANSACTIONS', producerId: 7, producerEpoch: -1 });
    expect(p.state()).toBe('"aborting"');
    p.send({ type: 'producer.endTxnAnswer', error: 'NONE', producerId: 7, producerEpoch: 0 });
    expect(p.state()).toBe('"bumpingEpoch"');
  });

  it('an idempotent producer whose batch runs out of retries bumps its own epoch', () => {
    const p = client(javaProducerMachine, null);
    p.init();
    p.send({ type: 'producer.send', key: 0, value: 1 });
    for (let i = 0; i <= MAX_RETRIES; i++) p.send({ type: 'producer.produceAnswer', error: 'REQUEST_TIMED_OUT', offset: null });
    expect(p.state()).toBe('"ready"');
    expect(p.get().context.producerEpoch).toBe(1);
  });
});
