// A worker thread of the parallel reader (reader-pool.ts): runs chunk-scan.ts over its share of the
// file's chunks, posting each tape (its arrays transferred, not copied) and taking each message from
// the main thread as a credit for one more chunk.
import { parentPort, workerData } from 'node:worker_threads';
import { scanChunks, type ParseWorkerData } from './chunk-scan.ts';

export type { ParseWorkerData } from './chunk-scan.ts';

const port = parentPort!;
await scanChunks(workerData as ParseWorkerData, {
  post: (k, tape) => port.postMessage({ k, tape }, [tape.nums.buffer, tape.raw.buffer]),
  onCredit: (credit) => { port.on('message', credit); },
});
