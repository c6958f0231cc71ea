// `kafka-eos shrink DIR [--budget SECONDS] [--target model|kafka|both]`: searches smaller programs that
// still fail with one of DIR's anomaly types (model first, then the real cluster, within the budget),
// and writes the smallest as its own run directory DIR/shrunk/ with its report.
// Exit 1: a smaller failing program was found (it is a failure, as a run's 1); 0: none smaller was
// found; 2: bad usage (no program.json or verdict.json, a valid run, a shrunk program); 3: harness error.
import { Option, type Command } from 'commander';
import { act, invoke, newCommand } from './command.ts';
import { integer } from './options.ts';
import { EXIT } from './exit-codes.ts';
import { TARGETS } from '../run/choices.ts';
import type { Target } from '../run/verdict-file.ts';
import type { ShrinkReport } from '../shrink/shrink.ts';
import { formatSize, smallerThan } from '../shrink/size.ts';
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

export function define(): Command {
  const command = newCommand('shrink')
    .description('search smaller programs that still fail (model first, then Kafka); writes DIR/shrunk/')
    .argument('<dir>', 'the directory of a failing run')
    .addOption(new Option('--budget <seconds>', 'time the search may take').argParser(integer({ min: 1, max: 7 * 86_400 })).default(DEFAULT_BUDGET_SECONDS))
    .addOption(new Option('--target <target>', "where candidates run (default: the failing run's)").choices(TARGETS));
  return act(command, async (dir: string, options: { budget: number; target?: Target }) => {
    const { shrink } = await import('../shrink/shrink.ts');
    const { renderRunReport } = await import('../run/report-hook.ts');
    const report = await shrink(dir, {
      budgetSeconds: options.budget,
      ...(options.target ? { target: options.target } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const page = report.shrunkDir ? await renderRunReport(report.shrunkDir) : null;
    for (const line of describeShrink(report)) console.log(line);
    if (page) console.log(`  report: ${page}`);
    return foundSmaller(report) ? EXIT.invalid : EXIT.valid;
  });
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);

/**
 * A Kafka search may re-run the original, or candidates that differ in values only, and see them fail:
 * that is a failing program, but not a smaller one (seen: 3 Kafka runs within the budget, none smaller).
 */
export function foundSmaller(r: ShrinkReport): boolean {
  return r.result !== null && smallerThan(r.result.size, r.original);
}
