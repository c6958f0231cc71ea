// The end of a run on a shared cluster: remove what its namespace holds (topics, consumer groups), and
// nothing else. Transactional ids cannot be deleted through Kafka's API: the brokers forget them after
// transactional.id.expiration.ms (7 days by default). What could not be removed is said, not thrown.
import type { Admin } from 'kafkajs';

export interface CleanupResult {
  topics: number;
  groups: number;
  problems: string[];
}

export async function deleteNamespace(admin: Admin, ns: string, retryPauseMs = 2_000): Promise<CleanupResult> {
  const result: CleanupResult = { topics: 0, groups: 0, problems: [] };
  if (ns.length < 4) throw new Error(`refusing to delete by the prefix '${ns}'`); // never "everything"
  await deleteGroups(admin, ns, result, retryPauseMs);
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(ns));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    result.topics = topics.length;
  } catch (error) {
    result.problems.push(`deleting the namespace's topics: ${(error as Error).message}`);
  }
  // Once more: a process the runner abandoned (kafkajs retries on after the runner stops waiting) can land
  // a late TxnOffsetCommit, and that creates its group again after the first pass (seen with 3 parallel runs).
  await deleteGroups(admin, ns, result, retryPauseMs);
  return result;
}

async function deleteGroups(admin: Admin, ns: string, result: CleanupResult, retryPauseMs: number): Promise<void> {
  // Right after a heal, restarted brokers reset connections for a few seconds (ECONNRESET): try again
  // before giving up, or the namespace's groups outlive the run (seen after Ctrl-C mid-fault).
  for (let attempt = 1; ; attempt++) {
    try {
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
      return;
    } catch (error) {
      if (attempt >= GROUP_ATTEMPTS) {
        result.problems.push(`listing or deleting the namespace's groups: ${(error as Error).message}`);
        return;
      }
      await new Promise((r) => setTimeout(r, retryPauseMs));
    }
  }
}

const GROUP_ATTEMPTS = 5;
