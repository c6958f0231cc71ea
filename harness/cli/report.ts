// `kafka-eos report DIR` (history-format.md §3): (re)writes DIR/index.html from whatever DIR holds and
// prints its path. Exit 0 when written, 2 when DIR has nothing to report.
import { writeReport } from '../../reports/index.ts';
import { parseFlags } from './args.ts';
import { EXIT, usageError } from './exit-codes.ts';

const USAGE = 'usage: kafka-eos report DIR';

export async function main(argv: string[]): Promise<number> {
  const { positionals } = parseFlags('report', argv, {}, true);
  if (positionals.length !== 1) throw usageError(`report: expected exactly one run directory\n${USAGE}`);
  console.log(await writeReport(positionals[0]!));
  return EXIT.valid;
}
