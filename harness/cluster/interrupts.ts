// Ctrl-C (SIGINT), SIGTERM and SIGHUP must not leave containers, networks or firewall rules behind.
// Whoever creates something registers how to undo it; a signal runs every undo, newest first, then exits
// with 128 + signal number. SIGKILL cannot be caught: the sweep at the next start handles that case.

type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
let installed = false;
let exiting = false;

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

export function onInterrupt(cleanup: Cleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** True once a signal began the cleanups: the process then ends with 128 + signal, whatever else finishes. */
export function interrupting(): boolean {
  return exiting;
}

export async function runCleanups(): Promise<void> {
  const pending = [...cleanups].reverse();
  cleanups.clear();
  for (const cleanup of pending) {
    await cleanup().catch((error: unknown) => process.stderr.write(`kafka-eos: cleanup failed: ${String(error)}\n`));
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const [signal, number] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      if (exiting) return; // a second Ctrl-C while cleaning up: keep cleaning, it is quick
      exiting = true;
      if (cleanups.size > 0) process.stderr.write(`\nkafka-eos: ${signal}: removing what this run created...\n`);
      void runCleanups().finally(() => process.exit(128 + number));
    });
  }
}
