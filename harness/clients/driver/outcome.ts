// A driver's `complete` reply turned into the runner's OpResult, after checking that its value is the
// op it was asked to run (same mops, same keys and values, offsets where offsets belong). A driver that
// answers with something else is broken, and the history must not record its invention: the check
// throws a ProtocolError, and the caller records the op `info`.
import type { ClientEvent } from '../../../jepsen-style/history.ts';
import type { OpResult } from '../../model-runner/modelClient.ts';
import type { ProgramOp } from '../../workload/program.ts';
import { ProtocolError, type Reply } from './protocol.ts';

type Complete = Extract<Reply, { type: 'complete' }>;

export function opResultOf(reply: Complete, op: ProgramOp, invoked: ClientEvent['value'], keyCount: number): OpResult {
  const bad = (what: string): never => {
    throw new ProtocolError(`complete for ${op.f}: ${what}; got ${JSON.stringify(reply.value).slice(0, 300)}`);
  };
  const value = checkValue(op, invoked, reply, keyCount, bad);
  return {
    type: reply.outcome,
    value,
    ...(reply.error !== undefined ? { error: reply.error } : {}),
    endProcess: reply.end_process || reply.outcome === 'info',
    fenced: reply.fenced,
  };
}

function checkValue(op: ProgramOp, invoked: ClientEvent['value'], reply: Complete, keyCount: number, bad: (what: string) => never): ClientEvent['value'] {
  const v = reply.value;
  switch (op.f) {
    case 'crash':
      if (reply.outcome !== 'info') bad('a crash completes "info"');
      return null;
    case 'assign':
    case 'subscribe':
      if (JSON.stringify(v) !== JSON.stringify(invoked)) bad(`the value must echo the ${op.f}ed keys ${JSON.stringify(invoked)}`);
      return invoked;
  }
  if (!Array.isArray(v)) bad('the value must be the array of completed micro-operations');
  const mops = v as unknown[];
  const asked = invoked as unknown as unknown[][];
  if (op.f === 'copy' ? mops.length < 1 : mops.length < asked.length) bad(`expected at least ${asked.length} micro-operations`);
  if (op.f !== 'copy' && op.f !== 'txn' && mops.length !== asked.length) bad(`expected exactly ${asked.length} micro-operations`);
  for (const [i, mop] of mops.entries()) {
    if (!Array.isArray(mop)) bad(`micro-operation ${i} is not an array`);
    const m = mop as unknown[];
    const want = asked[i];
    if (want === undefined) {
      // Past the invoked mops: only a copier's sends, which its poll called for.
      if (op.f !== 'copy' || m[0] !== 'send') bad(`micro-operation ${i} was not asked for`);
      checkSend(m, null, keyCount, reply.outcome === 'ok', i, bad);
    } else if (want[0] === 'send') {
      checkSend(m, want, keyCount, reply.outcome === 'ok', i, bad);
    } else {
      checkPoll(m, keyCount, reply.outcome === 'ok', i, bad);
    }
  }
  return mops as ClientEvent['value'];
}

/**
 * `["send", k, [offset|null, v]]` for the asked `["send", k, v]` (or a copier's send, asked by its poll);
 * unfinished (`["send", k, v]`: never reached) only when the op is not ok.
 */
function checkSend(m: unknown[], want: unknown[] | null, keyCount: number, ok: boolean, i: number, bad: (what: string) => never): void {
  if (m[0] !== 'send' || m.length !== 3) bad(`micro-operation ${i} must be ["send", key, [offset, value]]`);
  if (!isKey(m[1], keyCount)) bad(`micro-operation ${i} names no key of the run`);
  const done = Array.isArray(m[2]);
  const value = done ? (m[2] as unknown[])[1] : m[2];
  if (want !== null && (m[1] !== want[1] || value !== want[2])) bad(`micro-operation ${i} must send value ${String(want[2])} to key ${String(want[1])}`);
  if (!Number.isInteger(value)) bad(`micro-operation ${i} has no integer value`);
  if (!done) {
    if (ok) bad(`micro-operation ${i} is not completed ([offset, value])`);
    return;
  }
  const pair = m[2] as unknown[];
  if (pair.length !== 2 || !(pair[0] === null || isOffset(pair[0]))) bad(`micro-operation ${i}: the offset must be a non-negative integer or null`);
}

/** `["poll", {key: [[offset, value], ...]}]`, or `["poll"]` when not ok (the poll never happened). */
function checkPoll(m: unknown[], keyCount: number, ok: boolean, i: number, bad: (what: string) => never): void {
  if (m[0] !== 'poll' || m.length > 2) bad(`micro-operation ${i} must be ["poll", {key: [[offset, value], ...]}]`);
  if (m.length === 1) {
    if (ok) bad(`micro-operation ${i} is a poll without its records`);
    return;
  }
  const polled = m[1];
  if (typeof polled !== 'object' || polled === null || Array.isArray(polled)) bad(`micro-operation ${i}: the polled records must be an object by key`);
  for (const [key, pairs] of Object.entries(polled as Record<string, unknown>)) {
    if (!/^\d+$/.test(key) || !isKey(Number(key), keyCount)) bad(`micro-operation ${i}: polled key ${key} is no key of the run`);
    if (!Array.isArray(pairs) || !pairs.every((p) => Array.isArray(p) && p.length === 2 && isOffset(p[0]) && Number.isInteger(p[1]))) {
      bad(`micro-operation ${i}: the records of key ${key} must be [[offset, value], ...] integers`);
    }
  }
}

const isOffset = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
const isKey = (x: unknown, keyCount: number) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < keyCount;
