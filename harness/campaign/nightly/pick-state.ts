// Where the nightly state lives between nights: an artifact (`nightly-state`) of each night's run. The
// next night asks GitHub's REST API for the newest artifacts of that name (GET
// /repos/{owner}/{repo}/actions/artifacts?name=nightly-state, with the run's own GITHUB_TOKEN and
// `actions: read`) and picks the newest unexpired one made on the default branch, so that a manual run
// on a feature branch cannot change what the nightly carries. Its run id then goes to
// actions/download-artifact. Kept pure so the choice is tested; the workflow does the I/O.
export interface ArtifactListing {
  artifacts?: Array<{
    id: number;
    name: string;
    expired: boolean;
    created_at: string | null;
    workflow_run?: { id?: number; head_branch?: string | null } | null;
  }>;
}

/** The run id holding the newest usable state artifact, or null when there is none (the first night). */
export function pickStateRun(listing: ArtifactListing, branch: string, name = 'nightly-state'): number | null {
  const usable = (listing.artifacts ?? []).filter((a) => a.name === name && !a.expired && a.workflow_run?.head_branch === branch
    && typeof a.workflow_run.id === 'number' && a.created_at !== null);
  usable.sort((a, b) => Date.parse(b.created_at!) - Date.parse(a.created_at!));
  return usable[0]?.workflow_run?.id ?? null;
}
