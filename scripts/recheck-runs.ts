// Re-judges recorded run directories without Kafka: the checker over kafka/history.jsonl and the
// conformance replay against the model, as `kafka-eos run` would now. Prints one line per run and the
// reasons. Usage: npx tsx scripts/recheck-runs.ts [DIR...]   (default: every run under test/fixtures/runs)
// Exit 0 when every run re-judged as its expected.json says (or has none), 1 otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { recheckRunDir, runDirsUnder } from '../harness/run/divergences-recheck.ts';

const args = process.argv.slice(2);
const dirs = args.length > 0 ? args : runDirsUnder(new URL('../test/fixtures/runs/', import.meta.url).pathname);
let mismatches = 0;
for (const dir of dirs) {
  const r = await recheckRunDir(dir);
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
