// Report benchmark: writes the report of a run directory holding one history of 100k and 400k client
// ops (generated valid histories, cached in a temp directory, no verdict.json, so the report checks
// them itself, as for a crashed run), each in a fresh process, and prints seconds, peak memory and
// the size of index.html. Usage: npx tsx scripts/bench-report.ts [--sizes 100000,400000]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeReport } from '../reports/index.ts';
import { writeHistory } from './gen-history.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,400000' }, child: { type: 'string' } } });

if (values.child) {
  const start = process.hrtime.bigint(), cpu0 = process.cpuUsage();
  const file = await writeReport(values.child);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9, cpu = process.cpuUsage(cpu0);
  const page = readFileSync(file, 'utf8');
  console.log(JSON.stringify({
    seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024,
    htmlMb: statSync(file).size / 1e6, rows: page.match(/<tr id="/g)?.length ?? 0,
  }));
} else {
  console.log('ops        history MB  seconds  cpu s  peak MB  index.html MB  table rows');
  for (const size of values.sizes.split(',').map(Number)) {
    const dir = join(tmpdir(), 'kafka-eos-bench-report', String(size));
    const history = join(dir, 'kafka', 'history.jsonl');
    mkdirSync(join(dir, 'kafka'), { recursive: true });
    if (!existsSync(history)) await writeHistory(history, size, 1);
    const out = execFileSync(process.execPath, ['--import', 'tsx', process.argv[1]!, '--child', dir], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    console.log([String(size).padEnd(10), (statSync(history).size / 1e6).toFixed(1).padStart(10), r.seconds.toFixed(2).padStart(8),
      r.cpuSeconds.toFixed(2).padStart(6), r.maxRssMb.toFixed(0).padStart(8), r.htmlMb.toFixed(2).padStart(14), String(r.rows).padStart(11)].join(' '));
  }
}
