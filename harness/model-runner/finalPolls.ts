// The final phase (research/jepsen.md 4.3): after the heal and the quiet time, fresh readers assign
// every key from the beginning and poll until each key reached the highest offset an ok op
// acknowledged during the run, or until they run out of attempts or time. Readers take turns in
// logical time, one poll each per `pollMs`.
import type { Key, Offset } from '../../jepsen-style/history.ts';
import type { Sim } from '../../model/index.ts';
import type { AckedOffsets } from '../history/ackedOffsets.ts';
import type { LogicalClock } from '../history/clock.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { Program } from '../workload/program.ts';
import type { RunStats } from './stats.ts';

const MS = 1_000_000;

interface Reader {
  process: number;
  consumer: string;
  atNs: number;
  attempts: number;
  seen: Map<Key, Offset>;
  done: boolean;
}

export function runFinalPolls(
  program: Program, sim: Sim, writer: HistoryWriter, clock: LogicalClock, startNs: number,
  acked: AckedOffsets, freshProcess: () => number, stats: RunStats,
): void {
  const fp = program.finalPolls;
  const readCommitted = program.mutate !== 'read-uncommitted';
  const deadlineNs = startNs + fp.timeLimitMs * MS;
  const readers: Reader[] = Array.from({ length: fp.readers }, () => {
    const process = freshProcess();
    return { process, consumer: `final${process}`, atNs: startNs, attempts: 0, seen: new Map(), done: false };
  });
  for (const r of readers) {
    clock.advanceTo(r.atNs);
    writer.invoke(r.process, 'assign', [...fp.keys]);
    // No group: a fresh consumer without committed offsets starts at the beginning of every key.
    sim.assign(r.consumer, fp.keys, { readCommitted });
    clock.advanceTo(r.atNs + MS);
    writer.complete(r.process, 'ok', 'assign', [...fp.keys]);
    stats.count('ok');
    r.atNs += MS;
  }
  for (;;) {
    const live = readers.filter((r) => !r.done);
    if (live.length === 0) return;
    const r = live.reduce((a, b) => (b.atNs < a.atNs ? b : a));
    if (acked.reachedBy(r.seen) || r.attempts >= fp.maxAttempts || r.atNs >= deadlineNs) {
      r.done = true;
      continue;
    }
    clock.advanceTo(r.atNs);
    writer.invoke(r.process, 'poll', [['poll']]);
    const out = sim.poll(r.consumer);
    clock.advanceTo(r.atNs + MS);
    r.attempts++;
    r.atNs += fp.pollMs * MS;
    if (out.type !== 'ok') {
      writer.complete(r.process, out.type, 'poll', [['poll']], out.error);
      stats.count(out.type);
      if (out.type === 'info') r.done = true;
      continue;
    }
    const polled = Object.fromEntries(Object.entries(out.value).map(([k, pairs]) => [k, pairs.map(([o, v]) => [o, v] as [number, number])]));
    for (const [k, pairs] of Object.entries(polled)) for (const [o] of pairs) r.seen.set(Number(k), Math.max(o, r.seen.get(Number(k)) ?? -1));
    writer.complete(r.process, 'ok', 'poll', [['poll', polled]]);
    stats.count('ok');
  }
}
