// A seeded generator of large *valid* histories: a simulated Kafka with one log per key and
// concurrent clients (sends, polls, transactions, assigns, crashes, aborts), whose effects apply
// atomically when an op completes. It feeds the checker's properties (a valid history must stay
// valid) and its benchmark (scripts/bench-checker.ts). Events are yielded one by one, so a
// million-op history never has to sit in memory.
import type { ClientEvent, HistoryEvent, Mop } from '../history.ts';

export interface GenerateOptions {
  seed: number;
  /** Client ops (completions) to generate before the final polls. */
  ops: number;
  keys?: number;
  concurrency?: number;
  /** Probability that an op is a transaction (else a send or a poll). */
  txnP?: number;
  /** Probability that a transaction fails (aborts) or ends info (crash, the process retires). */
  failP?: number;
  infoP?: number;
}

/** mulberry32: tiny, fast and deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Log { values: number[]; offsets: number[]; nextOffset: number; nextValue: number }
interface Worker { process: number; position: Map<number, number>; keys: number[]; pending?: { f: ClientEvent['f']; value: ClientEvent['value'] } }

export function* generateHistory(o: GenerateOptions): Generator<HistoryEvent> {
  const random = rng(o.seed);
  const nKeys = o.keys ?? 8, concurrency = o.concurrency ?? 5;
  const txnP = o.txnP ?? 0.3, failP = o.failP ?? 0.03, infoP = o.infoP ?? 0.01;
  const int = (n: number) => Math.floor(random() * n);
  const logs: Log[] = Array.from({ length: nKeys }, () => ({ values: [], offsets: [], nextOffset: 0, nextValue: 1 }));
  let index = 0, time = 0, nextProcess = 0, completed = 0;
  const event = (process: number, type: ClientEvent['type'], f: ClientEvent['f'], value: ClientEvent['value']): HistoryEvent => {
    time += 1 + int(1000);
    return { index: index++, time, process, type, f, value };
  };
  const newWorker = (): Worker => {
    const keys = pickKeys();
    // A fresh consumer starts a little behind the end of each log, as after a seek.
    const position = new Map(keys.map((k) => [k, Math.max(0, logs[k]!.values.length - int(4))]));
    return { process: nextProcess++, position, keys };
  };
  const pickKeys = () => {
    const keys = new Set<number>([int(nKeys)]);
    while (random() < 0.5 && keys.size < nKeys) keys.add(int(nKeys));
    return [...keys].sort((a, b) => a - b);
  };
  const workers = Array.from({ length: concurrency }, newWorker);

  const readFrom = (w: Worker, max: number, advance: boolean): Mop => {
    const polled: Record<string, [number, number][]> = {};
    for (const k of w.keys) {
      const log = logs[k]!, from = w.position.get(k) ?? 0, to = Math.min(log.values.length, from + max);
      if (to > from) polled[k] = log.values.slice(from, to).map((v, i) => [log.offsets[from + i]!, v]);
      if (advance) w.position.set(k, to);
    }
    return ['poll', polled];
  };
  const append = (k: number, v: number): number => {
    const log = logs[k]!, offset = log.nextOffset++;
    log.values.push(v); log.offsets.push(offset);
    return offset;
  };

  while (completed < o.ops) {
    const w = workers[int(concurrency)]!;
    if (!w.pending) {
      const roll = random();
      if (roll < 0.02) w.pending = { f: 'assign', value: (w.keys = pickKeys()) };
      else if (roll < 0.02 + txnP) w.pending = { f: 'txn', value: [...sends(), ['poll']] };
      else if (roll < 0.6) w.pending = { f: 'send', value: sends() };
      else w.pending = { f: 'poll', value: [['poll']] };
      yield event(w.process, 'invoke', w.pending.f, w.pending.value);
      continue;
    }
    const { f, value } = w.pending;
    w.pending = undefined;
    completed++;
    if (f === 'assign') {
      for (const k of w.keys) if (!w.position.has(k)) w.position.set(k, Math.max(0, logs[k]!.values.length - int(3)));
      yield event(w.process, 'ok', f, value);
      continue;
    }
    const outcome = f === 'poll' ? 'ok' : random() < failP ? 'fail' : random() < infoP ? 'info' : 'ok';
    const mops = value as Mop[];
    // Reads first, then writes: a read_committed consumer never sees its own transaction's sends.
    const result: Mop[] = mops.map((m) => (m[0] === 'poll' ? readFrom(w, 1 + int(6), outcome === 'ok') : m));
    const applied = outcome === 'ok' || (outcome === 'info' && random() < 0.5);
    for (let i = 0; i < result.length; i++) {
      const m = result[i]!;
      if (m[0] !== 'send') continue;
      const [, k, v] = m as ['send', number, number];
      result[i] = applied ? ['send', k, [append(k, v), v]] : outcome === 'fail' ? ['send', k, [null, v]] : m;
    }
    if (f === 'txn') {
      // Transaction markers (and, for an abort, the aborted records) take offsets no poll returns.
      const touched = new Set(mops.flatMap((m) => (m[0] === 'send' ? [m[1]] : [])));
      for (const k of touched) logs[k]!.nextOffset += applied ? 1 : 1 + mops.filter((m) => m[0] === 'send' && m[1] === k).length;
    }
    yield event(w.process, outcome, f, result);
    if (outcome === 'info') workers[workers.indexOf(w)] = newWorker();
  }
  // Drain: complete what is pending as info (as a killed run would leave it), then final polls.
  for (const w of workers) {
    if (w.pending) yield event(w.process, 'info', w.pending.f, w.pending.f === 'assign' ? w.pending.value : null);
  }
  yield* finalPolls();

  function sends(): Mop[] {
    const mops: Mop[] = [];
    const n = 1 + int(3);
    for (let i = 0; i < n; i++) {
      const k = int(nKeys);
      mops.push(['send', k, logs[k]!.nextValue++]);
    }
    return mops;
  }

  function* finalPolls(): Generator<HistoryEvent> {
    const process = nextProcess++;
    for (let k = 0; k < nKeys; k++) {
      const log = logs[k]!;
      yield event(process, 'invoke', 'assign', [k]);
      yield event(process, 'ok', 'assign', [k]);
      for (let from = 0; from < log.values.length; from += 1000) {
        const to = Math.min(log.values.length, from + 1000);
        const pairs = log.values.slice(from, to).map((v, i): [number, number] => [log.offsets[from + i]!, v]);
        yield event(process, 'invoke', 'poll', [['poll']]);
        yield event(process, 'ok', 'poll', [['poll', { [k]: pairs }]]);
      }
    }
  }
}
