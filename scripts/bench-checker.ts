// Checker benchmark: generates valid histories of 100k, 400k and 1M client ops (cached in a temp
// directory), checks each in a fresh process, and prints seconds, ops/s and peak memory, so that
// linearity can be read off the table. Usage: npx tsx scripts/bench-checker.ts [--sizes 100000,400000]
// [--runs 3] (each size checked that many times; the table shows the fastest wall and CPU times,
// since other work on the machine only ever adds to them).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkHistoryFile } from '../jepsen-style/check-file.ts';
import { writeHistory } from './gen-history.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,400000,1000000' }, runs: { type: 'string', default: '1' }, child: { type: 'string' } } });

if (values.child) {
  // Child: check one file and report; a fresh process per size keeps peak memory honest.
  const start = process.hrtime.bigint(), cpu0 = process.cpuUsage();
  const { verdict } = await checkHistoryFile(values.child);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9, cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, ops: verdict.stats.ops, valid: verdict.valid, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
} else {
  const dir = join(tmpdir(), 'kafka-eos-bench');
  mkdirSync(dir, { recursive: true });
  // Wall time depends on what else the machine runs; CPU time (all threads, GC included) less so.
  console.log('ops        events     file MB  seconds  ops/s      cpu s  peak MB  valid');
  for (const size of values.sizes.split(',').map(Number)) {
    const path = join(dir, `history-${size}.jsonl`);
    const events = existsSync(path) ? undefined : await writeHistory(path, size, 1);
    const runs = Array.from({ length: Math.max(1, Number(values.runs)) }, () => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', process.argv[1]!, '--child', path], { encoding: 'utf8' });
      return JSON.parse(out.trim().split('\n').pop()!);
    });
    const r = { ...runs[0], seconds: Math.min(...runs.map((x) => x.seconds)), cpuSeconds: Math.min(...runs.map((x) => x.cpuSeconds)), maxRssMb: Math.max(...runs.map((x) => x.maxRssMb)) };
    const mb = statSync(path).size / 1e6;
    console.log([String(r.ops).padEnd(10), String(events ?? '(cached)').padEnd(10), mb.toFixed(0).padStart(7), r.seconds.toFixed(2).padStart(8),
      String(Math.round(r.ops / r.seconds)).padStart(10), r.cpuSeconds.toFixed(2).padStart(6), r.maxRssMb.toFixed(0).padStart(8), ` ${r.valid}`].join(' '));
  }
}
