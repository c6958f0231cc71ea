// `kafka-eos repro DIR [--target model|kafka|both] [--out DIR2]`: re-runs the program DIR recorded and
// says whether its anomalies came back. Exit 1 when the re-run found anomalies (the recorded types, some
// of them, or others: the message says which), 0 when it was valid, 3 when it could not run, 2 for a
// DIR without program.json. Any anomaly exits 1 so that a repro never reports a failing run as 0.
import path from 'node:path';
import { parseFlags } from './args.ts';
import { EXIT, usageError } from './exit-codes.ts';
import { renderRunReport } from '../run/report-hook.ts';
import type { Target } from '../run/verdict-file.ts';
import { repro, type ReproResult } from '../repro/repro.ts';

const TARGETS: Target[] = ['model', 'kafka', 'both'];

export function describeRepro(r: ReproResult): string {
  const list = (xs: string[]) => xs.join(', ');
  const recorded = r.recorded.length > 0 ? list(r.recorded) : 'none recorded';
  switch (r.match) {
    case 'same': return `REPRODUCED: the same anomaly types came back (${list(r.found)})`;
    case 'partial': return `REPRODUCED IN PART: came back: ${list(r.cameBack)}; not this time: ${list(r.missing)}` +
      (r.extra.length > 0 ? `; new: ${list(r.extra)}` : '');
    case 'different': return `DIFFERENT ANOMALIES: ${list(r.found)} (the recorded run had: ${recorded})`;
    case 'none': return r.verdict.outcome === 'valid'
      ? `NOT REPRODUCED: the re-run is valid (the recorded run had: ${recorded})`
      : `NOT REPRODUCED: no anomaly types; outcome ${r.verdict.outcome}${r.verdict.harnessError ? ` (${r.verdict.harnessError})` : ''}`;
  }
}

export function reproExitCode(r: ReproResult): number {
  if (r.found.length > 0 || r.verdict.outcome === 'model-divergence') return EXIT.invalid;
  if (r.verdict.outcome === 'harness-error' || !r.verdict.complete) return EXIT.harnessError;
  return EXIT.valid;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('repro', argv, { target: { type: 'string' }, out: { type: 'string' } }, true);
  if (positionals.length !== 1) throw usageError('repro: give exactly one run directory: kafka-eos repro DIR');
  const target = values.target as Target | undefined;
  if (target !== undefined && !TARGETS.includes(target)) throw usageError(`repro: --target must be one of ${TARGETS.join(', ')}, got '${target}'`);
  const dir = positionals[0]!;
  const result = await repro(dir, {
    ...(target ? { target } : {}),
    ...(values.out ? { out: path.resolve(values.out) } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const report = await renderRunReport(result.runDir);
  console.log(describeRepro(result));
  console.log(`  re-run:  ${result.runDir} (target ${result.target})`);
  if (report) console.log(`  report:  ${report}`);
  return reproExitCode(result);
}
