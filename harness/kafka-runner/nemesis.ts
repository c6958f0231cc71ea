// Plays a program's nemesis schedule on the real cluster with the fault primitives, recording each
// fault in the history as Jepsen does: an `invoke` when it begins, an `info` once applied (with the
// error if the primitive failed: the fault's effect is then unknown, and the run goes on).
import type { Faults } from '../cluster/faults.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { NemesisEntry, NemesisOp } from '../workload/program.ts';
import { sleep } from '../clients/deadline.ts';

export async function applyNemesisOp(faults: Faults, op: NemesisOp): Promise<void> {
  switch (op.f) {
    case 'start-partition': {
      const g = op.value;
      if (g.kind === 'client-isolation') return faults.isolateClient(g.nodes);
      const label = g.kind === 'one' ? `one {${g.isolated.join(',')}}`
        : g.kind === 'majority-minority' ? `minority {${g.minority.join(',')}}` : `majorities ring ${g.ring.join('→')}`;
      await faults.partition({ kind: 'grudge', grudge: g.grudge, label });
      return;
    }
    case 'stop-partition': return faults.heal();
    case 'kill': for (const n of op.value.nodes) await faults.kill(n); return;
    case 'restart': for (const n of op.value.nodes) await faults.restart(n); return;
    case 'pause': for (const n of op.value.nodes) await faults.pause(n); return;
    case 'resume': for (const n of op.value.nodes) await faults.resume(n); return;
  }
}

/** Runs `entries` at their `atMs` after `startedAt` (Date.now() ms); stops early when `signal` aborts. */
export async function playSchedule(entries: readonly NemesisEntry[], startedAt: number, faults: Faults, writer: HistoryWriter, signal: AbortSignal): Promise<void> {
  for (const entry of entries) {
    const wait = startedAt + entry.atMs - Date.now();
    if (wait > 0) await sleepUnlessAborted(wait, signal);
    if (signal.aborted) return;
    await recordNemesisOp(faults, writer, entry.op);
  }
}

export async function recordNemesisOp(faults: Faults, writer: HistoryWriter, op: NemesisOp): Promise<void> {
  writer.nemesis('invoke', op.f, op.value);
  try {
    await applyNemesisOp(faults, op);
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
