// checkHistoryFile's `threads` option (check-file.ts): true runs the reading and the cycle search in
// worker threads whatever the history's size, false never, and without it each step asks the thread
// policy (thread-policy.ts) whether its input is large enough to repay a thread: the reader from
// 32 MiB of file, the cycle search from 200,000 ops. Either way the verdict is the same. And every
// client event counts, whether the fast scanner read it or JSON.parse did.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkHistory } from './checker.ts';
import { generateHistory } from './testing/generate.ts';

const spies = vi.hoisted(() => ({ started: [] as string[], data: [] as unknown[], asked: [] as boolean[], answer: undefined as boolean | undefined, cores: undefined as number | undefined }));
vi.mock('./threads.ts', async (original) => {
  const real = await original<typeof import('./threads.ts')>();
  return { ...real, startWorker: (name: Parameters<typeof real.startWorker>[0], data: unknown) => { spies.started.push(name); spies.data.push(data); return real.startWorker(name, data); } };
});
vi.mock('node:os', async (original) => {
  const real = await original<typeof import('node:os')>();
  return { ...real, availableParallelism: () => spies.cores ?? real.availableParallelism() };
});
vi.mock('./thread-policy.ts', async (original) => {
  const real = await original<typeof import('./thread-policy.ts')>();
  return { ...real, threadsPay: (large: boolean) => { spies.asked.push(large); return spies.answer ?? real.threadsPay(large); } };
});
const { checkHistoryFile } = await import('./check-file.ts');
const { HistoryLineParser, readHistoryFile } = await import('./reader.ts');
const { readInParallel } = await import('./reader-pool.ts');

const dir = mkdtempSync(join(tmpdir(), 'kafka-eos-check-file-'));
const events = [...generateHistory({ seed: 11, ops: 120, keys: 4, concurrency: 4, txnP: 0.5 })];
const path = join(dir, 'history.jsonl');
writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
const expected = checkHistory(events);

afterEach(() => {
  spies.started.length = 0;
  spies.data.length = 0;
  spies.cores = undefined;
  spies.asked.length = 0;
  spies.answer = undefined;
});

describe('checkHistoryFile', () => {
  it('threads: true reads and searches cycles in worker threads even for a small history', async () => {
    const { verdict } = await checkHistoryFile(path, { threads: true, chunkBytes: 2048 });
    expect(verdict).toEqual(expected);
    expect(spies.started.filter((n) => n === 'cycle-worker')).toHaveLength(1);
    expect(spies.started.filter((n) => n === 'parse-worker').length).toBeGreaterThan(0);
    expect(spies.asked).toEqual([]);
  });

  it('threads: false never starts a thread, even where the policy would', async () => {
    spies.answer = true;
    const { verdict } = await checkHistoryFile(path, { threads: false });
    expect(verdict).toEqual(expected);
    expect(spies.started).toEqual([]);
  });

  it('without the option, asks the policy whether the file (from 32 MiB) and the op count (from 200,000) are large enough', async () => {
    spies.answer = false;
    expect((await checkHistoryFile(path)).verdict).toEqual(expected);
    expect(spies.asked).toEqual([false, false]);
    expect(spies.started).toEqual([]);
    spies.answer = true;
    spies.asked.length = 0;
    expect((await checkHistoryFile(path, { chunkBytes: 4096 })).verdict).toEqual(expected);
    expect(spies.asked).toEqual([false, false]);
    expect(spies.started.filter((n) => n === 'cycle-worker')).toHaveLength(1);
    expect(spies.started.filter((n) => n === 'parse-worker').length).toBeGreaterThan(0);
  });

  it('counts client events that JSON.parse reads (a field the fast scanner does not know) as those the scanner reads', async () => {
    // The contract lets a newer writer add fields; the fast scanner leaves such lines to JSON.parse.
    const other = join(dir, 'extended.jsonl');
    writeFileSync(other, events.map((e, i) => JSON.stringify(i % 2 === 0 ? { ...e, note: 'added later' } : e)).join('\n') + '\n');
    expect((await checkHistoryFile(other, { threads: false })).verdict).toEqual(expected);
  });
});

describe('the parallel reader\'s split (reader-pool.ts)', () => {
  const size = Buffer.byteLength(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  /** Reads the file in parallel with `options`; the data each scanning thread was started with. */
  async function split(options: { chunkBytes?: number; workers?: number }) {
    let scanned = 0;
    const summary = await readHistoryFile(path, () => {}, () => { scanned++; }, { parallel: true, ...options });
    expect({ ...summary, scanned }).toEqual({ count: events.length, warnings: [], scanned: events.length });
    return spies.data.splice(0).map((d) => d as { path: string; size: number; chunk: number; chunks: number; first: number; step: number; window: number });
  }

  it('cuts the file into chunks of the nominal size, one thread per share, each staying two chunks ahead at most', async () => {
    const chunks = Math.ceil(size / 1000);
    expect(chunks).toBeGreaterThan(3);
    expect(await split({ chunkBytes: 1000, workers: 3 })).toEqual([0, 1, 2].map((first) => ({ path, size, chunk: 1000, chunks, first, step: 3, window: 2 })));
  });

  it('starts no more threads than chunks, and by default as many as the cores, at most two', async () => {
    expect((await split({ chunkBytes: Math.ceil(size / 2), workers: 8 })).map((d) => [d.first, d.step, d.chunks])).toEqual([[0, 2, 2], [1, 2, 2]]);
    spies.cores = 4;
    expect((await split({ chunkBytes: 1000 })).map((d) => d.step)).toEqual([2, 2]);
    spies.cores = 1;
    expect((await split({ chunkBytes: 1000 })).map((d) => d.step)).toEqual([1]);
    // Eight MiB chunks by default: this file is one chunk, for one thread.
    spies.cores = 4;
    expect(await split({})).toEqual([{ path, size, chunk: 8 << 20, chunks: 1, first: 0, step: 1, window: 2 }]);
    expect(await split({ workers: 0, chunkBytes: 1000 })).toEqual([expect.objectContaining({ first: 0, step: 1 })]);
  });

  it('reads an empty file as one empty chunk', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expect(await readHistoryFile(empty, () => {}, () => {}, { parallel: true })).toEqual({ count: 0, warnings: [] });
    expect(spies.data).toEqual([expect.objectContaining({ size: 0, chunks: 1, step: 1 })]);
  });

  it('fails with the scanning thread\'s error (a file shorter than its size), and stops every thread', async () => {
    const parser = new HistoryLineParser(() => {}, () => {});
    await expect(readInParallel(path, size + 5000, parser, { chunkBytes: 1000, workers: 2 })).rejects.toThrow(`${path} shrank while it was read`);
  });
});
