// A counterexample as a history the checker and the report read (../shared/history-format.md): the trace is
// replayed with a journal of the calls; each transaction of a producer (begin to commit or abort) becomes one
// `txn` op, with its sends and the offsets they got, completed ok (committed), fail (aborted, or a definite
// failure) or info (its end is unknown to the client); final read_committed reads of every key close it.
import type { ClientEvent, HistoryEvent, Mop } from '../../jepsen-style/history.ts';
import { type Action, actions, apply, describe } from './actions.ts';
import { simView } from './check.ts';
import type { Call, ExploreConfig } from './config.ts';
import { replayTrace } from './search.ts';
import type { JournalEntry } from './world.ts';
import type { ModelVariant } from '../../model/index.ts';

export interface TraceHistory {
  events: HistoryEvent[];
  /** The counterexample's actions, then `(after)` the fault-free completion. */
  steps: string[];
}

const READER = 9;

export function traceHistory(config: ExploreConfig, trace: readonly Action[], variant?: ModelVariant): TraceHistory {
  const journal: JournalEntry[] = [];
  const worlds = replayTrace(config, [], variant);
  worlds[0]!.journal = journal;
  const steps: string[] = [];
  const marks: number[] = [];
  for (const a of trace) {
    const w = worlds[worlds.length - 1]!;
    steps.push(describe(w, a));
    const before = journal.length;
    worlds.push(apply(w, a));
    for (let i = before; i < journal.length; i++) marks.push(steps.length);
  }
  // After the violation the system runs on without faults until every program is done and nothing is in
  // flight, so the history says how each transaction ended for its client.
  for (let n = 0; n < 10_000; n++) {
    const w = worlds[worlds.length - 1]!;
    const a = actions(w).find((x) => x.kind === 'deliver') ?? actions(w).find((x) => x.kind === 'step');
    if (a === undefined) break;
    steps.push(`(after) ${describe(w, a)}`);
    const before = journal.length;
    worlds.push(apply(w, a));
    for (let i = before; i < journal.length; i++) marks.push(steps.length);
  }
  const events: HistoryEvent[] = [];
  const emit = (e: Omit<ClientEvent, 'index'>) => events.push({ ...e, index: events.length } as HistoryEvent);
  const open = new Map<number, { invoke: Mop[]; done: Mop[]; end: Call['kind'] | null }>();
  journal.forEach((j, n) => {
    const time = marks[n]! * 1_000_000;
    const program = config.producers[j.p]!;
    const call = program.calls[j.call]!;
    if (j.kind === 'start') {
      if (call.kind !== 'begin') return;
      const sends = program.calls.slice(j.call + 1, endOf(program.calls, j.call) + 1).flatMap((c): Mop[] => (c.kind === 'send' ? [['send', c.key, c.value]] : []));
      open.set(j.p, { invoke: sends, done: [], end: null });
      emit({ time, process: j.p, type: 'invoke', f: 'txn', value: sends, txnId: program.transactionalId });
      return;
    }
    const txn = open.get(j.p);
    if (txn === undefined) return;
    if (call.kind === 'send') txn.done.push(['send', call.key, [j.offset, call.value]]);
    if (call.kind !== 'commit' && call.kind !== 'abort') return;
    open.delete(j.p);
    // An abort that went through is a definite failure of the transaction; one that did not leaves it unknown.
    const type = call.kind === 'commit' ? j.outcome : j.outcome === 'ok' ? 'fail' : 'info';
    const value: Mop[] = txn.invoke.map((m, i) => txn.done[i] ?? ['send', m[1] as number, [null, m[2] as number]]);
    emit({
      time, process: j.p, type, f: 'txn', value, txnId: program.transactionalId,
      ...(type === 'ok' ? {} : { error: call.kind === 'abort' && j.outcome === 'ok' ? 'aborted on purpose' : `${call.kind}: ${j.error ?? 'unknown'}` }),
    });
  });
  // Transactions the trace left under way end unknown.
  for (const [p, txn] of open) {
    const value: Mop[] = txn.invoke.map((m, i) => txn.done[i] ?? ['send', m[1] as number, [null, m[2] as number]]);
    emit({ time: (steps.length + 1) * 1_000_000, process: p, type: 'info', f: 'txn', value, error: 'the trace ended', txnId: config.producers[p]!.transactionalId });
  }
  const sim = simView(worlds[worlds.length - 1]!, variant) as unknown as { readCommitted: (k: number) => Array<[number, number]> };
  const reads = Object.fromEntries(Array.from({ length: config.keys }, (_, k) => [String(k), sim.readCommitted(k)]));
  const end = (steps.length + 2) * 1_000_000;
  emit({ time: end, process: READER, type: 'invoke', f: 'poll', value: [['poll']] });
  emit({ time: end + 1, process: READER, type: 'ok', f: 'poll', value: [['poll', reads]] });
  return { events, steps };
}

/** The index of the commit or abort that ends the transaction begun at `begin`. */
function endOf(calls: readonly Call[], begin: number): number {
  for (let i = begin + 1; i < calls.length; i++) if (calls[i]!.kind === 'commit' || calls[i]!.kind === 'abort') return i;
  return calls.length - 1;
}
