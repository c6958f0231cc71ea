// `kafka-eos` entry point: dispatches to one module per subcommand. Each module exports
// `main(argv): Promise<number>` and owns its flags; errors become messages and exit codes here.
import { CliError, EXIT } from './exit-codes.ts';
import { installClientFixes } from '../kafka-runner/client-fixes.ts';

// Before any command loads kafkajs: `--client-fix` can only swap what is in place before kafkajs loads.
installClientFixes();

type Command = { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  run: { summary: 'run a seeded workload against the model and/or a real cluster, check it, report', load: () => import('./run.ts') },
  cluster: { summary: 'cluster up|down: start or remove a Kafka cluster to explore', load: () => import('./cluster.ts') },
  check: { summary: 'check HISTORY [--json]: check one history.jsonl for anomalies', load: () => import('./check.ts') },
  report: { summary: 'report DIR: (re)write DIR/index.html from what a run directory holds', load: () => import('./report.ts') },
  repro: { summary: 'repro DIR: re-run the program an earlier run recorded; exit 1 if anomalies came back', load: () => import('./repro.ts') },
  shrink: { summary: 'shrink DIR [--budget S]: find a smaller program that still fails (model, then Kafka)', load: () => import('./shrink.ts') },
  campaign: { summary: 'campaign --seeds A..B [run flags]: many seeds, index.html + junit.xml', load: () => import('./campaign.ts') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['usage: kafka-eos <command> [options]', '', 'commands:', ...lines].join('\n');
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(usage());
    return name === undefined ? EXIT.usage : EXIT.valid;
  }
  const command = commands[name];
  if (!command) {
    console.error(`kafka-eos: unknown command '${name}'\n\n${usage()}`);
    return EXIT.usage;
  }
  return (await command.load()).main(rest);
}

try {
  process.exitCode = await dispatch(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    console.error(`kafka-eos: ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    console.error('kafka-eos: internal error:', error);
    process.exitCode = EXIT.harnessError;
  }
}

// Clients abandoned mid-request (a timed-out op's kafkajs producer, say) may keep retrying against a
// cluster that is gone; the verdict is written, so end the process instead of waiting on them.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit(process.exitCode ?? 0);
