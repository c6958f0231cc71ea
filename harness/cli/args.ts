// Flag parsing shared by the subcommands: strict (an unknown flag is a usage error, exit 2), with
// messages that name the flag and say what was expected.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './exit-codes.ts';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    throw usageError(`${command}: ${(error as Error).message}`);
  }
}

export function intFlag(command: string, name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw usageError(`${command}: --${name} must be an integer ≥ ${min}, got '${raw}'`);
  }
  return value;
}

/** A comma-separated choice list (`--nemesis kill,pause`): deduplicated, each item one of `choices`. */
export function listFlag<C extends string>(command: string, what: string, raw: string | undefined, choices: readonly C[]): C[] {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.filter((i) => !(choices as readonly string[]).includes(i));
  if (unknown.length > 0) throw usageError(`${command}: unknown ${what} '${unknown.join(',')}': choose from ${choices.join(', ')} (comma-separated)`);
  return [...new Set(items)] as C[];
}
