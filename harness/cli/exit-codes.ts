// Exit codes are part of the contract (../shared/history-format.md §3): scripts branch on them.
export const EXIT = {
  valid: 0,
  invalid: 1,
  usage: 2,
  harnessError: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI turns into a message and a specific exit code, instead of a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
export const harnessError = (message: string) => new CliError(message, EXIT.harnessError);
