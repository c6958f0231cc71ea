// `kafka-eos repro DIR [--target model|kafka|both] [--out DIR2]`: re-runs the program DIR recorded and
// says whether its anomalies came back. Exit 1 when the re-run found anomalies (the recorded types, some
// of them, or others: the message says which), 0 when it was valid, 3 when it could not run, 2 for a
// DIR without program.json. Any anomaly exits 1 so that a repro never reports a failing run as 0.
import { Option, type Command } from 'commander';
import { act, invoke, newCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { TARGETS } from '../run/choices.ts';
import type { Target } from '../run/verdict-file.ts';
import type { ReproResult } from '../repro/repro.ts';

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
  if (r.verdict.outcome === 'inconclusive') return EXIT.inconclusive;
  return EXIT.valid;
}

export function define(): Command {
  const command = newCommand('repro')
    .description('re-run the program an earlier run recorded, with its fault schedule; exit 1 if anomalies came back')
    .argument('<dir>', 'the directory of an earlier run (holds program.json)')
    .addOption(new Option('--target <target>', "where to re-run it (default: the recorded run's)").choices(TARGETS))
    .addOption(new Option('--out <dir>', 'directory of the re-run; must not exist or be empty (default: DIR/repro-N)'));
  return act(command, async (dir: string, options: { target?: Target; out?: string }) => {
    const { claimOutDir } = await import('./out-dir.ts');
    const { repro } = await import('../repro/repro.ts');
    const { renderRunReport } = await import('../run/report-hook.ts');
    const out = options.out === undefined ? undefined : claimOutDir('repro', options.out, () => options.out!);
    const result = await repro(dir, {
      ...(options.target ? { target: options.target } : {}),
      ...(out ? { out } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const report = await renderRunReport(result.runDir);
    console.log(describeRepro(result));
    console.log(`  re-run:  ${result.runDir} (target ${result.target})`);
    if (report) console.log(`  report:  ${report}`);
    return reproExitCode(result);
  });
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);
