// Random programs of client calls and fault events over the simulated cluster, and the interpreter that
// runs one while a Monitor records what the invariants need (which transaction each value belongs to,
// which producers were fenced, what each read_committed poll returned).
import { fc } from '@fast-check/vitest';
import { createSim } from '../../model/index.ts';
import type { ClientModel, Delivery, FaultEvent, GroupContext, ModelVariant, Outcome, Sim, TxnVersion } from '../../model/index.ts';
import { ctpCycle, newCtpWorker } from './ctp.ts';
import { KEYS, type Invariant, type Monitor, unexplainedGroupMoves } from './monitor.ts';

export { KEYS, type Invariant, type Monitor, unexplainedGroupMoves } from './monitor.ts';

/** Producer slots: 0-1 idempotent, 2-3 transactional (transactional ids T2, T3). */
const SLOTS = 4;
const isTxnSlot = (slot: number) => slot >= 2;

export type FaultSpec =
  | { type: 'requestLost' | 'responseLost' | 'requestDelayed'; slot: number | 'ctp'; count: number; after?: number }
  | { type: 'leaderChange'; key: number }
  | { type: 'coordinatorFailover'; slot: number | 'ctp' }
  | { type: 'producerCrash'; slot: number | 'ctp' }
  | { type: 'consumerCrash'; consumer: number }
  | { type: 'nodeDown' | 'nodeUp'; node: number }
  | { type: 'tick'; ticks: number };

export type Cmd =
  | { op: 'init'; slot: number; fresh: boolean }
  | { op: 'send'; slot: number; key: number }
  | { op: 'txnSend' | 'sendOffsets'; slot: number; key: number; zombie: boolean }
  | { op: 'begin' | 'commit' | 'abort'; slot: number; zombie: boolean }
  /** a whole transaction: begin, sends, maybe offsets, then commit, abort or nothing (left open) */
  | { op: 'txn'; slot: number; zombie: boolean; keys: number[]; offsets: boolean; end: 'commit' | 'abort' | 'open' }
  | { op: 'assign'; consumer: number; keys: number[]; readCommitted: boolean }
  | { op: 'poll' | 'rollback'; consumer: number }
  | { op: 'seek'; consumer: number; key: number; offset: number }
  | { op: 'ctp' }
  /** a plain OffsetCommit of the group, outside any transaction */
  | { op: 'offsetCommit'; key: number }
  /** client requests left on the wire (requestDelayed) land now, oldest first */
  | { op: 'deliverLate' }
  /** every message in flight (requests, log appends, markers, their answers) lands now, oldest first or newest
   *  first; the oldest `keep` stay on the wire */
  | { op: 'deliverAll'; newestFirst?: boolean; keep?: number }
  /** the markers of a transactional id stay on the wire (manual delivery) until released */
  | { op: 'holdMarkers'; slot: number; held: boolean }
  | { op: 'fault'; fault: FaultSpec };

const slot = fc.integer({ min: 0, max: SLOTS - 1 });
const txnSlot = fc.integer({ min: 2, max: SLOTS - 1 });
const key = fc.integer({ min: 0, max: KEYS - 1 });
const consumer = fc.integer({ min: 0, max: 1 });
const target = fc.oneof(slot, fc.constant('ctp' as const));
/** a quarter of transactional calls come from the previous instance of the slot: a zombie once fenced */
const zombie = fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 });

const faultArb: fc.Arbitrary<FaultSpec> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constantFrom('requestLost' as const, 'responseLost' as const), slot: target, count: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 7 })) }), weight: 6 },
  { arbitrary: fc.record({ type: fc.constant('requestDelayed' as const), slot: target, count: fc.integer({ min: 1, max: 3 }) }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('leaderChange' as const), key }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('coordinatorFailover' as const), slot: target }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('producerCrash' as const), slot: target }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('consumerCrash' as const), consumer }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constantFrom('nodeDown' as const, 'nodeUp' as const), node: fc.integer({ min: 0, max: 2 }) }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('tick' as const), ticks: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 100, max: 700 })) }), weight: 2 },
);

export const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('init' as const), slot, fresh: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('send' as const), slot: fc.integer({ min: 0, max: 1 }), key }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('begin' as const), slot: txnSlot, zombie }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('txnSend' as const), slot: txnSlot, key, zombie }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('sendOffsets' as const), slot: txnSlot, key, zombie }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constantFrom('commit' as const, 'abort' as const), slot: txnSlot, zombie }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant('txn' as const), slot: txnSlot, zombie, keys: fc.array(key, { minLength: 1, maxLength: 4 }),
      offsets: fc.boolean(), end: fc.constantFrom('commit' as const, 'commit' as const, 'abort' as const, 'open' as const),
    }),
    weight: 8,
  },
  { arbitrary: fc.record({ op: fc.constant('assign' as const), consumer, keys: fc.uniqueArray(key, { minLength: 1, maxLength: KEYS }), readCommitted: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('poll' as const), consumer }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('rollback' as const), consumer }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('seek' as const), consumer, key, offset: fc.integer({ min: 0, max: 10 }) }), weight: 1 },
  { arbitrary: fc.constant({ op: 'ctp' as const }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('fault' as const), fault: faultArb }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('offsetCommit' as const), key }), weight: 1 },
);

export const programArb = fc.record({
  txnVersion: fc.constantFrom<TxnVersion>(1, 2),
  cmds: fc.array(cmdArb, { minLength: 1, maxLength: 60, size: 'large' }),
});
export type Program = { txnVersion: TxnVersion; cmds: Cmd[] };



interface World { incarnation: number[]; txnCount: Map<string, number>; nextValue: number }

const clientOf = (w: World, s: number, zombie = false) =>
  (isTxnSlot(s) ? `T${s}#${Math.max(0, w.incarnation[s]! - (zombie ? 1 : 0))}` : `i${s}`);

/** How a run's cluster behaves beyond its transaction version: the producers' client, when messages land. */
export interface RunOptions { client?: ClientModel; delivery?: Delivery; transactionalIdExpirationTicks?: number }

export function startRun(txnVersion: TxnVersion, variant?: ModelVariant, opts: RunOptions = {}): { monitor: Monitor; step: (cmd: Cmd) => void } {
  const moves: string[] = [];
  const sim: Sim = createSim({ txnVersion, keys: KEYS, ...opts }, { name: 'model', ...variant, onStep: (s) => {
    if (s.machine === 'group') watchGroupOffsets(sim, s.event, s.before.context as GroupContext, s.after.context as GroupContext, moves);
    variant?.onStep?.(s);
  } });
  const monitor: Monitor = {
    sim, txnOfValue: new Map(), fenced: new Set(), zombieSuccesses: [], committedReads: [], unexplainedOffsetMoves: moves,
    ctp: newCtpWorker(),
  };
  const w: World = { incarnation: Array.from({ length: SLOTS }, () => 0), txnCount: new Map(), nextValue: 1 };
  // Two consumers watch every key from the start: c0 read_committed, c1 read_uncommitted.
  sim.assign('c0', Array.from({ length: KEYS }, (_, k) => k), { groupId: 'g0', readCommitted: true });
  sim.assign('c1', Array.from({ length: KEYS }, (_, k) => k), { groupId: 'g0', readCommitted: false });
  const known = new Set<string>();
  const value = () => w.nextValue++;
  const zombie = (client: string, op: string, o: Outcome<unknown>) => {
    if (o.type === 'ok' && monitor.fenced.has(client)) monitor.zombieSuccesses.push([client, op]);
  };
  const readPoll = (cid: string, o: Outcome<Record<number, Array<[number, number]>>>) => {
    const c = sim.consumer(cid);
    if (o.type !== 'ok' || c === undefined || !c.context.readCommitted) return;
    for (const [k, recs] of Object.entries(o.value)) for (const [off] of recs) monitor.committedReads.push([Number(k), off]);
  };
  const faultOf = (f: FaultSpec): FaultEvent | null => {
    const who = (t: number | 'ctp') => (t === 'ctp' ? monitor.ctp.clientId : known.has(clientOf(w, t)) ? clientOf(w, t) : null);
    switch (f.type) {
      case 'requestLost': case 'responseLost': case 'requestDelayed': { const c = who(f.slot); return c === null ? null : { type: f.type, clientId: c, count: f.count, ...(f.after ? { after: f.after } : {}) }; }
      case 'producerCrash': { const c = who(f.slot); return c === null ? null : { type: 'producerCrash', clientId: c }; }
      case 'coordinatorFailover':
        return { type: 'coordinatorFailover', transactionalId: f.slot === 'ctp' ? 'CTP' : `T${f.slot}` };
      case 'consumerCrash': return { type: 'consumerCrash', consumerId: `c${f.consumer}` };
      default: return f;
    }
  };
  const txnSend = (c: string, k: number): void => {
    const v = value();
    monitor.txnOfValue.set(`${k}:${v}`, `${c}/${w.txnCount.get(c) ?? 0}`);
    zombie(c, 'txnSend', sim.txnSend(c, k, v));
  };
  const end = (c: string, how: 'commit' | 'abort'): void => {
    // kafkajs "commits" a transaction with nothing in it without asking anyone: that commits nothing.
    const p = sim.producer(c)?.context;
    const hasContent = p !== undefined && (p.txnKeys.length > 0 || p.offsetsAdded);
    const o = how === 'commit' ? sim.commitTxn(c) : sim.abortTxn(c);
    if (how === 'commit' && hasContent) zombie(c, 'commit', o);
  };
  const step = (cmd: Cmd): void => {
    switch (cmd.op) {
      case 'init': {
        if (isTxnSlot(cmd.slot)) {
          const old = clientOf(w, cmd.slot);
          if (cmd.fresh && known.has(old)) w.incarnation[cmd.slot]! += 1;
          const client = clientOf(w, cmd.slot);
          const o = sim.initProducer(client, { transactionalId: `T${cmd.slot}` });
          known.add(client);
          if (o.type === 'ok') {
            for (let i = 0; i < w.incarnation[cmd.slot]!; i++) monitor.fenced.add(`T${cmd.slot}#${i}`);
          }
        } else {
          sim.initProducer(clientOf(w, cmd.slot));
          known.add(clientOf(w, cmd.slot));
        }
        return;
      }
      case 'send': if (known.has(clientOf(w, cmd.slot))) sim.send(clientOf(w, cmd.slot), cmd.key, value()); return;
      case 'begin': {
        const c = clientOf(w, cmd.slot, cmd.zombie);
        if (known.has(c) && sim.beginTxn(c).type === 'ok') w.txnCount.set(c, (w.txnCount.get(c) ?? 0) + 1);
        return;
      }
      case 'txnSend': {
        const c = clientOf(w, cmd.slot, cmd.zombie);
        if (known.has(c)) txnSend(c, cmd.key);
        return;
      }
      case 'sendOffsets': {
        const c = clientOf(w, cmd.slot, cmd.zombie);
        if (known.has(c)) zombie(c, 'sendOffsets', sim.sendOffsets(c, 'g0', { [cmd.key]: w.nextValue % 7 }));
        return;
      }
      case 'commit': case 'abort': {
        const c = clientOf(w, cmd.slot, cmd.zombie);
        if (known.has(c)) end(c, cmd.op);
        return;
      }
      case 'txn': {
        const c = clientOf(w, cmd.slot, cmd.zombie);
        if (!known.has(c)) return;
        if (sim.beginTxn(c).type === 'ok') w.txnCount.set(c, (w.txnCount.get(c) ?? 0) + 1);
        for (const k of cmd.keys) txnSend(c, k);
        if (cmd.offsets) zombie(c, 'sendOffsets', sim.sendOffsets(c, 'g0', { [cmd.keys[0]!]: w.nextValue % 7 }));
        if (cmd.end !== 'open') end(c, cmd.end);
        return;
      }
      case 'assign': sim.assign(`c${cmd.consumer}`, cmd.keys, { groupId: 'g0', readCommitted: cmd.readCommitted }); return;
      case 'poll': readPoll(`c${cmd.consumer}`, sim.poll(`c${cmd.consumer}`)); return;
      case 'rollback': if (sim.consumer(`c${cmd.consumer}`) !== undefined) sim.rollback(`c${cmd.consumer}`); return;
      case 'seek': {
        const c = sim.consumer(`c${cmd.consumer}`);
        if (c?.state === 'assigned' && c.context.assignment.includes(cmd.key)) sim.seek(`c${cmd.consumer}`, cmd.key, cmd.offset);
        return;
      }
      case 'ctp': ctpCycle(sim, monitor.ctp, value, (cid, o) => readPoll(cid, o)); return;
      case 'fault': { const f = faultOf(cmd.fault); if (f !== null) sim.fault(f); return; }
      case 'offsetCommit': sim.commitOffsets('g0', { [cmd.key]: w.nextValue % 7 }); return;
      case 'deliverLate':
        for (let m = sim.inFlight().find((x) => x.message.kind === 'request'); m !== undefined; m = sim.inFlight().find((x) => x.message.kind === 'request')) sim.deliver(m.id);
        return;
      case 'deliverAll':
        // bounded: a marker refused while the cluster lacks a quorum is retried for ever
        for (let i = 0; i < 100; i++) {
          const all = [...sim.inFlight()].sort((a, b) => a.id - b.id).slice(cmd.keep ?? 0);
          const m = cmd.newestFirst ? all[all.length - 1] : all[0];
          if (m === undefined) return;
          sim.deliver(m.id);
        }
        return;
      case 'holdMarkers': sim.hold(`T${cmd.slot}`, cmd.held); return;
    }
  };
  // Every producer slot starts initialised; later `init` commands re-initialise or start a new instance.
  for (let s = 0; s < SLOTS; s++) step({ op: 'init', slot: s, fresh: false });
  return { monitor, step };
}

/** Run `program`, checking `invariant` after every command; the first violation, or null. */
export function runProgram(program: Program, invariant: Invariant, variant?: ModelVariant): string | null {
  const { monitor, step } = startRun(program.txnVersion, variant);
  for (let i = 0; i < program.cmds.length; i++) {
    step(program.cmds[i]!);
    const violation = invariant(monitor);
    if (violation !== null) return `after command ${i} ${JSON.stringify(program.cmds[i])}: ${violation}`;
  }
  return null;
}


/** A committed offset may change only by a plain OffsetCommit, or by a COMMIT marker of a transaction (its
 *  coordinator in PrepareCommit) that held exactly that pending offset. */
function watchGroupOffsets(sim: Sim, event: { type: string }, before: GroupContext, after: GroupContext, out: string[]): void {
  const committing = (pid: number) => [...sim.inspect().coordinators.values()].some((c) => c.context.producerId === pid && c.state === 'PrepareCommit');
  out.push(...unexplainedGroupMoves(event, before, after, committing));
}
