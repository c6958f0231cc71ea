// How the parallel reader splits a history among its worker threads (chunk-scan.ts, run here in this
// thread): the file is cut into chunks of a nominal size that end at newlines; worker `first` of `step`
// scans chunks first, first + step, ..., in that order, so that together the workers' chunks tile the
// file; it posts each chunk's tape and stays at most `window` chunks ahead of the credits the main
// thread sends as it replays them. Replayed in chunk order, the tapes read the file as the serial reader.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpTableBuilder } from './analysis/ops.ts';
import { scanChunks, type ParseWorkerData } from './chunk-scan.ts';
import { HistoryLineParser } from './reader.ts';
import { FastEventScanner } from './fast-scan.ts';
import { boundaryAfter, HEAD, RAW, scanToTape, TapeWriter, type Tape } from './scan-tape.ts';
import { generateHistory } from './testing/generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'kafka-eos-chunk-scan-'));
let files = 0;
const file = (text: string) => {
  const path = join(dir, `h${files++}.jsonl`);
  writeFileSync(path, text);
  return { path, size: Buffer.byteLength(text) };
};

const history = (seed: number, ops: number) => [...generateHistory({ seed, ops, keys: 5, concurrency: 4, txnP: 0.4 })].map((e) => JSON.stringify(e));

/** Every worker of `step` run to the end with credits given at once: chunk number → tape, and each worker's order. */
async function scanAll(path: string, size: number, chunk: number, step: number) {
  const chunks = Math.max(1, Math.ceil(size / chunk));
  const tapes = new Map<number, Tape>(), orders: number[][] = [];
  for (let first = 0; first < step; first++) {
    const order: number[] = [];
    orders.push(order);
    let credit = () => {};
    await scanChunks({ path, size, chunk, chunks, first, step, window: 1 }, {
      post: (k, tape) => { expect(tapes.has(k)).toBe(false); tapes.set(k, tape); order.push(k); queueMicrotask(() => credit()); },
      onCredit: (c) => { credit = c; },
    });
  }
  return { chunks, tapes, orders };
}

/** The summary and op table of a read, or its refusal (line and message). */
function outcome(read: (p: HistoryLineParser) => void) {
  const b = new OpTableBuilder();
  const p = new HistoryLineParser((e) => b.add(e), (s) => b.addScanned(s));
  try {
    read(p);
    return { ...p.end(), table: b.finish() };
  } catch (e) {
    return { line: (e as { line?: number }).line, message: (e as Error).message };
  }
}
const serial = (text: string) => outcome((p) => p.push(text));
const replayed = (tapes: Map<number, Tape>, chunks: number) => outcome((p) => { for (let k = 0; k < chunks; k++) p.replay(tapes.get(k)!); });

describe('a worker\'s share of the file', () => {
  it('is chunks first, first + step, ..., and the workers\' chunks, replayed in order, read the file as the serial reader', async () => {
    const lines = history(4, 60);
    // A torn last line, a line JSON.parse must read, and lines far longer than a chunk (empty chunks).
    const long = JSON.stringify({ index: lines.length, time: 1e9, process: 999, type: 'invoke', f: 'send', value: Array.from({ length: 40 }, (_, i) => ['send', 1, 1e6 + i]) });
    const text = [...lines.slice(0, 30), lines[30]!.replace(/,/g, ', '), ...lines.slice(31), long].join('\n') + '\n{"index":';
    const { path, size } = file(text);
    for (const [chunk, step] of [[64, 3], [1000, 2], [size, 1], [7, 4]] as const) {
      const { chunks, tapes, orders } = await scanAll(path, size, chunk, step);
      expect(tapes.size, `chunk ${chunk}`).toBe(chunks);
      orders.forEach((order, first) => expect(order).toEqual(Array.from({ length: Math.ceil((chunks - first) / step) }, (_, i) => first + i * step)));
      expect(replayed(tapes, chunks), `chunk ${chunk}`).toEqual(serial(text));
    }
  });

  it('refuses, as the serial reader, a bad line inside (a scanned line after it) or a blank one', async () => {
    const lines = history(3, 30);
    for (const bad of ['{"index": oops', '', '{"index":3,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}']) {
      const text = [...lines.slice(0, 20), bad, ...lines.slice(20)].join('\n') + '\n';
      const expected = serial(text);
      expect(expected).toMatchObject({ line: 21 });
      for (const chunk of [50, 400, 100_000]) {
        const { path, size } = file(text);
        const { chunks, tapes } = await scanAll(path, size, chunk, 2);
        expect(replayed(tapes, chunks), `${bad} ${chunk}`).toEqual(expected);
      }
    }
  });

  it('ends each chunk at a newline found however far past the nominal cut (lines longer than the 64 KiB probe)', async () => {
    // A nemesis event of 300 KB in the middle of a history (indices renumbered after it).
    const events: object[] = [...generateHistory({ seed: 9, ops: 40, keys: 5, concurrency: 4, txnP: 0.4 })];
    events.splice(20, 0, { index: 20, time: (events[19] as { time: number }).time, process: 'nemesis', type: 'info', f: 'note', value: 'x'.repeat(300_000) });
    const lines = events.map((e, index) => JSON.stringify({ ...e, index }));
    const huge = lines[20]!;
    const text = lines.join('\n') + '\n';
    expect(huge.length).toBeGreaterThan(4 * 65536);
    const { path, size } = file(text);
    for (const chunk of [100, 70_000, 200_000]) {
      const { chunks, tapes } = await scanAll(path, size, chunk, 2);
      expect(replayed(tapes, chunks), `chunk ${chunk}`).toEqual(serial(text));
    }
    // No newline after the last cut: the last chunk runs to the end of the file.
    const tornText = lines.slice(0, 20).join('\n') + '\n' + huge;
    const torn = file(tornText);
    const { chunks, tapes } = await scanAll(torn.path, torn.size, 1000, 1);
    expect(replayed(tapes, chunks)).toEqual(serial(tornText));
  });

  it('stays at most `window` chunks ahead of the main thread\'s credits', async () => {
    const { path, size } = file(history(5, 40).join('\n') + '\n');
    const chunk = 200, chunks = Math.ceil(size / chunk);
    expect(chunks).toBeGreaterThan(8);
    const posted: number[] = [];
    let credit = () => {};
    const data: ParseWorkerData = { path, size, chunk, chunks, first: 1, step: 2, window: 2 };
    let done = false;
    const run = scanChunks(data, { post: (k) => { posted.push(k); }, onCredit: (c) => { credit = c; } }).then(() => { done = true; });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
    await settle();
    expect(posted).toEqual([1, 3]);
    credit();
    await settle();
    expect(posted).toEqual([1, 3, 5]);
    credit();
    credit();
    await settle();
    expect(posted).toEqual([1, 3, 5, 7, 9]);
    expect(done).toBe(chunks <= 10);
    for (let i = 0; i < chunks; i++) credit();
    await run;
    expect(posted).toEqual(Array.from({ length: Math.floor(chunks / 2) }, (_, i) => 1 + 2 * i));
  });

  it('fails, naming the file, when the file is shorter than the size it was given; the file is closed either way', async () => {
    const open = () => readdirSync('/proc/self/fd').length;
    const { path, size } = file(history(6, 10).join('\n') + '\n');
    const before = open();
    const data = { path, size: size + 100, chunk: 64, chunks: Math.ceil((size + 100) / 64), first: 0, step: 1, window: 1000 };
    await expect(scanChunks(data, { post: () => {}, onCredit: () => {} })).rejects.toThrow(`${path} shrank while it was read`);
    expect(open()).toBe(before);
    await scanChunks({ ...data, size, chunks: Math.ceil(size / 64) }, { post: () => {}, onCredit: () => {} });
    expect(open()).toBe(before);
  });

  it('holds a chunk of any size in its tape: more than 65,536 numbers, more than 4 KiB of lines left to JSON.parse', async () => {
    const lines = history(8, 10);
    const n = lines.length;
    const big = [JSON.stringify({ index: n, time: 1e9, process: 999, type: 'invoke', f: 'poll', value: [['poll']] }),
      JSON.stringify({ index: n + 1, time: 1e9, process: 999, type: 'ok', f: 'poll', value: [['poll', { 0: Array.from({ length: 70_000 }, (_, i) => [i, i]) }]] }),
      ...Array.from({ length: 30 }, (_, i) => JSON.stringify({ index: n + 2 + i, time: 1e9, process: 'nemesis', type: 'info', f: 'note', value: 'y'.repeat(200) }))];
    const text = [...lines, ...big].join('\n') + '\n';
    const { path, size } = file(text);
    const { chunks, tapes } = await scanAll(path, size, size, 1);
    expect(tapes.get(0)!.n).toBeGreaterThan(2 * 65_536);
    expect(tapes.get(0)!.raw.length).toBeGreaterThan(30 * 200);
    expect(replayed(tapes, chunks)).toEqual(serial(text));
  });

  it('is cut at newlines: a chunk that ends elsewhere is a mistake unless it is the end of the file', () => {
    const bytes = Buffer.from(history(8, 2).join('\n') + '\n{"index":');
    expect(() => scanToTape(new FastEventScanner(), new TapeWriter(), bytes, bytes.length, false)).toThrow('a chunk must end at a newline or at the end of the file');
    const tape = new TapeWriter();
    scanToTape(new FastEventScanner(), tape, bytes, bytes.length, true);
    expect(Buffer.from(tape.take().raw).toString()).toBe('{"index":');
  });

  it('cuts chunk k just past the first newline at or after k·chunk − 1: each tape holds exactly the lines that start in its chunk', async () => {
    const text = history(2, 40).join('\n') + '\n';
    const bytes = Buffer.from(text);
    const { path, size } = file(text);
    for (const chunk of [1, 97, 1000, 4096]) {
      const { chunks, tapes } = await scanAll(path, size, chunk, 3);
      for (let k = 0; k < chunks; k++) {
        const lo = cut(bytes, k, chunk), hi = cut(bytes, k + 1, chunk);
        const lines = bytes.subarray(lo, hi).toString().split('\n').length - 1;
        expect(records(tapes.get(k)!), `chunk ${chunk}, k ${k}`).toBe(lines);
      }
    }
  });

  it('keeps each line\'s transactional id, or none, through the tape', async () => {
    const lines = ['{"index":0,"time":0,"process":1,"type":"invoke","f":"txn","value":[["poll"]],"txnId":"a"}',
      '{"index":1,"time":1,"process":2,"type":"invoke","f":"txn","value":[["poll"]],"txnId":"b"}',
      '{"index":2,"time":2,"process":3,"type":"invoke","f":"txn","value":[["poll"]]}',
      '{"index":3,"time":3,"process":1,"type":"ok","f":"txn","value":[["poll",{}]],"txnId":"a"}',
      '{"index":4,"time":4,"process":3,"type":"ok","f":"txn","value":[["poll",{}]]}',
      '{"index":5,"time":5,"process":2,"type":"ok","f":"txn","value":[["poll",{}]],"txnId":"b"}'];
    const text = lines.join('\n') + '\n';
    const { path, size } = file(text);
    for (const chunk of [size, 150]) {
      const { chunks, tapes } = await scanAll(path, size, chunk, 2);
      expect(replayed(tapes, chunks)).toEqual(serial(text));
      const ids: (string | undefined)[] = [];
      for (let k = 0; k < chunks; k++) {
        const t = tapes.get(k)!;
        for (let i = 0; i < t.n; i += HEAD + t.nums[i + 8]!) ids.push(t.nums[i + 7]! < 0 ? undefined : t.strings[t.nums[i + 7]!]);
      }
      expect(ids).toEqual(['a', 'b', undefined, 'a', undefined, 'b']);
    }
  });
});

describe('a tape', () => {
  it('grows as needed wherever a record falls: a scanned line or a raw one across its first 65,536 numbers', () => {
    // 5,461 scanned invokes of 12 numbers each end at 65,532; two nemesis lines (3 numbers each) then
    // cross 65,536, and the next scanned line crosses again at whatever offset.
    const lines: string[] = [];
    for (let i = 0; i < 5461; i++) lines.push(`{"index":${i},"time":0,"process":${i},"type":"invoke","f":"send","value":[["send",0,${i}]]}`);
    for (let j = 0; j < 2; j++) lines.push(`{"index":${lines.length},"time":0,"process":"nemesis","type":"info","f":"kill","value":null}`);
    for (let i = 0; i < 10; i++) lines.push(`{"index":${lines.length},"time":0,"process":${6000 + i},"type":"invoke","f":"send","value":[["send",1,${i}]]}`);
    const text = lines.join('\n') + '\n';
    for (const shift of [0, 1, 2]) {
      // The same, with 0 to 2 more numbers before: the crossing record overflows by another amount.
      const shifted = shift === 0 ? text : text.replace('"value":[["send",0,0]]', `"value":[${Array.from({ length: shift }, (_, i) => `["send",2,${i}]`).join(',')},["send",0,0]]`);
      const bytes = Buffer.from(shifted);
      const tape = new TapeWriter();
      scanToTape(new FastEventScanner(), tape, bytes, bytes.length, true);
      const t = tape.take();
      expect(t.nums.length).toBe(t.n);
      expect(records(t)).toBe(lines.length);
      expect(outcome((p) => p.replay(t))).toEqual(serial(shifted));
    }
  });
});

/** Where chunk k starts, by the rule: just past the first newline at or after k·chunk − 1 (0 for k = 0; the end when there is none). */
function cut(bytes: Buffer, k: number, chunk: number): number {
  if (k === 0) return 0;
  const nl = bytes.indexOf(10, k * chunk - 1);
  return nl < 0 ? bytes.length : nl + 1;
}

describe('boundaryAfter', () => {
  it('is just past the first newline at or after k·chunk − 1', () => {
    const at = (text: string, chunk: number, ks: number[]) => {
      const bytes = Buffer.from(text);
      return ks.map((k) => boundaryAfter((p) => bytes.indexOf(10, p), k, chunk, bytes.length));
    };
    // a a a a \n b b \n c c c c c c \n d \n: newlines at 4, 7, 14, 16.
    expect(at('aaaa\nbb\ncccccc\nd\n', 5, [0, 1, 2, 3, 4])).toEqual([0, 5, 15, 15, 17]);
    expect(at('aaaa\nbb\ncccccc\nd\n', 1, [1, 5, 6, 8, 15, 17, 18, 40])).toEqual([5, 5, 8, 8, 15, 17, 17, 17]);
    expect(at('ab\ncd', 2, [1, 2, 3])).toEqual([3, 5, 5]);
    expect(at('\nab\n', 1, [1, 2])).toEqual([1, 4]);
  });
});

/** The number of records (lines) on a tape. */
function records(t: Tape): number {
  let count = 0;
  for (let i = 0; i < t.n; count++) i += t.nums[i] === RAW ? 3 : HEAD + t.nums[i + 8]!;
  return count;
}
