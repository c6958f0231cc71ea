// What can happen next in a world, and what it does: a producer sends its next request (starting its next
// call when none is under way), or leaves it on the wire and times out; a producer stops waiting for an
// answer; a message in flight lands; a coordinator fails over or aborts a transaction on timeout. Client
// requests reach their broker at once unless left on the wire: the interleavings explored are those of the
// messages the protocol has in flight, and of the clients with each other.
import { deliverMessage, handleRequest, kick, toClient } from '../../model/broker.ts';
import type { ClientRequest } from '../../model/network.ts';
import { type ClientAnswer, answerEvent } from '../../model/producer-driver.ts';
import type { Call } from './config.ts';
import type { World } from './world.ts';

export type Action =
  | { kind: 'step'; p: number }
  | { kind: 'delay'; p: number }
  | { kind: 'timeout'; p: number }
  | { kind: 'deliver'; id: number }
  | { kind: 'failover'; txnId: string }
  | { kind: 'expire'; txnId: string };

const TIMED_OUT: ClientAnswer = { error: 'REQUEST_TIMED_OUT', producerId: -1, producerEpoch: -1, offset: null };

export function actions(w: World): Action[] {
  const out: Action[] = [];
  w.clients.forEach((c, p) => {
    if (c.waiting !== null) { if (w.budget[1] > 0) out.push({ kind: 'timeout', p }); return; }
    if (!canMove(w, p)) return;
    out.push({ kind: 'step', p });
    if (w.budget[0] > 0) out.push({ kind: 'delay', p });
  });
  for (const h of w.heads()) out.push({ kind: 'deliver', id: h.id });
  for (const txnId of w.m.txnIds) {
    const c = w.coordinator(txnId);
    if (c === undefined) continue;
    if (w.budget[2] > 0) out.push({ kind: 'failover', txnId });
    if (w.budget[3] > 0 && c.state === 'Ongoing') out.push({ kind: 'expire', txnId });
  }
  return out;
}

/** A copy of `w` after `a`. */
export function apply(w0: World, a: Action): World {
  const w = w0.clone();
  w.violation = null;
  switch (a.kind) {
    case 'step': case 'delay': step(w, a.p, a.kind === 'delay'); break;
    case 'timeout': {
      const c = w.client(a.p);
      const req = c.waiting!.req;
      c.waiting = null;
      c.uncertain = true;
      w.spend(1);
      answer(w, a.p, req, TIMED_OUT);
      break;
    }
    case 'deliver': deliver(w, a.id); break;
    case 'failover': {
      w.spend(2);
      // The new coordinator never had what the old one had not appended; its markers stay on the wire.
      w.net = w.net.filter((x) => !(x.message.kind === 'logAppend' && x.message.transactionalId === a.txnId));
      w.stepCoordinator(a.txnId, { type: 'txn.failover' });
      kick(w, a.txnId);
      w.clients.forEach((c0, p) => {
        if (c0.waiting !== null && !w.net.some((x) => x.id === c0.waiting!.message)) {
          const c = w.client(p);
          const req = c.waiting!.req;
          c.waiting = null;
          answer(w, p, req, { error: 'NOT_COORDINATOR' });
        }
      });
      break;
    }
    case 'expire':
      w.spend(3);
      w.stepCoordinator(a.txnId, { type: 'txn.abortTimedOut', now: 0 });
      kick(w, a.txnId);
      break;
  }
  return w;
}

const canMove = (w: World, p: number) => w.m.requestOf(w.producers[p]!) !== null || w.clients[p]!.pc < w.config.producers[p]!.calls.length;

function startEvent(call: Call) {
  switch (call.kind) {
    case 'init': return { type: 'producer.initProducerId' } as const;
    case 'begin': return { type: 'producer.beginTxn' } as const;
    case 'send': return { type: 'producer.send', key: call.key, value: call.value } as const;
    case 'sendOffsets': return { type: 'producer.sendOffsets', groupId: call.groupId, offsets: call.offsets } as const;
    case 'commit': return { type: 'producer.commit' } as const;
    case 'abort': return { type: 'producer.abort' } as const;
  }
}

/** The producer's next request: of the call under way, or of the next calls (calls that need none complete at once). */
function step(w: World, p: number, delayed: boolean): void {
  const c = w.client(p);
  let refused = false;
  let req = w.m.requestOf(w.producers[p]!);
  while (req === null && c.pc < w.config.producers[p]!.calls.length) {
    const before = w.producers[p]!;
    w.journal?.push({ kind: 'start', p, call: c.pc });
    w.producers[p] = w.m.producer.step(before, startEvent(w.config.producers[p]!.calls[c.pc]!));
    c.uncertain = false;
    refused = w.producers[p] === before;
    req = w.m.requestOf(w.producers[p]!);
    // A call the client refuses in its state (a producer in error) completes at once, failed.
    if (req === null) finish(w, p, false, refused);
  }
  if (req === null) return;
  if (delayed) {
    w.spend(0);
    w.send(`client:${p}:${w.nextMessageId}`, { kind: 'request', clientId: `P${p}`, request: req, protocol: w.m.protocol });
    c.uncertain = true;
    answer(w, p, req, TIMED_OUT);
    return;
  }
  const h = handleRequest(w, req, w.m.protocol, -1);
  if (h.kind === 'waiting' && h.message >= 0) { c.waiting = { message: h.message, req, answer: h.answer }; return; }
  answer(w, p, req, h.answer);
}

/** The producer machine takes the answer; a call whose machine asks for nothing more is complete. */
function answer(w: World, p: number, req: ClientRequest, a: ClientAnswer): void {
  const s = w.m.producer.snapshot(w.producers[p]!);
  w.producers[p] = w.m.producer.step(w.producers[p]!, answerEvent(s, req, a));
  if (w.m.requestOf(w.producers[p]!) === null) finish(w, p, true);
}

/** A call is over: a newer instance's successful InitProducerId fences the older ones; a fenced producer must not succeed again. */
function finish(w: World, p: number, madeRequests: boolean, refused = false): void {
  const c = w.client(p);
  const call = w.config.producers[p]!.calls[c.pc]!;
  const s = w.m.producer.snapshot(w.producers[p]!);
  const ok = s.context.lastError === null && !refused;
  w.journal?.push({
    kind: 'finish', p, call: c.pc, outcome: ok ? 'ok' : c.uncertain ? 'info' : 'fail',
    error: refused ? 'refused by the client in its state' : s.context.lastError, offset: call.kind === 'send' && ok ? s.context.lastOffset : null,
  });
  c.pc++;
  if (call.kind === 'init' && ok) {
    const txnId = w.config.producers[p]!.transactionalId;
    w.config.producers.forEach((q, i) => { if (i !== p && q.transactionalId === txnId && w.clients[i]!.pc > 0) w.fence(i); });
  }
  if (madeRequests && ok && w.fenced[p] && call.kind !== 'init' && call.kind !== 'begin' && call.kind !== 'abort') {
    w.violation ??= `fenced producer P${p} succeeded at ${call.kind}`;
  }
}

function deliver(w: World, id: number): void {
  const waiter = w.clients.findIndex((c) => c.waiting?.message === id);
  const m = w.take(id);
  const done = m.kind === 'request' ? (handleRequest(w, m.request, m.protocol, -1), null) : deliverMessage(w, m);
  if (waiter < 0) return;
  const c = w.client(waiter);
  const { req, answer: stored } = c.waiting!;
  c.waiting = null;
  answer(w, waiter, req, done !== null ? { ...done.reply, error: toClient(done.reply.error, w.m.protocol, w) } : stored);
}

export function describe(w: World, a: Action): string {
  switch (a.kind) {
    case 'step': return `${w.config.producers[a.p]!.name} sends its next request`;
    case 'delay': return `${w.config.producers[a.p]!.name}'s next request stays on the wire (the client times out)`;
    case 'timeout': return `${w.config.producers[a.p]!.name} stops waiting for its answer`;
    case 'deliver': {
      const m = w.net.find((x) => x.id === a.id)!.message;
      return `deliver ${m.kind === 'request' ? `${m.clientId}'s late ${m.request.type}` : m.kind === 'marker' ? `${m.commit ? 'COMMIT' : 'ABORT'} marker of ${m.transactionalId} to ${m.partition}` : m.kind === 'markerAnswer' ? `${m.partition}'s answer (${m.error}) to ${m.transactionalId}'s marker` : `${m.kind} of ${'transactionalId' in m ? m.transactionalId : ''}`}`;
    }
    case 'failover': return `${a.txnId}'s coordinator fails over`;
    case 'expire': return `${a.txnId}'s coordinator aborts its transaction on timeout`;
  }
}
