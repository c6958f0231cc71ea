import { describe, expect, it } from 'vitest';
import { createSim } from '../../model/index.ts';
import { ModelClient, type ClientProcess } from './modelClient.ts';

const setup = () => {
  const sim = createSim({ txnVersion: 1, keys: 4 });
  const client = new ModelClient(sim, {
    readCommitted: true,
    offsetsOutsideTxn: false,
    copyTo: new Map([[0, 2], [1, 3]]),
    topicKeys: (keys) => [...new Set(keys.flatMap((k) => (k < 2 ? [0, 1] : [2, 3])))],
  });
  const proc = (process: number, transactionalId: string | null, groupId = 'g'): ClientProcess =>
    ({ process, producer: `p${process}`, consumer: `c${process}`, transactionalId, groupId, producerReady: false });
  return { sim, client, proc };
};

describe('ModelClient', () => {
  it('commits a txn of sends and polls, and records offsets and polled records', () => {
    const { client, proc } = setup();
    const writer = proc(0, 'tx-a');
    const reader = proc(1, 'tx-b');
    expect(client.execute(writer, { f: 'txn', value: [['send', 0, 1], ['send', 1, 1]], abort: false })).toMatchObject({
      type: 'ok', value: [['send', 0, [0, 1]], ['send', 1, [0, 1]]],
    });
    client.execute(reader, { f: 'assign', value: [0, 1] });
    expect(client.execute(reader, { f: 'txn', value: [['poll']], abort: false }).value).toEqual([['poll', { 0: [[0, 1]], 1: [[0, 1]] }]]);
  });

  it('an intentional abort is a definite fail and rewinds the consumer to what the op read', () => {
    const { client, proc } = setup();
    const writer = proc(0, null);
    client.execute(writer, { f: 'send', value: [['send', 0, 1], ['send', 0, 2]] });
    const reader = proc(1, 'tx-r');
    client.execute(reader, { f: 'assign', value: [0] });
    const aborted = client.execute(reader, { f: 'txn', value: [['poll'], ['send', 1, 9]], abort: true });
    expect(aborted).toMatchObject({ type: 'fail', error: 'aborted on purpose', endProcess: false });
    expect(client.execute(reader, { f: 'poll', value: [['poll']] }).value).toEqual([['poll', { 0: [[0, 1], [1, 2]] }]]);
  });

  it('a request timing out inside a txn (commit never attempted) is a definite fail that retires the process', () => {
    const { sim, client, proc } = setup();
    const p = proc(0, 'tx-a');
    client.execute(p, { f: 'assign', value: [2] }); // initializes the producer first
    // AddPartitionsToTxn is tried 1 + 5 times: lose every attempt.
    sim.fault({ type: 'requestLost', clientId: 'p0', count: 6 });
    const r = client.execute(p, { f: 'txn', value: [['send', 0, 1], ['send', 1, 2]], abort: false });
    expect(r).toMatchObject({ type: 'fail', endProcess: true, value: [['send', 0, [null, 1]], ['send', 1, 2]] });
  });

  it('an idempotent send whose every attempt timed out is info and retires the process', () => {
    const { sim, client, proc } = setup();
    const p = proc(0, null);
    client.execute(p, { f: 'send', value: [['send', 0, 1]] });
    sim.fault({ type: 'responseLost', clientId: 'p0', count: 6 });
    expect(client.execute(p, { f: 'send', value: [['send', 0, 2]] })).toMatchObject({ type: 'info', endProcess: true });
  });

  it('a fenced old instance fails, ends its process and says it was fenced', () => {
    const { client, proc } = setup();
    client.execute(proc(9, null), { f: 'send', value: [['send', 0, 1]] });
    const old = proc(0, 'copier-0', 'copier-0');
    const twin = proc(1, 'copier-0', 'copier-0');
    client.execute(old, { f: 'assign', value: [0, 1] });
    client.execute(twin, { f: 'assign', value: [0, 1] });
    const r = client.execute(old, { f: 'copy', abort: false });
    expect(r.type).toBe('fail');
    expect(r.fenced).toBe(true);
    expect(r.endProcess).toBe(true);
  });

  it('a copy sends each polled value to its output key and commits the input offsets', () => {
    const { sim, client, proc } = setup();
    const writer = proc(0, null);
    client.execute(writer, { f: 'send', value: [['send', 0, 7], ['send', 1, 8]] });
    const copier = proc(1, 'copier-0', 'copier-0');
    client.execute(copier, { f: 'assign', value: [0, 1] });
    expect(client.execute(copier, { f: 'copy', abort: false })).toMatchObject({
      type: 'ok', value: [['poll', { 0: [[0, 7]], 1: [[0, 8]] }], ['send', 2, [0, 7]], ['send', 3, [0, 8]]],
    });
    expect(sim.committedOffsets('copier-0')).toEqual({ 0: 1, 1: 1 });
  });

  it('subscribe covers every partition of the subscribed topics', () => {
    const { client, proc } = setup();
    const writer = proc(0, null);
    client.execute(writer, { f: 'send', value: [['send', 1, 4]] });
    const reader = proc(1, null);
    expect(client.execute(reader, { f: 'subscribe', value: [0] }).value).toEqual([0]);
    expect(client.execute(reader, { f: 'poll', value: [['poll']] }).value).toEqual([['poll', { 1: [[0, 4]] }]]);
  });
});
