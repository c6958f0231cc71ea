// Removing a run's namespace from a shared cluster: only what starts with the prefix goes, and the
// groups survive neither a connection reset right after a heal nor a late TxnOffsetCommit.
import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { deleteNamespace } from './cleanup.ts';

/** An admin over a set of groups and topics; the first `resets` listGroups (and `topicResets` listTopics)
 *  calls fail as a restarting broker does. */
function fakeAdmin(groups: string[], topics: string[], resets: number, topicResets = 0) {
  const deleted: string[] = [];
  const admin = {
    listGroups: async () => {
      if (resets-- > 0) throw new Error('Connection error: read ECONNRESET');
      return { groups: groups.filter((g) => !deleted.includes(g)).map((groupId) => ({ groupId, protocolType: 'consumer' })) };
    },
    deleteGroups: async (ids: string[]) => { deleted.push(...ids); return ids.map((groupId) => ({ groupId, errorCode: 0 })); },
    listTopics: async () => {
      if (topicResets-- > 0) throw new Error('Connection error: read ECONNRESET');
      return topics.filter((t) => !deleted.includes(t));
    },
    deleteTopics: async ({ topics: ts }: { topics: string[] }) => { deleted.push(...ts); },
  };
  return { admin: admin as unknown as Admin, deleted };
}

describe('deleteNamespace', () => {
  it("removes the prefix's groups and topics, and nothing of a neighbour's", async () => {
    const { admin, deleted } = fakeAdmin(['ns-a-copier-0', 'ns-ab-copier-0'], ['ns-a-t0', 'other'], 0);
    expect(await deleteNamespace(admin, 'ns-a-', 0)).toEqual({ topics: 1, groups: 1, problems: [] });
    expect(deleted.sort()).toEqual(['ns-a-copier-0', 'ns-a-t0']);
  });

  it('tries again through connection resets right after a heal, and says so when they never stop', async () => {
    const healed = fakeAdmin(['ns-a-copier-0'], [], 3);
    expect(await deleteNamespace(healed.admin, 'ns-a-', 0)).toEqual({ topics: 0, groups: 1, problems: [] });
    const gone = fakeAdmin(['ns-a-copier-0'], [], 100);
    const result = await deleteNamespace(gone.admin, 'ns-a-', 0);
    expect(result.groups).toBe(0);
    expect(result.problems).toEqual([
      "listing or deleting the namespace's groups: Connection error: read ECONNRESET",
      "listing or deleting the namespace's groups: Connection error: read ECONNRESET",
    ]);
  });

  it('tries the topics again too: after Ctrl-C mid-fault over SSH, the resets outlasted one try and the topics stayed', async () => {
    const healed = fakeAdmin(['ns-a-copier-0'], ['ns-a-t0'], 0, 6);
    expect(await deleteNamespace(healed.admin, 'ns-a-', 0)).toEqual({ topics: 1, groups: 1, problems: [] });
    expect(healed.deleted).toContain('ns-a-t0');
  });

  it('refuses a prefix that could name everything', async () => {
    await expect(deleteNamespace(fakeAdmin([], [], 0).admin, 'ns', 0)).rejects.toThrow(/refusing to delete by the prefix 'ns'/);
  });
});
