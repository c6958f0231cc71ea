// What forensics said about every seed of a campaign: outcome, anomalies, the sentence, the causes, the
// hanging transactions (orphaned or overdue), the snapshot's cost and the evidence kept; then the rate of
// each cause and the overhead figures. Reads campaign.json and each seed's verdict.json and forensics.json.
//   npx tsx scripts/forensics-summary.ts CAMPAIGN_DIR [--markdown]
import fs from 'node:fs';
import path from 'node:path';

interface Seed { seed: number; status: string; outcome: string; anomalyTypes: string[]; dir: string; durationSeconds: number; inconclusive?: string[] }
interface Forensics { summary?: string; causes: Record<string, number>; hangingTransactions: number; overheadSeconds: number; evidence?: string; unavailable?: string; detectorPolls: number; detectorCpuSeconds?: number }

const dir = process.argv[2];
if (!dir || !fs.existsSync(path.join(dir, 'campaign.json'))) {
  console.error('usage: forensics-summary.ts CAMPAIGN_DIR (a directory with campaign.json)');
  process.exit(2);
}
const markdown = process.argv.includes('--markdown');
const campaign = JSON.parse(fs.readFileSync(path.join(dir, 'campaign.json'), 'utf8')) as { runs: Seed[] };
const rows: string[][] = [];
const causeTotals = new Map<string, number>();
const overhead: number[] = [];
const evidenceSeconds: number[] = [];
const detectorCpu: number[] = [];
for (const s of campaign.runs) {
  const runDir = path.join(dir, s.dir);
  const verdict = readJson(path.join(runDir, 'verdict.json')) as { forensics?: Forensics } | null;
  const file = readJson(path.join(runDir, 'kafka', 'forensics.json')) as { hangingTransactions?: Array<{ kind: string; topic: string; partition: number }>; evidence?: { tookMs: number } } | null;
  const f = verdict?.forensics;
  if (f && f.overheadSeconds > 0) overhead.push(f.overheadSeconds);
  if (f?.detectorCpuSeconds !== undefined) detectorCpu.push(f.detectorCpuSeconds);
  if (file?.evidence) evidenceSeconds.push(file.evidence.tookMs / 1000);
  for (const [c, n] of Object.entries(f?.causes ?? {})) causeTotals.set(c, (causeTotals.get(c) ?? 0) + n);
  const hanging = (file?.hangingTransactions ?? []).map((h) => `${h.kind} ${h.topic}-${h.partition}`).join(', ');
  rows.push([String(s.seed), s.outcome, s.anomalyTypes.join(' ') || '—', hanging || '—', Object.entries(f?.causes ?? {}).map(([c, n]) => `${n} ${c}`).join(', ') || '—',
    f?.overheadSeconds ? f.overheadSeconds.toFixed(1) : '—', f?.summary ?? (s.inconclusive ?? []).join(' ') ?? '']);
}
const header = ['seed', 'outcome', 'invalid anomalies', 'hanging transactions', 'attributed causes', 'snapshot s', 'sentence'];
if (markdown) {
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
} else {
  for (const r of rows) console.log(r.join('\t'));
}
const by = (o: string) => campaign.runs.filter((s) => s.outcome === o).length;
console.log(`\n${campaign.runs.length} seeds: ${['valid', 'anomalies', 'inconclusive', 'model-divergence', 'harness-error'].map((o) => `${by(o)} ${o}`).join(', ')}`);
console.log(`causes of unseen/lost-write values: ${[...causeTotals].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`);
const stat = (xs: number[]) => xs.length === 0 ? 'none' : `n=${xs.length}, median ${median(xs).toFixed(1)} s, max ${Math.max(...xs).toFixed(1)} s`;
console.log(`snapshot time added (runs that took one): ${stat(overhead)}`);
console.log(`evidence kept (runs not valid): ${stat(evidenceSeconds)}`);
console.log(`detector JVM CPU per run: ${stat(detectorCpu)}`);

function readJson(file: string): unknown {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; }
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
