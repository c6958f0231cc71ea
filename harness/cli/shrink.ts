// `kafka-eos shrink DIR [--budget SECONDS] [--target model|kafka|both]`: searches smaller programs that
// still fail with one of DIR's anomaly types (model first, then the real cluster, within the budget),
// and writes the smallest as its own run directory DIR/shrunk/ with its report.
// Exit 1: a smaller failing program was found (it is a failure, as a run's 1); 0: none smaller was
// found; 2: bad usage (no program.json or verdict.json, a valid run, a shrunk program); 3: harness error.
import { parseFlags, intFlag } from './args.ts';
import { EXIT, usageError } from './exit-codes.ts';
import { renderRunReport } from '../run/report-hook.ts';
import type { Target } from '../run/verdict-file.ts';
import { shrink, type ShrinkReport } from '../shrink/shrink.ts';
import { formatSize, smallerThan } from '../shrink/size.ts';

const TARGETS: Target[] = ['model', 'kafka', 'both'];
export const DEFAULT_BUDGET_SECONDS = 600;

export function describeShrink(r: ShrinkReport): string[] {
  const lines = [`shrinking ${r.dir}: keeps failing with one of ${r.sought.join(', ')}; budget ${r.budgetSeconds}s, used ${Math.round(r.seconds)}s`];
  for (const p of r.phases) {
    lines.push(`  ${p.target} (from the ${p.startedFrom}): ${p.runs} runs of ${p.candidates} candidates, ${p.steps} shrink steps, ` +
      `${Math.round(p.seconds)}s, stopped: ${p.stoppedBy}${p.smallest ? `; smallest failing: ${formatSize(p.smallest)}` : ''}`);
  }
  for (const n of r.notes) lines.push(`  note: ${n}`);
  lines.push(`  before: ${formatSize(r.original)}`);
  if (r.result && r.shrunkDir) {
    const verb = foundSmaller(r) ? 'after: ' : 'after:  no smaller failing program within the budget; the program that failed again is';
    lines.push(`  ${verb} ${formatSize(r.result.size)} (fails on ${r.result.target}: ${r.result.anomalyTypes.join(', ')})`);
    lines.push(`  shrunk run: ${r.shrunkDir}`, `  repro:  npx kafka-eos repro ${r.shrunkDir}`);
  } else {
    lines.push('  after:  no smaller failing program found');
  }
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('shrink', argv, { budget: { type: 'string' }, target: { type: 'string' } }, true);
  if (positionals.length !== 1) throw usageError('shrink: give exactly one run directory: kafka-eos shrink DIR [--budget SECONDS]');
  const target = values.target as Target | undefined;
  if (target !== undefined && !TARGETS.includes(target)) throw usageError(`shrink: --target must be one of ${TARGETS.join(', ')}, got '${target}'`);
  const report = await shrink(positionals[0]!, {
    budgetSeconds: intFlag('shrink', 'budget', values.budget, DEFAULT_BUDGET_SECONDS, 1),
    ...(target ? { target } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const page = report.shrunkDir ? await renderRunReport(report.shrunkDir) : null;
  for (const line of describeShrink(report)) console.log(line);
  if (page) console.log(`  report: ${page}`);
  return foundSmaller(report) ? EXIT.invalid : EXIT.valid;
}

/**
 * A Kafka search may re-run the original, or candidates that differ in values only, and see them fail:
 * that is a failing program, but not a smaller one (seen: 3 Kafka runs within the budget, none smaller).
 */
export function foundSmaller(r: ShrinkReport): boolean {
  return r.result !== null && smallerThan(r.result.size, r.original);
}
