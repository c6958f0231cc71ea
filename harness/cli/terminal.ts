// How the long-running commands talk on stderr: on a terminal a progress line updates in place and log
// lines clear it first; in a CI log (no TTY) progress comes as whole lines, at most one per interval.
const interactive = (): boolean => process.stderr.isTTY === true;

/** A log line on stderr that first clears a progress line a terminal may be showing. */
export function logLine(): (line: string) => void {
  const tty = interactive();
  return (line) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
}

export interface ProgressPrinter {
  /** Shows `line`; `forceLine` prints it in a CI log even within the interval (a new seed, say). */
  show(line: string, forceLine?: boolean): void;
  /** Ends the in-place line on a terminal. */
  done(): void;
}

export function progressPrinter(intervalMs: number): ProgressPrinter {
  const tty = interactive();
  let lastPrinted = 0;
  return {
    show(line, forceLine = false) {
      if (tty) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 200) - 1)}`);
      else if (forceLine || Date.now() - lastPrinted >= intervalMs) {
        lastPrinted = Date.now();
        process.stderr.write(`${line}\n`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
