// What a worker thread of the parallel reader does (parse-worker.ts runs it, reader-pool.ts starts
// the workers): scans its share of a history file's chunks (k = first, first + step, ...) into tapes
// (scan-tape.ts) and posts them, staying at most `window` chunks ahead of the credits the main thread
// sends as it replays them, so that memory stays bounded. A module of its own, apart from the
// worker's entry, so that tests run it in their own thread.
import { closeSync, openSync, readSync } from 'node:fs';
import { FastEventScanner } from './fast-scan.ts';
import { boundaryAfter, scanToTape, TapeWriter, type Tape } from './scan-tape.ts';

export interface ParseWorkerData { path: string; size: number; chunk: number; chunks: number; first: number; step: number; window: number }

/** The worker's side of its channel to the main thread. */
export interface ChunkPort {
  /** Posts chunk k's tape (its arrays may be transferred: they are not used again). */
  post(k: number, tape: Tape): void;
  /** Registers `credit`, to be called once per chunk the main thread has replayed. */
  onCredit(credit: () => void): void;
}

/** Scans chunks first, first + step, ... of the file and posts their tapes in that order. */
export async function scanChunks({ path, size, chunk, chunks, first, step, window }: ParseWorkerData, port: ChunkPort): Promise<void> {
  let acked = 0, posted = 0;
  let wake: (() => void) | undefined;
  port.onCredit(() => { acked++; wake?.(); });

  const fd = openSync(path, 'r');
  try {
    const probe = Buffer.allocUnsafe(1 << 16);
    const firstNewlineFrom = (position: number): number => {
      // Stryker disable next-line EqualityOperator: a read at the file's size returns nothing, which ends the search
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
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a new buffer more often, or larger, changes only memory
      if (hi - lo > buf.length) buf = Buffer.allocUnsafe(hi - lo);
      for (let got = 0; got < hi - lo;) {
        // Stryker disable next-line ArithmeticOperator: a regular file's chunk comes in one read (got is 0), and bytes read past hi land in the buffer's spare room, past n
        const n = readSync(fd, buf, got, hi - lo - got, lo + got);
        if (n === 0) throw new Error(`${path} shrank while it was read`);
        got += n;
      }
      tape.reset();
      // Stryker disable next-line ConditionalExpression: only the last chunk may end without a newline; the others end at one, so the flag is not read
      scanToTape(scanner, tape, buf, hi - lo, hi === size);
      port.post(k, tape.take());
      posted++;
    }
  } finally {
    closeSync(fd);
  }
}
