// The command line's one convention over commander: every command is built the same way (help that
// lists every option with its default, did-you-mean on typos, errors returned rather than printed),
// its action answers an exit code, and `invoke` turns commander's own errors into usage errors (exit 2)
// with the command's name, so that the one error handler below the CLI prints every message alike.
import { Command, CommanderError } from 'commander';
import { EXIT, usageError } from './exit-codes.ts';

let answered: number | undefined;

/** A command preconfigured with the project's conventions; the program's root uses it too. */
export function newCommand(name: string): Command {
  return new Command(name)
    .exitOverride()
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .configureHelp({ showGlobalOptions: true, sortOptions: false })
    // Errors come back to `invoke` as exceptions and are printed once, by main.ts.
    .configureOutput({ outputError: () => {} });
}

/** Sets the command's action; what the action returns is the process's exit code. */
export function act<A extends unknown[]>(command: Command, action: (...args: A) => Promise<number>): Command {
  return command.action(async (...args: unknown[]) => {
    answered = await action(...(args as A));
  });
}

/** Parses `argv` (the words after the command's own name) and runs the action it selects. */
export async function invoke(command: Command, argv: readonly string[]): Promise<number> {
  answered = undefined;
  try {
    await command.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    return answeredFor(error, command, argv);
  }
  return answered ?? 0;
}

/** Parses `argv` into the command's options without running any action (for `parseRunFlags`). */
export function parseOnly(command: Command, argv: readonly string[]): void {
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    answeredFor(error, command, argv);
  }
}

/** Help and version end well (exit 0); every other commander error becomes a usage error naming the command. */
function answeredFor(error: unknown, command: Command, argv: readonly string[]): number {
  if (!(error instanceof CommanderError)) throw error;
  if (error.exitCode === 0) return 0; // --help, --version
  if (error.code === 'commander.help') return EXIT.usage; // help shown because a command was missing (`cluster`)
  const leaf = leafFor(command, argv);
  const message = error.message.replace(/^error: /, '');
  const help = leaf === '' ? "'kafka-eos --help' for every command" : `'kafka-eos ${leaf} --help' for every option and its default`;
  throw usageError(`${leaf === '' ? '' : `${leaf}: `}${message}\n(see ${help})`);
}

/** `run`, `cluster up`: the deepest (sub)command the words name, for messages ('' for the program itself). */
function leafFor(root: Command, argv: readonly string[]): string {
  const names: string[] = root.name() === 'kafka-eos' ? [] : [root.name()];
  let at = root;
  for (const word of argv) {
    const sub = at.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    names.push(sub.name());
    at = sub;
  }
  return names.join(' ');
}

/** True when the user wrote the option (not its default): flags that cannot apply are refused only then. */
export function given(command: Command, option: string): boolean {
  return command.getOptionValueSource(option) === 'cli';
}
