// Replays a real history through the model (model/, createSim) and reports the first op Kafka did that
// the model would not. Ops are replayed mop by mop, with their transactions open concurrently as on the
// cluster, in an order the history forces: each process's ops in turn, sends to a key in the order of
// their real offsets, and a poll only after the writers of what it read have committed. Indeterminate
// ops are resolved by what was read: an info op counts as committed if one of its writes was read by
// an ok op, else it is aborted. Each real poll must match what the model's read_committed consumer
// returns from the same record on (a prefix of it), each committed op must be one the model accepts.
import { createSim } from '../../model/index.ts';
import type { Sim, TxnVersion } from '../../model/index.ts';
import type { HistoryEvent, Mop } from '../history.ts';
import type { ProgramInfo } from '../program-info.ts';
import { historyOps, kv, readsOf, sendsOf, type ReplayOp } from './history-ops.ts';

export interface Divergence {
  /** History index of the op (its completion). */
  index: number;
  process: number;
  /** refused: the model rejected what Kafka did; read: a poll returned what the model would not; stuck: no order of the history's ops satisfies it. */
  kind: 'refused' | 'read' | 'stuck';
  key?: number;
  model: string;
  kafka: string;
  explanation: string;
}

export interface ReplayResult {
  conforms: boolean;
  divergence?: Divergence;
  /** Ops fully replayed before the first divergence (or all of them). */
  replayed: number;
  ops: number;
}

export interface ReplayOptions {
  txnVersion?: TxnVersion;
  program?: ProgramInfo;
}

interface State { op: ReplayOp; mop: number; began: boolean; done: boolean; consumed: Map<number, number> }

export function replayAgainstModel(events: Iterable<HistoryEvent>, options: ReplayOptions = {}): ReplayResult {
  const h = historyOps(events);
  // No transaction may time out while the replay waits for another op: ticks are not real time here.
  const sim = createSim({ txnVersion: options.txnVersion ?? 1, keys: h.maxKey + 1, transactionTimeoutTicks: Number.MAX_SAFE_INTEGER });
  const states = h.ops.map((op): State => ({ op, mop: 0, began: false, done: false, consumed: new Map() }));
  const byOp = new Map(states.map((s) => [s.op, s]));
  const previous = previousOfProcess(states);
  const keyOrder = sendOrder(h.ops);
  const nextOnKey = new Map<number, number>();
  const settled = new Map<number, number>();
  /** `${key}:${value}` of the non-transactional sends replayed so far. */
  const appended = new Set<string>();
  const modelOffset = new Map<string, number>();
  const inits = new Set<string>();
  const assigned = new Map<number, Set<number>>();
  const groupOf = copierGroups(options.program);
  let replayed = 0, first = 0;

  const producer = (op: ReplayOp): string => {
    const id = op.f === 'txn' ? `t${op.process}` : `p${op.process}`;
    if (!inits.has(id)) {
      inits.add(id);
      sim.initProducer(id, op.f === 'txn' ? { transactionalId: op.txnId ?? `tx-${op.process}` } : {});
    }
    return id;
  };
  const diverge = (s: State, kind: Divergence['kind'], model: string, kafka: string, key?: number): ReplayResult => ({
    conforms: false, replayed, ops: h.ops.length,
    divergence: { index: s.op.index, process: s.op.process, kind, ...(key !== undefined ? { key } : {}), model, kafka,
      explanation: `op ${s.op.index} (process ${s.op.process}, ${s.op.type} ${s.op.f}): Kafka ${kafka}, but the model ${model}` },
  });

  const ready = (s: State): boolean => {
    const prev = previous.get(s);
    if (prev && !prev.done) return false;
    const mop = s.op.mops[s.mop];
    if (!mop) return true;
    if (mop[0] === 'send') {
      if (!s.op.committed || offsetOf(mop) === null) return true;
      return keyOrder.get(mop[1])!.ops[nextOnKey.get(mop[1]) ?? 0] === s.op;
    }
    return readsOf(mop).every(([k, pairs]) => pairs.length === 0 || (settledBelow(s, k, Math.max(...pairs.map(([o]) => o)))
      && pairs.every(([, v]) => {
        const w = h.writerOf.get(kv(k, v));
        return !w || w === s.op || !w.committed || visible(w, k, v);
      })));
  };

  /** A non-transactional send is visible once appended; a transaction's write once it committed. */
  const visible = (w: ReplayOp, k: number, v: number): boolean => (w.f === 'send' ? appended.has(kv(k, v)) : byOp.get(w)!.done);

  /**
   * A read_committed poll cannot return records above the last stable offset, so on Kafka every
   * committed record below the highest one read was in the log and every transaction holding one had
   * ended: the model must be there too.
   */
  const settledBelow = (s: State, k: number, offset: number): boolean => {
    const order = keyOrder.get(k);
    if (!order) return true;
    const inLog = nextOnKey.get(k) ?? 0;
    const ended = (i: number) => i < inLog && (order.ops[i]!.f !== 'txn' || byOp.get(order.ops[i]!)!.done);
    let i = settled.get(k) ?? 0;
    while (i < order.ops.length && ended(i)) i++;
    settled.set(k, i);
    for (; i < order.ops.length && order.offsets[i]! < offset; i++) if (order.ops[i] !== s.op && !ended(i)) return false;
    return true;
  };

  /** Why `s` cannot take its next step (for a stuck replay). */
  const waitingFor = (s: State): string => {
    const prev = previous.get(s);
    if (prev && !prev.done) return `process ${s.op.process}'s previous op ${prev.op.index} has not finished`;
    const mop = s.op.mops[s.mop]!;
    if (mop[0] === 'send') {
      const order = keyOrder.get(mop[1])!, i = nextOnKey.get(mop[1]) ?? 0;
      return `its send to key ${mop[1]} landed after op ${order.ops[i]!.index}'s (offset ${order.offsets[i]})`;
    }
    for (const [k, pairs] of readsOf(mop)) {
      for (const [, v] of pairs) {
        const w = h.writerOf.get(kv(k, v));
        if (w && w !== s.op && w.committed && !visible(w, k, v)) return `it read value ${v} of key ${k}, which op ${w.index} wrote and has not ${w.f === 'send' ? 'sent' : 'committed'} yet`;
      }
      const order = keyOrder.get(k);
      const top = Math.max(...pairs.map(([o]) => o));
      const inLog = nextOnKey.get(k) ?? 0;
      const open = order?.ops.findIndex((op, i) => order.offsets[i]! < top && op !== s.op && (i >= inLog || (op.f === 'txn' && !byOp.get(op)!.done))) ?? -1;
      if (open >= 0) return `it read key ${k} up to offset ${top}, past the record of op ${order!.ops[open]!.index} at offset ${order!.offsets[open]}, which is not in the log or whose transaction has not ended`;
    }
    return 'it waits for another op';
  };

  /** Runs the next step of `s`; returns a divergence or undefined. */
  const step = (s: State): ReplayResult | undefined => {
    const { op } = s;
    if (op.f === 'txn' && !s.began) {
      s.began = true;
      const r = sim.beginTxn(producer(op));
      if (r.type !== 'ok' && op.committed) return diverge(s, 'refused', `refused to begin a transaction (${r.error})`, 'committed a transaction');
    }
    const mop = op.mops[s.mop];
    // A send that did not commit is resolved as never having happened: the model leaves it out
    // (an open aborted transaction would only hold back the last stable offset).
    if (!mop || (op.f === 'send' && !op.committed)) return finish(s);
    s.mop++;
    if (mop[0] === 'send') return op.committed ? send(s, mop) : undefined;
    return poll(s, mop);
  };

  const send = (s: State, mop: Mop): ReplayResult | undefined => {
    const k = mop[1] as number, v = Array.isArray(mop[2]) ? (mop[2] as [number | null, number])[1] : (mop[2] as number);
    const r = s.op.f === 'txn' ? sim.txnSend(producer(s.op), k, v) : sim.send(producer(s.op), k, v);
    if (r.type === 'ok' && r.value.offset !== null) modelOffset.set(kv(k, v), r.value.offset);
    if (s.op.f === 'send') appended.add(kv(k, v));
    if (s.op.committed && offsetOf(mop) !== null) nextOnKey.set(k, (nextOnKey.get(k) ?? 0) + 1);
    if (r.type !== 'ok' && s.op.committed) return diverge(s, 'refused', `answered ${r.type} (${r.error}) to the send of value ${v}`, `wrote value ${v} to key ${k} and the write committed`, k);
    return undefined;
  };

  const poll = (s: State, mop: Mop): ReplayResult | undefined => {
    const reads = readsOf(mop).filter(([, pairs]) => pairs.length > 0);
    if (reads.length === 0) return undefined;
    const consumer = `c${s.op.process}`;
    const keys = assigned.get(s.op.process) ?? new Set<number>();
    if (reads.some(([k]) => !keys.has(k))) {
      for (const [k] of reads) keys.add(k);
      assigned.set(s.op.process, keys);
      sim.assign(consumer, [...keys].sort((a, b) => a - b), { groupId: groupOf(s.op) ?? `replay-${s.op.process}`, readCommitted: true });
    }
    for (const [k, pairs] of reads) {
      const at = modelOffset.get(kv(k, pairs[0]![1]));
      if (at === undefined) return diverge(s, 'read', `never holds value ${pairs[0]![1]} of key ${k} as a committed record`, `returned it at offset ${pairs[0]![0]}`, k);
      sim.seek(consumer, k, at);
    }
    const r = sim.poll(consumer);
    if (r.type !== 'ok') return diverge(s, 'refused', `refused the poll (${r.error})`, 'returned records');
    for (const [k, pairs] of reads) {
      const model = (r.value[k] ?? []).map(([, v]) => v);
      const kafka = pairs.map(([, v]) => v);
      const bad = kafka.findIndex((v, i) => model[i] !== v);
      if (bad >= 0) {
        return diverge(s, 'read', `returns ${show(model)} from there`, `returned ${show(kafka)} for key ${k} (value ${kafka[bad]} where the model has ${model[bad] ?? 'nothing'})`, k);
      }
      const last = r.value[k]![kafka.length - 1]![0];
      s.consumed.set(k, Math.max(s.consumed.get(k) ?? -1, last));
    }
    return undefined;
  };

  const finish = (s: State): ReplayResult | undefined => {
    s.done = true;
    replayed++;
    if (s.op.f !== 'txn') return undefined;
    const id = producer(s.op);
    if (!s.op.committed) { sim.abortTxn(id); return undefined; }
    const group = groupOf(s.op);
    if (group && s.consumed.size > 0) {
      const offsets = Object.fromEntries([...s.consumed].map(([k, o]) => [k, o + 1]));
      const r = sim.sendOffsets(id, group, offsets);
      if (r.type !== 'ok') return diverge(s, 'refused', `refused the offsets commit (${r.error})`, `committed the transaction with offsets for group ${group}`);
    }
    const r = sim.commitTxn(id);
    if (r.type !== 'ok') return diverge(s, 'refused', `answered ${r.type} to the commit (${r.error})`, `committed the transaction${s.op.type === 'info' ? ' (its writes were read)' : ''}`);
    return undefined;
  };

  while (first < states.length) {
    let progressed = false;
    for (let i = first; i < states.length && !progressed; i++) {
      const s = states[i]!;
      while (!s.done && ready(s)) {
        const d = step(s);
        if (d) return d;
        progressed = true;
      }
    }
    while (first < states.length && states[first]!.done) first++;
    if (!progressed && first < states.length) {
      const s = states[first]!;
      return diverge(s, 'stuck', `cannot order it: ${waitingFor(s)}, and that depends on this op in turn`,
        `completed it with mops ${JSON.stringify(s.op.mops).slice(0, 200)}`);
    }
  }
  return { conforms: true, replayed, ops: h.ops.length };
}

const offsetOf = (mop: Mop): number | null => (Array.isArray(mop[2]) ? (mop[2] as [number | null, number])[0] : null);
const show = (xs: number[]) => `[${xs.slice(0, 12).join(', ')}${xs.length > 12 ? ', ...' : ''}]`;

function previousOfProcess(states: State[]): Map<State, State> {
  const byProcess = new Map<number, State[]>();
  for (const s of states) {
    const list = byProcess.get(s.op.process);
    if (list) list.push(s); else byProcess.set(s.op.process, [s]);
  }
  const previous = new Map<State, State>();
  for (const list of byProcess.values()) {
    list.sort((a, b) => a.op.invokeIndex - b.op.invokeIndex);
    for (let i = 1; i < list.length; i++) previous.set(list[i]!, list[i - 1]!);
  }
  return previous;
}

/** Per key, the committed ops in the order of the offsets their sends got on the cluster. */
function sendOrder(ops: ReplayOp[]): Map<number, { ops: ReplayOp[]; offsets: number[] }> {
  const byKey = new Map<number, { offset: number; op: ReplayOp }[]>();
  for (const op of ops) {
    if (!op.committed) continue;
    for (const s of sendsOf(op)) {
      if (s.offset === null) continue;
      const list = byKey.get(s.key);
      if (list) list.push({ offset: s.offset, op }); else byKey.set(s.key, [{ offset: s.offset, op }]);
    }
  }
  return new Map([...byKey].map(([k, xs]) => {
    xs.sort((a, b) => a.offset - b.offset);
    return [k, { ops: xs.map((x) => x.op), offsets: xs.map((x) => x.offset) }];
  }));
}

function copierGroups(program: ProgramInfo | undefined): (op: ReplayOp) => string | undefined {
  const copiers = program?.copiers ?? [];
  return (op) => copiers.find((c) => (op.txnId !== undefined ? c.transactionalId === op.txnId : c.processes?.includes(op.process)))?.group;
}
