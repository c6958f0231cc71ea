// Anomaly injection into valid histories: each function breaks one promise in a way that one named
// anomaly must catch, or returns undefined when the history offers no place to do it. Used by the
// properties (properties/checker.test.ts) to show that the checks can fail.
import type { ClientEvent, HistoryEvent, Mop } from '../history.ts';

type Pairs = Record<string, [number, number][]>;
type Injection = (events: HistoryEvent[], pick: (n: number) => number) => HistoryEvent[] | undefined;

const clone = (events: HistoryEvent[]): HistoryEvent[] => structuredClone(events);
const isCompletion = (e: HistoryEvent): e is ClientEvent => e.process !== 'nemesis' && e.type !== 'invoke';
const polls = (e: ClientEvent): Pairs[] =>
  e.f === 'assign' || e.f === 'subscribe' || !Array.isArray(e.value) ? [] :
    (e.value as Mop[]).filter((m) => m[0] === 'poll' && m.length === 2).map((m) => m[1] as Pairs);
const sendsWithOffset = (e: ClientEvent) => e.f === 'assign' || e.f === 'subscribe' || !Array.isArray(e.value) ? [] :
  (e.value as Mop[]).filter((m): m is ['send', number, [number, number]] => m[0] === 'send' && Array.isArray(m[2]) && m[2][0] !== null);
const choose = <T>(xs: T[], pick: (n: number) => number): T | undefined => (xs.length === 0 ? undefined : xs[pick(xs.length)]);

/** A value read a second time at an offset far past the end: `duplicate`. */
const duplicate: Injection = (events, pick) => {
  const h = clone(events);
  const target = choose(h.filter(isCompletion).filter((e) => e.type === 'ok').flatMap((e) => polls(e).flatMap((p) => Object.entries(p).filter(([, xs]) => xs.length > 0).map(([k, xs]) => ({ k, xs })))), pick);
  if (!target) return undefined;
  const last = target.xs[target.xs.length - 1]!;
  target.xs.push([last[0] + 1_000_000, target.xs[0]![1]]);
  return h;
};

/** An acknowledged send that was read becomes a failed one: `G1a`. */
const g1a: Injection = (events, pick) => {
  const h = clone(events);
  const read = new Set(h.filter(isCompletion).filter((e) => e.type === 'ok').flatMap((e) => polls(e).flatMap((p) => Object.entries(p).flatMap(([k, xs]) => xs.map(([, v]) => `${k}:${v}`)))));
  const target = choose(h.filter(isCompletion).filter((e) => e.type === 'ok' && e.f === 'send' && sendsWithOffset(e).some((m) => read.has(`${m[1]}:${m[2][1]}`))), pick);
  if (!target) return undefined;
  target.type = 'fail';
  return h;
};

/** Every read of one value that later values follow is erased: `lost-write`. */
const lostWrite: Injection = (events, pick) => {
  const h = clone(events);
  const sends = h.filter(isCompletion).filter((e) => e.type === 'ok').flatMap(sendsWithOffset);
  const target = choose(sends, pick);
  if (!target) return undefined;
  const [, k, [offset, v]] = target;
  if (!sends.some((m) => m[1] === k && m[2][0] > offset)) return undefined;
  for (const e of h.filter(isCompletion)) for (const p of polls(e)) if (p[k]) p[k] = p[k]!.filter(([, x]) => x !== v);
  return h;
};

/** A committed send claims the offset of another value of its key: `inconsistent-offsets`. */
const inconsistentOffsets: Injection = (events, pick) => {
  const h = clone(events);
  const sends = h.filter(isCompletion).filter((e) => e.type === 'ok').flatMap(sendsWithOffset);
  const target = choose(sends, pick);
  const other = target && sends.find((m) => m[1] === target[1] && m[2][0] !== target[2][0]);
  if (!target || !other) return undefined;
  target[2][0] = other[2][0];
  return h;
};

/** A transaction polls its own send: `precommitted-read`. */
const precommittedRead: Injection = (events, pick) => {
  const h = clone(events);
  const target = choose(h.filter(isCompletion).filter((e) => e.f === 'txn' && sendsWithOffset(e).length > 0 && polls(e).length > 0), pick);
  if (!target) return undefined;
  const [, k, pair] = sendsWithOffset(target)[0]!;
  const p = polls(target)[0]!;
  p[k] = [...(p[k] ?? []), [pair[0]!, pair[1]]];
  return h;
};

/** A process's ok poll starts again at the record its previous ok poll ended on: `nonmonotonic-poll`. */
const nonmonotonicPoll: Injection = (events, pick) => {
  const h = clone(events);
  const last = new Map<string, [number, number]>();
  const candidates: { pairs: [number, number][]; repeat: [number, number] }[] = [];
  for (const e of h.filter(isCompletion)) {
    if (e.f === 'assign' || e.f === 'subscribe') {
      for (const id of [...last.keys()]) if (id.startsWith(`${e.process}:`)) last.delete(id);
      continue;
    }
    const seen = new Set<string>();
    for (const p of polls(e)) {
      for (const [k, xs] of Object.entries(p)) {
        const id = `${e.process}:${k}`;
        if (xs.length === 0) continue;
        if (!seen.has(k) && last.has(id)) candidates.push({ pairs: xs, repeat: last.get(id)! });
        seen.add(k);
        if (e.type === 'ok') last.set(id, xs[xs.length - 1]!);
      }
    }
  }
  const target = choose(candidates, pick);
  if (!target) return undefined;
  target.pairs.unshift([...target.repeat]);
  return h;
};

export const INJECTIONS = {
  duplicate, G1a: g1a, 'lost-write': lostWrite, 'inconsistent-offsets': inconsistentOffsets,
  'precommitted-read': precommittedRead, 'nonmonotonic-poll': nonmonotonicPoll,
} satisfies Record<string, Injection>;
