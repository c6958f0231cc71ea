// The end of a run on a shared cluster: remove what its namespace holds (topics, consumer groups), and
// nothing else. Transactional ids cannot be deleted through Kafka's API: the brokers forget them after
// transactional.id.expiration.ms (7 days by default). What could not be removed is said, not thrown.
import type { Admin } from 'kafkajs';

export interface CleanupResult {
  topics: number;
  groups: number;
  problems: string[];
}

/**
 * Right after a heal the restarted brokers reset connections (ECONNRESET) while the final heal starts them
 * one after another: after Ctrl-C mid-fault over SSH, three restarts kept resetting for more than the 8 s
 * an earlier budget allowed, and the namespace's topics outlived the run. Each step tries for about 30 s.
 */
const ATTEMPTS = 10;
const RETRY_PAUSE_MS = 3_000;

export async function deleteNamespace(admin: Admin, ns: string, retryPauseMs = RETRY_PAUSE_MS): Promise<CleanupResult> {
  const result: CleanupResult = { topics: 0, groups: 0, problems: [] };
  if (ns.length < 4) throw new Error(`refusing to delete by the prefix '${ns}'`); // never "everything"
  const patiently = (what: string, step: () => Promise<void>) => retrying(what, step, result, retryPauseMs);
  await patiently("listing or deleting the namespace's groups", () => deleteGroups(admin, ns, result));
  await patiently("deleting the namespace's topics", async () => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(ns));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    result.topics = topics.length;
  });
  // Once more: a process the runner abandoned (kafkajs retries on after the runner stops waiting) can land
  // a late TxnOffsetCommit, and that creates its group again after the first pass (seen with 3 parallel runs).
  await patiently("listing or deleting the namespace's groups", () => deleteGroups(admin, ns, result));
  return result;
}

async function retrying(what: string, step: () => Promise<void>, result: CleanupResult, retryPauseMs: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= ATTEMPTS) {
        result.problems.push(`${what}: ${(error as Error).message}`);
        return;
      }
      await new Promise((r) => setTimeout(r, retryPauseMs));
    }
  }
}

async function deleteGroups(admin: Admin, ns: string, result: CleanupResult): Promise<void> {
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(ns));
  if (groups.length === 0) return;
  const answers = await admin.deleteGroups(groups).catch((error: { groups?: Array<{ groupId: string; errorCode: number; error?: Error }> }) => {
    if (!error.groups) throw error;
    return error.groups;
  });
  for (const a of answers) {
    if (a.errorCode === 0) result.groups++;
    else result.problems.push(`group ${a.groupId}: ${a.error?.message ?? `error code ${a.errorCode}`}`);
  }
}
