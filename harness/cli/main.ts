// `kafka-eos` entry point: parses the command line (program.ts) and runs the command it names. Every
// error becomes one message and an exit code here (exit-codes.ts): the commands below only throw.
import { CliError, EXIT } from './exit-codes.ts';
import { invoke } from './command.ts';
import { buildProgram } from './program.ts';
import { installClientFixes } from '../kafka-runner/client-fixes.ts';
import { interrupting } from '../cluster/interrupts.ts';

// Before any command loads kafkajs: `--client-fix` can only swap what is in place before kafkajs loads.
installClientFixes();

const program = buildProgram();
const argv = process.argv.slice(2);
try {
  // Bare `kafka-eos`: the help, on stderr, as a usage error (a script that forgot its command should fail).
  if (argv.length === 0) {
    process.stderr.write(program.helpInformation());
    process.exitCode = EXIT.usage;
  } else {
    process.exitCode = await invoke(program, argv);
  }
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
// After Ctrl-C the command can finish (its run was aborted) while the cleanups still heal faults and
// remove what the run created: the signal handler ends the process, with 130, once they are done.
if (!interrupting()) process.exit(process.exitCode ?? 0);
