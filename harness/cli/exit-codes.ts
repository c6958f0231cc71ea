// Exit codes are part of the contract (docs/contract): scripts branch on them. 0 to 3 are the first
// contract's and keep their meaning; 4 was added for runs the harness could not decide (Jepsen's
// `:valid? :unknown`), so that a nightly job can tell "no bug" from "could not tell".
export const EXIT = {
  valid: 0,
  invalid: 1,
  usage: 2,
  harnessError: 3,
  inconclusive: 4,
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
