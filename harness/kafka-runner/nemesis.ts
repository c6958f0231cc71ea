// Plays a program's nemesis schedule on the real cluster with the fault primitives, recording each
// fault in the history as Jepsen does: an `invoke` when it begins, an `info` once applied (with the
// error if the primitive failed: the fault's effect is then unknown, and the run goes on).
import type { FaultBackend } from '../faults/backend.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { NemesisEntry, NemesisOp } from '../workload/program.ts';
import { sleep } from '../clients/deadline.ts';

/** Runs `entries` at their `atMs` after `startedAt` (Date.now() ms); stops early when `signal` aborts. */
export async function playSchedule(entries: readonly NemesisEntry[], startedAt: number, faults: FaultBackend, writer: HistoryWriter, signal: AbortSignal): Promise<void> {
  for (const entry of entries) {
    const wait = startedAt + entry.atMs - Date.now();
    if (wait > 0) await sleepUnlessAborted(wait, signal);
    if (signal.aborted) return;
    await recordNemesisOp(faults, writer, entry.op);
  }
}

export async function recordNemesisOp(faults: FaultBackend, writer: HistoryWriter, op: NemesisOp): Promise<void> {
  writer.nemesis('invoke', op.f, op.value);
  try {
    await faults.inject(op);
    writer.nemesis('info', op.f, op.value);
  } catch (error) {
    writer.nemesis('info', op.f, op.value, describeError(error));
  }
}

async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  const end = Date.now() + ms;
  while (!signal.aborted && Date.now() < end) await sleep(Math.min(200, end - Date.now()));
}

/** `Name: first line of the message`, as the history's `error` fields read. */
function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string } | undefined;
  return `${e?.name ?? 'Error'}: ${(e?.message ?? String(error)).split('\n')[0]!.slice(0, 300)}`;
}
