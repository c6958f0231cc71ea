// Streams a history file straight into the op table (no event objects are kept), then checks it.
import { OpTableBuilder } from './analysis/ops.ts';
import { checkOpTable, checkOpTableInParallel, type CheckOptions, type Verdict } from './checker.ts';
import { readHistoryFile } from './reader.ts';
import { threadsPay } from './thread-policy.ts';

/** Histories of this many ops or more have their cycle search run in a worker thread. */
export const CYCLES_IN_WORKER_FROM_OPS = 200_000;

export interface CheckFileOptions extends CheckOptions {
  /** Worker threads for reading and for the cycle search whatever the size (true) or never (false); default: large inputs, when threads pay. */
  threads?: boolean;
  /** The parallel reader's chunk size (tests use small ones). */
  chunkBytes?: number;
}

/** Throws HistoryFormatError (with a line number) on unusable input; warnings are for the user. */
export async function checkHistoryFile(path: string, options: CheckFileOptions = {}): Promise<{ verdict: Verdict; warnings: string[] }> {
  const builder = new OpTableBuilder();
  const { threads, chunkBytes } = options;
  const { warnings } = await readHistoryFile(path, (e) => builder.add(e), (s) => builder.addScanned(s), { parallel: threads, chunkBytes });
  const table = builder.finish();
  // A worker thread costs ~50 ms to start (more under tsx): worth it only for large histories.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the size from which a thread is worth asking for changes only speed (the verdict is the same in a thread)
  const inWorker = threads ?? threadsPay(table.n >= CYCLES_IN_WORKER_FROM_OPS);
  const verdict = inWorker ? await checkOpTableInParallel(table, options) : checkOpTable(table, options);
  return { verdict, warnings };
}
