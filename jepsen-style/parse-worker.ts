// A worker thread of the parallel reader (reader-pool.ts): scans its share of a history file's
// chunks (k = first, first + step, ...) into tapes (scan-tape.ts) and posts them, staying at most
// `window` chunks ahead of what the main thread has consumed, so that memory stays bounded.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FastEventScanner } from './fast-scan.ts';
import { boundaryAfter, scanToTape, TapeWriter } from './scan-tape.ts';

export interface ParseWorkerData { path: string; size: number; chunk: number; chunks: number; first: number; step: number; window: number }

const { path, size, chunk, chunks, first, step, window } = workerData as ParseWorkerData;
const port = parentPort!;
let acked = 0, posted = 0;
let wake: (() => void) | undefined;
port.on('message', () => { acked++; wake?.(); });

const fd = openSync(path, 'r');
const probe = Buffer.allocUnsafe(1 << 16);
const firstNewlineFrom = (position: number): number => {
  for (let p = position; p < size;) {
    const got = readSync(fd, probe, 0, probe.length, p);
    if (got === 0) break;
    const i = probe.subarray(0, got).indexOf(10);
    if (i >= 0) return p + i;
    p += got;
  }
  return -1;
};

const scanner = new FastEventScanner();
const tape = new TapeWriter();
let buf = Buffer.allocUnsafe(chunk + (1 << 16));
for (let k = first; k < chunks; k += step) {
  while (posted - acked >= window) await new Promise<void>((resolve) => { wake = resolve; });
  const lo = boundaryAfter(firstNewlineFrom, k, chunk, size), hi = boundaryAfter(firstNewlineFrom, k + 1, chunk, size);
  if (hi - lo > buf.length) buf = Buffer.allocUnsafe(hi - lo);
  for (let got = 0; got < hi - lo;) {
    const n = readSync(fd, buf, got, hi - lo - got, lo + got);
    if (n === 0) throw new Error(`${path} shrank while it was read`);
    got += n;
  }
  tape.reset();
  scanToTape(scanner, tape, buf, hi - lo, hi === size);
  const t = tape.take();
  port.postMessage({ k, tape: t }, [t.nums.buffer, t.raw.buffer]);
  posted++;
}
closeSync(fd);
