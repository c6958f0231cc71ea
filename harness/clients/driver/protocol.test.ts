// Every line a driver writes is checked before it is believed; these are the lines a broken driver writes.
import { describe, expect, it } from 'vitest';
import { decodeReply } from './protocol.ts';
import { opResultOf } from './outcome.ts';
import type { ProgramOp } from '../../workload/program.ts';

const complete = (extra: object) => ({ type: 'complete', in_reply_to: 3, process: 1, outcome: 'ok', value: [], end_process: false, fenced: false, ...extra });

describe('decodeReply', () => {
  it('accepts each reply type', () => {
    expect(decodeReply('{"type":"init_ok","in_reply_to":1,"protocol_version":1,"client":{"name":"java","version":"4.4.0"}}').type).toBe('init_ok');
    expect(decodeReply(JSON.stringify(complete({ txn: { version: 2, producer_id: 5, epoch: 9 } }))).type).toBe('complete');
    expect(decodeReply('{"type":"error","in_reply_to":4,"code":"unknown-process","text":"no process 9"}').type).toBe('error');
  });

  it.each([
    ['garbage', 'hello world', /not a JSON line: "hello world"/],
    ['an array', '[1,2]', /must be a JSON object/],
    ['an unknown type', '{"type":"done","in_reply_to":1}', /"type" must be one of/],
    ['no in_reply_to', '{"type":"open_ok","process":1}', /"in_reply_to" must be the msg_id/],
    ['no outcome', JSON.stringify(complete({ outcome: undefined })), /"outcome" must be "ok", "fail" or "info"/],
    ['no value', JSON.stringify({ ...complete({}), value: undefined }), /"value" is missing/],
    ['a fail without error', JSON.stringify(complete({ outcome: 'fail' })), /needs "error"/],
    ['an info that keeps its process', JSON.stringify(complete({ outcome: 'info', error: 'timeout', end_process: false })), /must end the process/],
    ['a bad txn version', JSON.stringify(complete({ txn: { version: 3 } })), /"txn.version" must be 1 or 2/],
    ['init_ok without a client', '{"type":"init_ok","in_reply_to":1,"protocol_version":1}', /"client" must be/],
  ])('refuses %s', (_, line, message) => {
    expect(() => decodeReply(line)).toThrow(message);
  });
});

describe('opResultOf', () => {
  const txn: ProgramOp = { f: 'txn', value: [['send', 0, 5], ['poll']], abort: false };
  const check = (op: ProgramOp, invoked: unknown, extra: object) => opResultOf(decodeReply(JSON.stringify(complete(extra))) as never, op, invoked as never, 4);

  it('takes a txn with its offsets and polled records', () => {
    const value = [['send', 0, [3, 5]], ['poll', { 1: [[0, 7], [1, 8]] }]];
    expect(check(txn, txn.value, { value })).toEqual({ type: 'ok', value, endProcess: false, fenced: false });
  });

  it('takes a failed txn whose later mops never ran, as invoked', () => {
    const value = [['send', 0, [null, 5]], ['poll']];
    expect(check(txn, txn.value, { value, outcome: 'fail', error: 'aborted on purpose' }).type).toBe('fail');
  });

  it('takes a copy with the sends its poll called for', () => {
    const value = [['poll', { 0: [[4, 9]] }], ['send', 2, [0, 9]]];
    expect(check({ f: 'copy', abort: false }, [['poll']], { value }).value).toEqual(value);
  });

  it('takes a failed copy whose later sends were never reached', () => {
    const value = [['poll', { 0: [[4, 9], [5, 10]] }], ['send', 2, [0, 9]], ['send', 2, 10]];
    expect(check({ f: 'copy', abort: false }, [['poll']], { value, outcome: 'fail', error: 'ProducerFencedException: x', end_process: true, fenced: true }).type).toBe('fail');
    expect(() => check({ f: 'copy', abort: false }, [['poll']], { value })).toThrow(/micro-operation 2 is not completed/);
  });

  it.each([
    ['another value', [['send', 0, [3, 6]], ['poll', {}]], /must send value 5 to key 0/],
    ['a missing mop', [['send', 0, [3, 5]]], /at least 2 micro-operations/],
    ['an ok send without offset pair', [['send', 0, 5], ['poll', {}]], /not completed/],
    ['a poll of an unknown key', [['send', 0, [3, 5]], ['poll', { 9: [[0, 1]] }]], /polled key 9 is no key/],
    ['a negative offset', [['send', 0, [-1, 5]], ['poll', {}]], /offset must be a non-negative integer or null/],
    ['an ok poll without records', [['send', 0, [3, 5]], ['poll']], /poll without its records/],
    ['an extra send in a txn', [['send', 0, [3, 5]], ['poll', {}], ['send', 1, [0, 5]]], /was not asked for/],
  ])('refuses %s', (_, value, message) => {
    expect(() => check(txn, txn.value, { value })).toThrow(message);
  });

  it('refuses an assign that echoes other keys, and a crash that is not info', () => {
    expect(() => check({ f: 'assign', value: [0, 1] }, [0, 1], { value: [0] })).toThrow(/echo the assigned keys/);
    expect(() => check({ f: 'crash', value: null }, null, { value: null })).toThrow(/a crash completes "info"/);
  });
});
