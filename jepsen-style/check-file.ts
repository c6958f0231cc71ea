// Streams a history file straight into the op table (no event objects are kept), then checks it.
import { OpTableBuilder } from './analysis/ops.ts';
import { checkOpTable, type CheckOptions, type Verdict } from './checker.ts';
import { readHistoryFile } from './reader.ts';

/** Throws HistoryFormatError (with a line number) on unusable input; warnings are for the user. */
export async function checkHistoryFile(path: string, options: CheckOptions = {}): Promise<{ verdict: Verdict; warnings: string[] }> {
  const builder = new OpTableBuilder();
  const { warnings } = await readHistoryFile(path, (e) => builder.add(e), (s) => builder.addScanned(s));
  return { verdict: checkOpTable(builder.finish(), options), warnings };
}
