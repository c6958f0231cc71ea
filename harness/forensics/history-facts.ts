// What a history says about each key that forensics need: the highest offset acknowledged (as the
// final reads track it), the highest offset any ok poll read, and which op wrote each known offset.
// Pure: events in, facts out.
import type { ClientEvent, HistoryEvent, Key, Offset, Value } from '../../jepsen-style/history.ts';
import { isClientEvent } from '../../jepsen-style/history.ts';
import { AckedOffsets } from '../history/ackedOffsets.ts';

export interface WriteFact {
  value: Value;
  /** History index of the op's completion. */
  op: number;
  type: ClientEvent['type'];
  process: number;
  /** Seconds since the run started, at the op's completion. */
  atSeconds: number;
}

export interface KeyFacts {
  key: Key;
  /** Highest offset an ok op acknowledged (its sends and polls); -1 when none. */
  lastAcked: Offset;
  /** Highest offset an ok poll returned; -1 when none. */
  lastRead: Offset;
  /** Every completed send with a known offset, whatever its op's outcome. */
  writes: Map<Offset, WriteFact>;
}

export function historyFacts(events: Iterable<HistoryEvent>): Map<Key, KeyFacts> {
  const acked = new AckedOffsets();
  const facts = new Map<Key, KeyFacts>();
  const of = (key: Key): KeyFacts => {
    let f = facts.get(key);
    if (!f) facts.set(key, (f = { key, lastAcked: -1, lastRead: -1, writes: new Map() }));
    return f;
  };
  for (const e of events) {
    if (!isClientEvent(e) || e.type === 'invoke' || !Array.isArray(e.value)) continue;
    if (e.f !== 'send' && e.f !== 'txn' && e.f !== 'poll') continue;
    if (e.type === 'ok') acked.track(e.value as ClientEvent['value']);
    for (const mop of e.value as unknown[]) {
      if (!Array.isArray(mop)) continue;
      if (mop[0] === 'send' && Array.isArray(mop[2]) && typeof mop[2][0] === 'number') {
        of(mop[1] as Key).writes.set(mop[2][0], { value: mop[2][1] as Value, op: e.index, type: e.type, process: e.process, atSeconds: e.time / 1e9 });
      } else if (mop[0] === 'poll' && e.type === 'ok' && mop[1] && typeof mop[1] === 'object') {
        for (const [k, pairs] of Object.entries(mop[1] as Record<string, ReadonlyArray<readonly [Offset, Value]>>)) {
          const f = of(Number(k));
          for (const [o] of pairs) if (o > f.lastRead) f.lastRead = o;
        }
      }
    }
  }
  for (const [k, o] of acked.entries()) of(k).lastAcked = o;
  return facts;
}

/** Keys whose reads stopped short of what was acknowledged: where the final reads fell short. */
export function shortKeys(facts: ReadonlyMap<Key, KeyFacts>): KeyFacts[] {
  return [...facts.values()].filter((f) => f.lastRead < f.lastAcked).sort((a, b) => a.key - b.key);
}

/** The offset a value of a key was written at, if the history knows it. */
export function offsetOfValue(facts: KeyFacts | undefined, value: Value): Offset | null {
  if (!facts) return null;
  for (const [o, w] of facts.writes) if (w.value === value) return o;
  return null;
}
