// The environment variables that change how the client drivers (or a fault) behave (docs/client-drivers.md,
// "Settings for experiments"). A hunt run with them finds what a run without them may not, so the
// repro line carries them: pasted, it sets them again.

/**
 * Read by the drivers, by the harness when it starts them, or by the leader-move fault (a lag before
 * each controlled shutdown); anything else in the environment is not part of a run.
 */
export const EXPERIMENT_ENV = ['KAFKA_EOS_CLIENT_CONFIG', 'KAFKA_EOS_JAVA_OPTS', 'KAFKA_EOS_LEADER_MOVE_LAG_MS'] as const;

/** `NAME=value` for each experiment variable that is set and not blank, in a fixed order, quoted for a POSIX shell. */
export function experimentEnvAssignments(env: NodeJS.ProcessEnv = process.env): string[] {
  return EXPERIMENT_ENV.flatMap((name) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? [] : [`${name}=${shellQuote(value)}`];
  });
}

/** Plain words stay as they are; anything else goes in single quotes (a quote inside is closed, escaped, reopened). */
function shellQuote(value: string): string {
  return /^[\w.,=:@/+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
