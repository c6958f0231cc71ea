// The HTML report of a run: `writeReport(dir)` reads what the run directory holds and writes
// DIR/index.html; `renderReport` is the pure part, for callers that hold the data already.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadAssets } from './assets.ts';
import { loadRunData, type LoadOptions } from './load.ts';
import { renderReport } from './render.ts';

export { loadAssets, type ReportAssets } from './assets.ts';
export { loadRunData, type LoadOptions } from './load.ts';
export { renderReport } from './render.ts';
export { headlineOf, reproFromProgram, type Headline, type HistoryReport, type ReportData } from './run-data.ts';

/**
 * Reads DIR (program.json, model/ and kafka/history.jsonl, verdict.json: whichever are there), writes
 * DIR/index.html and returns its path. Throws a usage error (exit 2) when DIR holds no history and no
 * program.
 */
export async function writeReport(dir: string, options: LoadOptions = {}): Promise<string> {
  const data = await loadRunData(dir, options);
  const file = path.join(dir, 'index.html');
  await writeFile(file, renderReport(data, loadAssets()));
  return file;
}
