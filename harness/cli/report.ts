// `kafka-eos report DIR` (docs/contract): (re)writes DIR/index.html from whatever DIR holds and
// prints its path. Exit 0 when written, 2 when DIR has nothing to report.
import type { Command } from 'commander';
import { act, invoke, newCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';

export function define(): Command {
  const command = newCommand('report')
    .description('(re)write DIR/index.html from what a run directory holds')
    .argument('<dir>', 'a run directory (program.json, histories, verdict.json)');
  return act(command, async (dir: string) => {
    const { writeReport } = await import('../../reports/index.ts');
    console.log(await writeReport(dir));
    return EXIT.valid;
  });
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);
