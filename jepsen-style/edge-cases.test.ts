// Edge cases from the audit against Jepsen's kafka.clj (issue 15): each case here was judged wrong
// before, silently. Every history is read every way the checker reads one (in memory through
// JSON.parse, through the fast scanner, from a file serially, and from a file through worker threads)
// and every way must give the same verdict, or the same refusal naming the line and the field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpTableBuilder } from './analysis/ops.ts';
import { checkHistoryFile } from './check-file.ts';
import { checkOpTable, type Verdict } from './checker.ts';
import { HistoryLineParser } from './reader.ts';
import { HistoryFormatError } from './rules.ts';
import { anomaliesOf, verdictOf } from './testing/expect.ts';
import { HistoryBuilder, poll, polled, send, sent } from './testing/history-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'kafka-eos-edge-'));
let files = 0;

type Outcome = { verdict: Pick<Verdict, 'valid' | 'anomalyTypes' | 'anomalyCounts' | 'stats'> } | { line: number; message: string };

const summary = (v: Verdict) => ({ verdict: { valid: v.valid, anomalyTypes: v.anomalyTypes, anomalyCounts: v.anomalyCounts, stats: v.stats } });
const refusal = (e: unknown): Outcome => {
  if (!(e instanceof HistoryFormatError)) throw e;
  return { line: e.line, message: e.message };
};

function inMemory(text: string, fast: boolean): Outcome {
  const b = new OpTableBuilder();
  try {
    const p = new HistoryLineParser((e) => b.add(e), fast ? (s) => b.addScanned(s) : undefined);
    p.push(text);
    p.end();
  } catch (e) {
    return refusal(e);
  }
  return summary(checkOpTable(b.finish()));
}

async function fromFile(text: string, threads: boolean): Promise<Outcome> {
  const path = join(dir, `h${files++}.jsonl`);
  writeFileSync(path, text);
  try {
    return summary((await checkHistoryFile(path, { threads, chunkBytes: 64 })).verdict);
  } catch (e) {
    return refusal(e);
  }
}

/** The one outcome all four readers agree on (the test fails if they do not). */
async function outcomeOf(text: string): Promise<Outcome> {
  const json = inMemory(text, false);
  expect(inMemory(text, true), 'fast scanner').toEqual(json);
  expect(await fromFile(text, false), 'file, serial').toEqual(json);
  expect(await fromFile(text, true), 'file, worker threads').toEqual(json);
  return json;
}

const lines = (...events: object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('checker audit against kafka.clj', () => {
  it('int-nonmonotonic-send: a failed op\'s sends that polls saw in the opposite order (Jepsen includes failed ops)', () => {
    const h = new HistoryBuilder();
    const failed = h.op(0, 'fail', 'send', [send(0, 1), send(0, 2)], [sent(0, 5, 1), sent(0, 3, 2)]);
    h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[3, 2], [5, 1]] })]);
    expect(anomaliesOf(h, 'int-nonmonotonic-send')).toEqual([
      { type: 'int-nonmonotonic-send', allowed: false, key: 0, ops: [failed], delta: -1, values: [1, 2], offsets: [5, 3] },
    ]);
    expect(verdictOf(h).invalidTypes).toContain('int-nonmonotonic-send');
  });

  it('garbage-read: a poll returned a value no op ever sent; the history is invalid', async () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    const reader = h.op(1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 77]] })]);
    h.op(2, 'ok', 'poll', [poll()], [polled({ 0: [[1, 77]] })]);
    expect(anomaliesOf(h, 'garbage-read')).toEqual([
      { type: 'garbage-read', allowed: false, key: 0, values: [77], offsets: [1], ops: [reader, reader + 2] },
    ]);
    expect(verdictOf(h).anomalies['garbage-read']![0]!.explanation)
      .toBe('op 3 polled value 77 of key 0 at offset 1, but no op in the history ever sent value 77 to key 0');
    expect(await outcomeOf(h.toJsonl())).toMatchObject({ verdict: { valid: false, anomalyTypes: ['garbage-read'] } });
  });

  it('zombie-write: the older instance began with an assign, so it initialised before the newer one started', () => {
    const h = new HistoryBuilder();
    h.op(1, 'ok', 'assign', [0]); // process 1 initialises its producer in its first op
    const newer = h.op(2, 'ok', 'txn', [send(0, 2)], [sent(0, 0, 2)], { txnId: 't' });
    const zombie = h.op(1, 'ok', 'txn', [send(0, 1)], [sent(0, 1, 1)], { txnId: 't' });
    h.op(3, 'ok', 'poll', [poll()], [polled({ 0: [[0, 2], [1, 1]] })]);
    expect(anomaliesOf(h, 'zombie-write')).toEqual([
      { type: 'zombie-write', allowed: false, ops: [newer, zombie] },
      { type: 'zombie-write', allowed: false, key: 0, values: [2, 1], offsets: [0, 1], ops: [newer, zombie] },
    ]);
  });
});

describe('numbers a JSON reader cannot hold exactly', () => {
  it('refuses values beyond 2^53 - 1 with exit-2 input naming the line, whichever way the file is read', async () => {
    // 2^53 + 1 and 2^53 + 2 read as 2^53 and 2^53 + 2: before, the first two sends became one value at two offsets (a false duplicate).
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, 0, 1)]);
    const text = h.toJsonl()
      + '{"index":2,"time":2,"process":0,"type":"invoke","f":"send","value":[["send",0,9007199254740993]]}\n'
      + '{"index":3,"time":3,"process":0,"type":"ok","f":"send","value":[["send",0,[1,9007199254740993]]]}\n';
    const out = await outcomeOf(text);
    expect(out).toMatchObject({ line: 3 });
    expect((out as { message: string }).message).toMatch(/line 3: bad send micro-operation .*9007199254740992 is beyond 2\^53 - 1/);
  });

  it('refuses offsets, keys, times and polled keys beyond 2^53 - 1 too', async () => {
    const invoke = { index: 0, time: 0, process: 0, type: 'invoke', f: 'poll', value: [['poll']] };
    const cases: [string, RegExp][] = [
      [lines(invoke, { index: 1, time: 1, process: 0, type: 'ok', f: 'poll', value: [['poll', { 0: [[2 ** 60, 1]] }]] }), /line 2: polled key 0 holds .*beyond 2\^53 - 1/],
      [lines(invoke, { index: 1, time: 1, process: 0, type: 'ok', f: 'poll', value: [['poll', { [String(2n ** 60n)]: [[0, 1]] }]] }), /line 2: polled key 1152921504606846976 is beyond 2\^53 - 1/],
      [lines({ ...invoke, time: 2 ** 60 }), /line 1: "time" must be a non-negative integer, got 1152921504606846976, beyond 2\^53 - 1/],
      [lines({ index: 0, time: 0, process: 0, type: 'invoke', f: 'assign', value: [2 ** 60] }), /line 1: assign value must be .*beyond 2\^53 - 1/],
    ];
    for (const [text, message] of cases) expect((await outcomeOf(text) as { message: string }).message).toMatch(message);
  });

  it('keeps process ids beyond 2^31 apart (they were cut to 32 bits and merged with processes 0 and 1)', async () => {
    const big = 2 ** 32; // as an Int32, 2^32 is 0 and 2^32 + 1 is 1
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1), send(0, 2)], [sent(0, 0, 1), sent(0, 1, 2)]);
    h.op(0, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2]] })]);
    h.op(big, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1]] })]);
    h.op(big + 1, 'ok', 'send', [send(0, 3)], [sent(0, 2, 3)]);
    h.op(1, 'ok', 'send', [send(0, 4)], [sent(0, 3, 4)]);
    h.op(big + 1, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2], [2, 3], [3, 4]] })]);
    expect(await outcomeOf(h.toJsonl())).toEqual({ verdict: { valid: true, anomalyTypes: [], anomalyCounts: {}, stats: { ops: 6, ok: 6, fail: 0, info: 0 } } });
    expect(verdictOf(h)).toMatchObject({ valid: true, anomalyTypes: [] });
  });

  it('refuses process ids beyond 2^53 - 1', async () => {
    const out = await outcomeOf(lines({ index: 0, time: 0, process: 2 ** 60, type: 'invoke', f: 'poll', value: [['poll']] }));
    expect(out).toMatchObject({ line: 1, message: expect.stringMatching(/"process" must be a non-negative integer or "nemesis", got 1152921504606846976, beyond 2\^53 - 1/) });
  });
});

describe('send offsets of -1 (the Java client\'s "no offset")', () => {
  it('are unknown offsets, like null: no false inconsistent-offsets or duplicate', async () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, -1, 1)]);
    h.op(1, 'ok', 'send', [send(0, 2)], [sent(0, -1, 2)]);
    h.op(2, 'info', 'send', [send(0, 3)], [sent(0, -1, 3)]);
    h.op(3, 'ok', 'poll', [poll()], [polled({ 0: [[0, 1], [1, 2], [2, 3]] })]);
    expect(await outcomeOf(h.toJsonl())).toEqual({ verdict: { valid: true, anomalyTypes: [], anomalyCounts: {}, stats: { ops: 4, ok: 3, fail: 0, info: 1 } } });
  });

  it('other negative send offsets are refused, naming the line', async () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1)], [sent(0, -2, 1)]);
    expect(await outcomeOf(h.toJsonl())).toMatchObject({ line: 2, message: expect.stringMatching(/bad send micro-operation \["send",0,\[-2,1\]\]: .*offset ≥ 0, or null \(or -1\)/) });
  });
});

describe('input that is not a history, or breaks it without JSON.parse noticing', () => {
  const good = () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'send', [send(0, 1), send(1, 1)], [sent(0, 0, 1), sent(1, 0, 1)]);
    return h;
  };

  it('a poll map that repeats a partition key (JSON.parse kept only the last list)', async () => {
    const text = good().toJsonl()
      + '{"index":2,"time":2,"process":1,"type":"invoke","f":"poll","value":[["poll"]]}\n'
      + '{"index":3,"time":3,"process":1,"type":"ok","f":"poll","value":[["poll",{"0":[[0,1]],"1":[[0,1]],"0":[[5,9]]}]]}\n';
    expect(await outcomeOf(text)).toEqual({ line: 4, message: expect.stringMatching(/^line 4: the poll map at value\[0\]\[1\] repeats key "0"; a JSON reader keeps only the last/) });
  });

  it('an event that repeats a field', async () => {
    const text = good().toJsonl() + '{"index":2,"time":2,"process":1,"type":"invoke","type":"ok","f":"poll","value":[["poll"]]}\n';
    expect(await outcomeOf(text)).toEqual({ line: 3, message: expect.stringMatching(/^line 3: field "type" appears twice in the event/) });
  });

  it('a file of one line that is not JSON (it was judged as an empty history)', async () => {
    for (const text of ['this is not a history\n', 'not json either']) {
      expect(await outcomeOf(text)).toEqual({ line: 1, message: expect.stringMatching(/^line 1: not valid JSON \(.*\), and no event comes before it: this is not a history/) });
    }
  });

  it('a byte-order mark, named instead of printed as an invisible character', async () => {
    const out = await outcomeOf('\ufeff' + good().toJsonl());
    expect(out).toEqual({ line: 1, message: expect.stringContaining('line 1: the file starts with a byte-order mark (bytes EF BB BF)') });
    expect((out as { message: string }).message).not.toContain('\ufeff');
  });

  it('a missing field is named as missing, not "got undefined"', async () => {
    const cases: [object, RegExp][] = [
      [{ index: 0, process: 0, type: 'invoke', f: 'poll', value: [['poll']] }, /^line 1: "time" must be a non-negative integer, got nothing \(the field is missing\)$/],
      [{ index: 0, time: 0, type: 'invoke', f: 'poll', value: [['poll']] }, /^line 1: "process" must be .*, got nothing \(the field is missing\)$/],
      [{ time: 0, process: 0, type: 'invoke', f: 'poll', value: [['poll']] }, /^line 1: "index" must be an integer, got nothing \(the field is missing\)$/],
      [{ index: 0, time: 0, process: 0, f: 'poll', value: [['poll']] }, /^line 1: "type" must be one of invoke, ok, fail, info; got nothing \(the field is missing\)$/],
      [{ index: 0, time: 0, process: 0, type: 'invoke', value: [['poll']] }, /^line 1: "f" must be a string, got nothing \(the field is missing\)$/],
      [{ index: 0, time: 0, process: 0, type: 'invoke', f: 'poll' }, /^line 1: "value" is missing/],
    ];
    for (const [event, message] of cases) {
      const out = await outcomeOf(lines(event, { index: 1, time: 1, process: 'nemesis', type: 'info', f: 'kill', value: null }));
      expect(out, JSON.stringify(event)).toEqual({ line: 1, message: expect.stringMatching(message) });
      expect((out as { message: string }).message).not.toContain('undefined');
    }
  });
});
