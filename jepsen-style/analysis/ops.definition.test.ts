// The op table by its definition (ops.ts; history-format.md §1): one op per completed send, poll or txn
// in completion order, then every invoke left without completion as `info` in invoke order; an op's
// mops from its completion when it has them, from its invoke otherwise (a completion is what really
// happened; one that learned nothing gives null); an unknown send offset (null, or the Java client's -1)
// as NaN; assigns and subscribes that may have taken effect (not `fail`) as assignments, with the keys
// of the completion or else the invoke; crashes and nemesis events as no op but as events. Checked
// against a plain reading of that definition, through both readers (JSON.parse and the fast scanner),
// on random histories of every shape the contract allows.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { ClientF, HistoryEvent, Mop } from '../history.ts';
import { HistoryLineParser } from '../reader.ts';
import { generateHistory } from '../testing/generate.ts';
import { buildOpTable, FAIL, INFO, OK, OpTableBuilder, type OpTable } from './ops.ts';

type Triple = [key: number, offset: number, value: number];
interface Op { index: number; invokeIndex: number; process: number; type: number; f: number; invokeTime: number; completeTime: number; txnId?: string; writes: Triple[]; reads: Triple[] }

const TYPE: Record<string, number> = { ok: OK, fail: FAIL, info: INFO };
const F: Record<string, number> = { send: 0, poll: 1, txn: 2 };

/** The definition, read plainly. */
function expected(events: HistoryEvent[]) {
  const pending = new Map<number, HistoryEvent & { process: number }>();
  const ops: Op[] = [], assignments: unknown[] = [];
  const stats = { ops: 0, ok: 0, fail: 0, info: 0 };
  // Every key a mop names (a polled key without records too), in the order the ops name them.
  const keys: number[] = [];
  const named = (k: number) => { if (!keys.includes(k)) keys.push(k); return k; };
  const op = (inv: HistoryEvent & { process: number }, index: number, type: number, completeTime: number, mops: unknown, txnId: string | undefined): Op => {
    const writes: Triple[] = [], reads: Triple[] = [];
    for (const m of mops as unknown[][]) {
      if (m[0] === 'send') {
        const v = m[2];
        const k = named(m[1] as number);
        writes.push(Array.isArray(v) ? [k, v[0] === null || v[0] === -1 ? NaN : v[0], v[1]] : [k, NaN, v as number]);
      } else if (m.length === 2) {
        for (const [k, pairs] of Object.entries(m[1] as Record<string, [number, number][]>)) {
          const key = named(Number(k));
          for (const [o, v] of pairs) reads.push([key, o, v]);
        }
      }
    }
    return { index, invokeIndex: inv.index, process: inv.process, type, f: F[inv.f]!, invokeTime: inv.time, completeTime, ...(txnId !== undefined && { txnId }), writes, reads };
  };
  for (const e of events) {
    if (e.process === 'nemesis') continue;
    if (e.type === 'invoke') { pending.set(e.process, e as HistoryEvent & { process: number }); continue; }
    stats.ops++;
    stats[e.type as 'ok' | 'fail' | 'info']++;
    const inv = pending.get(e.process)!;
    pending.delete(e.process);
    if (e.f === 'assign' || e.f === 'subscribe') {
      if (e.type !== 'fail') assignments.push({ process: e.process, index: e.index, invokeIndex: inv.index, keys: Array.isArray(e.value) ? e.value : inv.value, subscribe: e.f === 'subscribe' });
    } else if (e.f in F) {
      ops.push(op(inv, e.index, TYPE[e.type]!, e.time, Array.isArray(e.value) ? e.value : inv.value, (e as { txnId?: string }).txnId ?? (inv as { txnId?: string }).txnId));
    }
  }
  // A Map lists a process where it last became pending: invoke order.
  for (const inv of pending.values()) if (inv.f in F) ops.push(op(inv, inv.index, INFO, Infinity, inv.value, (inv as { txnId?: string }).txnId));
  return { ops, assignments, stats, events: events.length, keys };
}

/** The table, read back into the same shape. */
function actual(t: OpTable) {
  const ops: Op[] = [];
  const triples = (from: number, to: number, key: Int32Array, offset: Float64Array, value: Float64Array): Triple[] =>
    Array.from({ length: to - from }, (_, j) => [t.keys[key[from + j]!]!, offset[from + j]!, value[from + j]!]);
  for (let i = 0; i < t.n; i++) {
    const txnId = t.txnId.get(i);
    ops.push({
      index: t.index[i]!, invokeIndex: t.invokeIndex[i]!, process: t.process[i]!, type: t.type[i]!, f: t.f[i]!,
      invokeTime: t.invokeTime[i]!, completeTime: t.completeTime[i]!, ...(txnId !== undefined && { txnId }),
      writes: triples(t.wStart[i]!, t.wStart[i + 1]!, t.wKey, t.wOffset, t.wValue),
      reads: triples(t.rStart[i]!, t.rStart[i + 1]!, t.rKey, t.rOffset, t.rValue),
    });
    for (let w = t.wStart[i]!; w < t.wStart[i + 1]!; w++) expect(t.wOp[w]).toBe(i);
    for (let r = t.rStart[i]!; r < t.rStart[i + 1]!; r++) expect(t.rOp[r]).toBe(i);
  }
  expect(t.wStart[t.n]).toBe(t.wKey.length);
  expect(t.rStart[t.n]).toBe(t.rKey.length);
  t.keys.forEach((k, id) => expect(t.keyId.get(k)).toBe(id));
  return { ops, assignments: t.assignments, stats: t.stats, events: t.events, keys: t.keys };
}

/** The table through the fast scanner (JSON.parse for the lines it leaves). */
function scanned(events: HistoryEvent[]): OpTable {
  const b = new OpTableBuilder();
  const parser = new HistoryLineParser((e) => b.add(e), (s) => b.addScanned(s));
  parser.push(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  parser.end();
  return b.finish();
}

function checkBoth(events: HistoryEvent[]): void {
  const want = expected(events);
  expect(actual(buildOpTable(events))).toEqual(want);
  expect(actual(scanned(events))).toEqual(want);
}

/** Keys small and large: dense ids use a table below 4096 and a Map above. */
const key = fc.constantFrom(0, 1, 2, 4095, 4096, 70_000, 2 ** 40);
const value = fc.integer({ min: -5, max: 1_000_000 });
const sendMop = fc.tuple(key, value).map(([k, v]): Mop => ['send', k, v]);
const offset = fc.oneof(fc.nat(5000), fc.constant(null), fc.constant(-1));
const polledMop = fc.dictionary(key.map(String), fc.array(fc.tuple(fc.nat(5000), value), { maxLength: 4 }), { maxKeys: 3 }).map((m): Mop => ['poll', m]);

/** One step of a client or the nemesis, as random choices; `histories` turns them into a valid history. */
const step = fc.record({
  process: fc.nat(4), f: fc.constantFrom<ClientF>('send', 'poll', 'txn', 'txn', 'assign', 'subscribe', 'crash'),
  type: fc.constantFrom('ok', 'ok', 'fail', 'info'), nemesis: fc.boolean(), txnId: fc.constantFrom(undefined, 'a', 'b'),
  sends: fc.array(sendMop, { maxLength: 25 }), polls: fc.nat(2), learned: fc.constantFrom(true, true, false),
  offsets: fc.array(offset, { minLength: 25, maxLength: 25 }), polled: fc.array(polledMop, { minLength: 2, maxLength: 2 }),
  keys: fc.array(key, { maxLength: 3 }), keysAgain: fc.boolean(),
});

function history(steps: (typeof step extends fc.Arbitrary<infer T> ? T : never)[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const pending = new Map<number, { f: ClientF; value: unknown }>();
  // Each of the few client slots has a process id; after an info a fresh id takes the slot over.
  const processOf = new Map<number, number>();
  let fresh = 100;
  const push = (e: object) => events.push({ index: events.length, time: 3 * events.length, ...e } as HistoryEvent);
  for (const s of steps) {
    if (s.nemesis && s.polls === 0) { push({ process: 'nemesis', type: 'info', f: 'kill', value: null }); continue; }
    const process = processOf.get(s.process) ?? s.process;
    const p = pending.get(process);
    if (!p) {
      const mops: Mop[] = s.f === 'poll' ? Array(s.polls + 1).fill(['poll']) : s.f === 'send' ? s.sends : [...s.sends, ...Array(s.polls).fill(['poll'])];
      const v = s.f === 'crash' ? null : s.f === 'assign' || s.f === 'subscribe' ? s.keys : mops;
      pending.set(process, { f: s.f, value: v });
      push({ process, type: 'invoke', f: s.f, value: v, ...(s.f === 'txn' && s.txnId && { txnId: s.txnId }) });
      continue;
    }
    pending.delete(process);
    const type = p.f === 'crash' ? 'info' : s.type;
    if (type === 'info') processOf.set(s.process, fresh++);
    let v: unknown = null;
    if (p.f === 'assign' || p.f === 'subscribe') v = s.keysAgain ? s.keys : p.value;
    else if (p.f !== 'crash' && s.learned) {
      // Some sends of an info op never returned and stay plain; polls alternate between two results and none.
      let polls = 0;
      v = (p.value as Mop[]).map((m, i) => (m[0] === 'send' ? ['send', m[1], i % 4 === 3 && type === 'info' ? m[2] : [s.offsets[i], m[2]]] : polls++ % 3 === 2 ? ['poll'] : s.polled[polls % 2]));
    }
    // A txnId on the completion only, or on both.
    push({ process, type, f: p.f, value: v, ...(p.f === 'txn' && s.keysAgain && { txnId: 'c' }) });
  }
  return events;
}

describe('the op table', () => {
  test.prop([fc.array(step, { maxLength: 40 })], { numRuns: 150 })('lists every op by the definition, through either reader', (steps) => {
    checkBoth(history(steps));
  });

  it('takes a completion\'s empty list as what happened, not as a completion that learned nothing', () => {
    // A transaction that ended having sent nothing (history-format.md §1: only null leaves the invoke's mops standing).
    const events: HistoryEvent[] = [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'txn', value: [['send', 0, 1], ['poll']] },
      { index: 1, time: 1, process: 0, type: 'ok', f: 'txn', value: [] },
      { index: 2, time: 2, process: 1, type: 'invoke', f: 'send', value: [['send', 0, 2]] },
      { index: 3, time: 3, process: 1, type: 'fail', f: 'send', value: [] },
    ];
    checkBoth(events);
    expect(scanned(events).wKey.length).toBe(0);
  });

  it('holds large histories, large ops and large polls (past every column\'s first size)', () => {
    const events = [...generateHistory({ seed: 3, ops: 1500, keys: 3, txnP: 0.5 })];
    // One poll of 3000 records of one key and a transaction of 40 sends.
    const at = events.length;
    const pairs = Array.from({ length: 3000 }, (_, i): [number, number] => [i, i + 7]);
    const sends = Array.from({ length: 40 }, (_, i): Mop => ['send', i % 5, 10_000 + i]);
    events.push(
      { index: at, time: 1e9, process: 900, type: 'invoke', f: 'poll', value: [['poll']] },
      { index: at + 1, time: 1e9, process: 900, type: 'ok', f: 'poll', value: [['poll', { 2: pairs }]] },
      { index: at + 2, time: 1e9, process: 901, type: 'invoke', f: 'txn', value: sends },
      { index: at + 3, time: 1e9, process: 902, type: 'invoke', f: 'send', value: sends.slice(0, 30) },
      { index: at + 4, time: 1e9, process: 902, type: 'ok', f: 'send', value: null },
    );
    const t = buildOpTable(events);
    expect(t.n).toBeGreaterThan(1024);
    expect(t.rKey.length).toBeGreaterThan(3000);
    checkBoth(events);
  });

  it('holds exactly as many ops as the grown columns have room for (the op starts keep their extra end entry)', () => {
    // 2048 ops: the op columns grow once, from 1024 to 2048, and are then full; the last op reads.
    const events: HistoryEvent[] = [];
    const push = (e: object) => events.push({ index: events.length, time: events.length, ...e } as HistoryEvent);
    for (let i = 0; i < 2047; i++) {
      push({ process: 0, type: 'invoke', f: 'send', value: [['send', 0, i]] });
      push({ process: 0, type: 'ok', f: 'send', value: [['send', 0, [i, i]]] });
    }
    push({ process: 0, type: 'invoke', f: 'poll', value: [['poll']] });
    push({ process: 0, type: 'ok', f: 'poll', value: [['poll', { 0: [[0, 0], [1, 1]] }]] });
    const t = buildOpTable(events);
    expect(t.n).toBe(2048);
    expect([t.wStart.length, t.rStart.length]).toEqual([2049, 2049]);
    expect([t.wStart[2047], t.wStart[2048], t.rStart[2047], t.rStart[2048]]).toEqual([2047, 2047, 0, 2]);
    checkBoth(events);
  });
});
