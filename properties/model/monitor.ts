// What a run of the model has observed for the invariants (invariants.ts), beyond the cluster's own state,
// and the one observation rule that needs a machine step's before and after (group offsets). Free of
// fast-check, so the explorer (harness/explore) and the command line can use it.
import type { GroupContext, Sim } from '../../model/index.ts';
import type { CtpWorker } from './ctp.ts';

/** Key 0 is the consume-transform-produce input, key 1 its output, key 2 is free for anything. */
export const KEYS = 3;

/** What the run observed, beyond the simulated cluster's own state. */
export interface Monitor {
  sim: Sim;
  /** `key:value` -> the transaction it was sent in (`clientId/n`); CTP outputs copy input values, hence the key */
  txnOfValue: Map<string, string>;
  /** clientIds whose transactional id was since initialised by a newer client */
  fenced: Set<string>;
  /** every client call outcome by a fenced client that still succeeded: [clientId, op] */
  zombieSuccesses: Array<[string, string]>;
  /** records returned to read_committed polls: [key, offset] */
  committedReads: Array<[number, number]>;
  /** group offset moves not explained by a committed transaction's marker (seen step by step) */
  unexplainedOffsetMoves: string[];
  ctp: CtpWorker;
}

export type Invariant = (m: Monitor) => string | null;

/** The moves of a group's committed offsets that one group step makes and nothing explains (the explorer
 *  checks them too); `committing(pid)`: that producer's transaction is in PrepareCommit at its coordinator. */
export function unexplainedGroupMoves(event: { type: string }, before: GroupContext, after: GroupContext, committing: (pid: number) => boolean): string[] {
  if (event.type === 'group.offsetCommit') return [];
  const out: string[] = [];
  for (const [k, now] of Object.entries(after.committed)) {
    const was = before.committed[Number(k)];
    if (was !== undefined && was.position === now.position) continue;
    const m = event as { type: string; producerId?: number; commit?: boolean };
    const held = m.producerId === undefined ? undefined : before.pendingTxnOffsets[m.producerId]?.offsets[Number(k)];
    if (event.type === 'group.writeTxnMarker' && m.commit === true && held?.position === now.position && m.producerId !== undefined && committing(m.producerId)) continue;
    out.push(`group ${after.groupId}: key ${k} moved ${was?.offset ?? 'unset'} → ${now.offset} on ${event.type}` +
      `${m.commit === false ? ' (an ABORT marker)' : ''}`);
  }
  return out;
}
