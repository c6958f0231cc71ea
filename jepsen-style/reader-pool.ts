// The parallel reader: worker threads scan chunks of a large history file (parse-worker.ts) while
// the main thread replays their tapes in file order through the same HistoryLineParser the serial
// reader uses, so rules, line numbers, JSON.parse fallbacks, errors and the torn-last-line warning
// are decided exactly as before, by one thread, in order. Scanning is most of a check's time
// (fast-scan.ts); replaying a tape is a copy of numbers into the op table.
import { availableParallelism } from 'node:os';
import type { ParseWorkerData } from './parse-worker.ts';
import type { HistoryLineParser } from './reader.ts';
import type { Tape } from './scan-tape.ts';
import { startWorker } from './threads.ts';

export interface PoolOptions {
  /** Scanning threads (default: the machine's parallelism, at most 2). */
  workers?: number;
  /** Nominal chunk size in bytes (default 8 MB); chunks end at newlines. */
  chunkBytes?: number;
}

/** Chunks a worker may have posted and the main thread not yet replayed. */
const WINDOW = 2;

/** Reads the whole file into `parser` (which must have a scanned sink); the caller calls `end`. */
export async function readInParallel(path: string, size: number, parser: HistoryLineParser, options: PoolOptions = {}): Promise<void> {
  const chunk = options.chunkBytes ?? 8 << 20;
  const chunks = Math.max(1, Math.ceil(size / chunk));
  const step = Math.max(1, Math.min(options.workers ?? Math.min(2, availableParallelism()), chunks));
  const workers = Array.from({ length: step }, (_, first) => startWorker('parse-worker', { path, size, chunk, chunks, first, step, window: WINDOW } satisfies ParseWorkerData));
  const ready = new Map<number, Tape>();
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const drain = () => {
        try {
          for (let t = ready.get(next); t !== undefined; t = ready.get(next)) {
            // Stryker disable next-line CallExpression: a replayed tape left in the map costs memory only
            ready.delete(next);
            parser.replay(t);
            workers[next % step]!.postMessage(0); // credit: the worker may scan one more chunk
            next++;
          }
          if (next === chunks) resolve();
        } catch (error) {
          reject(error);
        }
      };
      for (const w of workers) {
        w.on('message', (m: { k: number; tape: Tape }) => { ready.set(m.k, m.tape); drain(); });
        w.on('error', reject);
        // Stryker disable next-line all: a thread that fails emits 'error' (which rejects) before it exits, and one that ends well exits after its last chunk
        w.on('exit', (code) => { if (code !== 0 && next < chunks) reject(new Error(`history reader thread exited with code ${code}`)); });
      }
    });
  } finally {
    // Stryker disable next-line ArrowFunction: the threads end by themselves after their last chunk; only after an error would they run on, unseen
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
