// The final phase on the real cluster (research/jepsen.md 4.3): fresh readers assign every key from the
// beginning and poll until each key reached the highest offset an ok op acknowledged, or until they run
// out of attempts or time. Readers run concurrently, one poll each per `pollMs`.
import type { ClientEvent, Key, Offset } from '../../jepsen-style/history.ts';
import type { ProgramOp } from '../workload/program.ts';
import type { ClientProcess } from '../clients/client.ts';
import { sleep } from '../clients/deadline.ts';
import type { WorkerContext } from './worker-loop.ts';

export async function runFinalReads(ctx: WorkerContext, groupId: string): Promise<void> {
  const fp = ctx.program.finalPolls;
  const deadline = Date.now() + fp.timeLimitMs;
  await Promise.all(Array.from({ length: fp.readers }, async (_, reader) => {
    const process = ctx.freshProcess();
    // A group that never committed anything: every key starts at the beginning.
    const client = ctx.newClient(reader, { process, transactionalId: null, groupId });
    try {
      if (!(await record(ctx, process, client, { f: 'assign', value: [...fp.keys] }))) return;
      const seen = new Map<Key, Offset>();
      for (let attempt = 0; attempt < fp.maxAttempts && Date.now() < deadline && !ctx.signal.aborted; attempt++) {
        if (ctx.acked.reachedBy(seen)) return;
        const started = Date.now();
        const result = await record(ctx, process, client, { f: 'poll', value: [['poll']] });
        if (result === null) return;
        for (const [k, pairs] of Object.entries(polledRecords(result))) for (const [o] of pairs) seen.set(Number(k), Math.max(o, seen.get(Number(k)) ?? -1));
        const rest = fp.pollMs - (Date.now() - started);
        if (rest > 0 && !ctx.acked.reachedBy(seen)) await sleep(rest);
      }
    } finally {
      await client.abandon();
    }
  }));
}

/** Invokes and completes one op; returns its completed value, or null when it did not complete ok. */
async function record(ctx: WorkerContext, process: number, client: ClientProcess, op: Extract<ProgramOp, { f: 'assign' | 'poll' }>) {
  ctx.writer.invoke(process, op.f, op.value);
  const result = await client.execute(op, op.value);
  ctx.writer.complete(process, result.type, op.f, result.value, result.error);
  ctx.stats.count(result.type);
  return result.type === 'ok' ? result.value : null;
}

/** The records of a completed poll value `[["poll", {key: [[offset, value], ...]}]]`. */
function polledRecords(value: ClientEvent['value']): Record<string, ReadonlyArray<readonly [Offset, number]>> {
  const mop = Array.isArray(value) ? value[0] : undefined;
  return Array.isArray(mop) && mop[0] === 'poll' && typeof mop[1] === 'object' && mop[1] !== null
    ? (mop[1] as Record<string, ReadonlyArray<readonly [Offset, number]>>) : {};
}
