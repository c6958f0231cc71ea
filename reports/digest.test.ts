// The digest decides what a report shows of a history: the ops for the plots, the fault bands, and
// which events make it into the table. Hand-made histories with known answers.
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../jepsen-style/history.ts';
import { HistoryBuilder, send, sent } from '../jepsen-style/testing/history-builder.ts';
import { HistoryDigester, type DigestOptions } from './digest.ts';

function digest(events: HistoryEvent[], options: DigestOptions = {}) {
  const d = new HistoryDigester(options);
  for (const e of events) d.add(e);
  return d.finish();
}

/** `n` sequential sends by process 0; completion i sits at index 2i+1. */
function sends(n: number): HistoryBuilder {
  const b = new HistoryBuilder();
  for (let i = 0; i < n; i++) b.op(0, 'ok', 'send', [send(0, i)], [sent(0, i, i)]);
  return b;
}

describe('HistoryDigester', () => {
  it('records every client op with its process, type and latency; an unfinished invoke is info without latency', () => {
    const b = new HistoryBuilder();
    b.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    b.op(1, 'fail', 'send', [send(0, 2)], [send(0, 2)], { error: 'boom' });
    b.invoke(2, 'poll', [['poll']]);
    const d = digest(b.events);
    expect(d.ops.index).toEqual([1, 3, 4]);
    expect(d.ops.type).toEqual([0, 1, 2]);
    expect(d.ops.latencyNs).toEqual([1, 1, null]);
    expect(d.ops.process).toEqual([0, 1, 2]);
    expect(d.fNames).toEqual(['send', 'poll']);
    expect(d.rows.find((r) => r.index === 3)?.error).toBe('boom');
    expect(d.rows.find((r) => r.index === 3)?.pair).toBe(2);
  });

  it('shows the head, the tail and a window around each focused event, with the focused op\'s invoke', () => {
    const b = sends(200); // 400 events
    const d = digest(b.events, { head: 10, tail: 5, context: 3, focus: [201] });
    const shown = d.rows.map((r) => r.index);
    expect(shown).toEqual([...range(0, 10), ...range(198, 205), ...range(395, 400)]);
    expect(d.rowsCapped).toBe(0);
  });

  it('brings a focused completion\'s invoke along even when it lies outside the window', () => {
    const b = new HistoryBuilder();
    b.invoke(9, 'send', [send(0, 1)]);
    for (let i = 0; i < 50; i++) b.op(0, 'ok', 'send', [send(1, i)], [sent(1, i, i)]);
    const done = b.complete(9, 'ok', [sent(0, 0, 1)]);
    const d = digest(b.events, { head: 0, tail: 0, context: 2, focus: [done] });
    expect(d.rows.map((r) => r.index)).toEqual([0, done - 2, done - 1, done]);
  });

  it('under the row cap keeps the cited events, the end of the history and the windows around cited events first', () => {
    const b = sends(200); // 400 events; completions at odd indices
    const d = digest(b.events, { head: 150, tail: 20, context: 4, maxRows: 60, focus: [201, 395] });
    const shown = d.rows.map((r) => r.index);
    for (const cited of [200, 201, 394, 395]) expect(shown, `cited event ${cited} (or its invoke)`).toContain(cited);
    expect(shown.filter((i) => i >= 380)).toEqual(range(380, 400)); // the whole tail
    expect(shown.filter((i) => i >= 196 && i <= 206)).toEqual([...range(197, 206)]); // the window: 4 either side of 201, and the invoke
    expect(shown).toHaveLength(60);
    expect(shown.filter((i) => i < 150)).toHaveLength(60 - 20 - 9); // the head takes what is left
    expect(d.rowsCapped).toBeGreaterThan(0);
  });

  it('caps the table and counts what the cap left out', () => {
    const d = digest(sends(100).events, { head: 200, tail: 0, maxRows: 50 });
    expect(d.rows).toHaveLength(50);
    expect(d.rowsCapped).toBe(150);
  });

  it('pairs fault starts with their heals (invoke/info pairs count once) and leaves an unhealed fault open', () => {
    const b = new HistoryBuilder();
    b.nemesis('start-partition', 'invoke'); b.nemesis('start-partition', 'info');
    b.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    b.nemesis('stop-partition', 'invoke'); const healed = b.nemesis('stop-partition', 'info');
    const kill = b.nemesis('kill', 'info', { nodes: [2] });
    const pause = b.nemesis('pause', 'info', { nodes: [1] }); const resume = b.nemesis('resume', 'info', { nodes: [1] });
    const t = (i: number) => b.events[i]!.time;
    const d = digest(b.events);
    expect(d.faults.map((f) => [f.family, f.startNs, f.endNs, f.target])).toEqual([
      ['partition', 0, t(healed), ''], ['kill', t(kill), null, 'n2'], ['pause', t(pause), t(resume), 'n1'],
    ]);
    expect(d.nemesisEvents).toBe(7);
    expect(d.rows.filter((r) => r.process === 'nemesis')).toHaveLength(7);
  });

  it('names the nodes a fault hit, and heals only the nodes a stop names', () => {
    const b = new HistoryBuilder();
    const k1 = b.nemesis('kill', 'info', { nodes: [1] });
    const k3 = b.nemesis('kill', 'info', { nodes: [3] });
    const r1 = b.nemesis('restart', 'info', { nodes: [1] });
    const p1 = b.nemesis('start-partition', 'info', { kind: 'majority-minority', majority: [2, 3], minority: [1], grudge: {} });
    const p2 = b.nemesis('start-partition', 'info', { kind: 'one', isolated: [2], grudge: {} });
    const healAll = b.nemesis('restart', 'info', { nodes: [1, 2, 3] });
    const stop = b.nemesis('stop-partition', 'info', null);
    const t = (i: number) => b.events[i]!.time;
    expect(digest(b.events).faults.map((f) => [f.family, f.target, f.startNs, f.endNs])).toEqual([
      ['kill', 'n1', t(k1), t(r1)], ['kill', 'n3', t(k3), t(healAll)],
      ['partition', 'n2 n3 | n1', t(p1), t(stop)], ['partition', 'n2 isolated', t(p2), t(stop)],
    ]);
  });

  it('cuts long values for the table', () => {
    const b = new HistoryBuilder();
    b.op(0, 'ok', 'send', Array.from({ length: 100 }, (_, i) => send(0, i)), Array.from({ length: 100 }, (_, i) => sent(0, i, i)));
    const d = digest(b.events, { maxValueChars: 50 });
    expect(d.rows[1]!.value).toMatch(/^.{50}… \(\d+ more characters\)$/);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
