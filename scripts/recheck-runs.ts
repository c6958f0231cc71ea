// Re-judges recorded run directories without Kafka: the checker over kafka/history.jsonl and the
// conformance replay against the model, as `kafka-eos run` would now. Prints one line per run and the
// reasons. Usage: npx tsx scripts/recheck-runs.ts [DIR...]   (default: every run under test/fixtures/runs)
// A DIR is a run directory, or a directory of them (a campaign's: every seed-N in it). Each run is held to
// the client that ran it (verdict.json clientName and clientTxnVersion).
// Exit 0 when every run re-judged as its expected.json says (or has none), 1 otherwise (or when a DIR is
// not a run directory: said, and the others are still re-judged).
import fs from 'node:fs';
import path from 'node:path';
import { recheckRunDir, runDirsUnder } from '../harness/run/divergences-recheck.ts';

const args = process.argv.slice(2);
const isRun = (dir: string) => fs.existsSync(path.join(dir, 'kafka', 'history.jsonl'));
const dirs = args.length > 0
  ? args.flatMap((a) => (isRun(a) || !fs.existsSync(a) || !fs.statSync(a).isDirectory() || runDirsUnder(a).length === 0 ? [a] : runDirsUnder(a)))
  : runDirsUnder(new URL('../test/fixtures/runs/', import.meta.url).pathname);
let mismatches = 0;
for (const dir of dirs) {
  let r: Awaited<ReturnType<typeof recheckRunDir>>;
  try {
    r = await recheckRunDir(dir);
  } catch (error) {
    mismatches++;
    console.log(`! ${dir}: not re-judged: ${error instanceof Error ? error.message : String(error)}`);
    continue;
  }
  const expectedFile = path.join(dir, 'expected.json');
  const expected = fs.existsSync(expectedFile) ? (JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as { outcome: string }).outcome : null;
  const ok = expected === null || expected === r.outcome;
  if (!ok) mismatches++;
  console.log(`${ok ? ' ' : '!'} ${args.length > 0 ? dir : path.basename(dir)}: ${r.outcome} (as ${r.modelled})${expected !== null && !ok ? ` (expected ${expected})` : ''}`
    + ` · check ${r.checkMs} ms · replay ${r.replayMs} ms${r.anomalyTypes.length > 0 ? ` · anomalies ${r.anomalyTypes.join(', ')}` : ''}`);
  for (const d of r.divergences) console.log(`    divergence ${d.kind}: ${d.explanation}`);
  for (const reason of r.inconclusive) console.log(`    inconclusive: ${reason}`);
  if (r.note) console.log(`    note: ${r.note}`);
}
process.exit(mismatches > 0 ? 1 : 0);
