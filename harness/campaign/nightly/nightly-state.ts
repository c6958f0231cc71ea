// What one night hands the next: the seeds that did not pass (anomalies, inconclusive, could not run),
// kept and re-run every night until they pass on every leg. A carried seed leaves the list only when
// each leg's merged campaign ran it and found it valid; a leg whose campaign is missing (all its shards
// lost) proves nothing, so the seed stays. The list is capped (oldest first) so that a bug that fails
// every seed cannot make each night longer than the last. The workflow keeps this JSON as an artifact
// of each night's run and reads the newest one at the start of the next (pick-state.ts).
import type { CampaignResult } from '../result.ts';
import { STATUS_LABEL } from '../index-page.ts';

export interface CarriedSeed {
  seed: number;
  /** The night it first failed (YYYY-MM-DD). */
  since: string;
  /** Per leg, what the last night that ran it said, e.g. `anomalies: G1a, lost-write`; legs where it passed are absent. */
  last: Record<string, string>;
}

export interface NightlyState {
  version: 1;
  /** The night that wrote it. */
  date: string;
  carried: CarriedSeed[];
}

export interface StateChange {
  state: NightlyState;
  /** Carried seeds that passed on every leg tonight. */
  resolved: CarriedSeed[];
  /** Failing seeds past the cap (the newest), not carried further. */
  dropped: CarriedSeed[];
}

export const DEFAULT_MAX_CARRIED = 10;

/** Reads a state file's JSON; null (start afresh) for none; an error naming the problem for anything else. */
export function parseState(text: string | null): NightlyState | null {
  if (text === null || text.trim() === '') return null;
  const s = JSON.parse(text) as NightlyState | null;
  if (s === null) return null; // the plan job's "no state yet", passed on as JSON
  const ok = s?.version === 1 && Array.isArray(s.carried) && s.carried.every((c) =>
    Number.isInteger(c?.seed) && typeof c.since === 'string' && typeof c.last === 'object' && c.last !== null);
  if (!ok) throw new Error('nightly: the state file is not a version 1 nightly state ({version: 1, date, carried: [{seed, since, last}]})');
  return s;
}

function outcomeText(run: CampaignResult['runs'][number]): string {
  const detail = run.anomalyTypes.length > 0 ? run.anomalyTypes.join(', ') : (run.inconclusive ?? []).join('; ') || run.error || '';
  return detail ? `${STATUS_LABEL[run.status]}: ${detail}` : STATUS_LABEL[run.status];
}

/** `campaigns`: each leg's merged campaign, null for a leg whose campaign is missing. */
export function nextState(prev: NightlyState | null, date: string, campaigns: Record<string, CampaignResult | null>, maxCarried = DEFAULT_MAX_CARRIED): StateChange {
  const before = new Map((prev?.carried ?? []).map((c) => [c.seed, c]));
  const legs = Object.entries(campaigns);
  const seeds = new Set([...before.keys(), ...legs.flatMap(([, c]) => c?.runs.map((r) => r.seed) ?? [])]);
  const carried: CarriedSeed[] = [];
  const resolved: CarriedSeed[] = [];
  for (const seed of [...seeds].sort((a, b) => a - b)) {
    const runs = legs.map(([leg, c]) => [leg, c?.runs.find((r) => r.seed === seed) ?? null] as const);
    const failing = runs.filter(([, r]) => r !== null && r.status !== 'valid');
    const passedEverywhere = legs.length > 0 && runs.every(([, r]) => r?.status === 'valid');
    const old = before.get(seed);
    if (failing.length > 0 || (old && !passedEverywhere)) {
      // Legs that did not run it tonight keep what they said last; legs that ran it say what they said now.
      const last = { ...(old?.last ?? {}) };
      for (const [leg, r] of runs) {
        if (r === null) continue;
        if (r.status === 'valid') delete last[leg];
        else last[leg] = outcomeText(r);
      }
      carried.push({ seed, since: old?.since ?? date, last });
    } else if (old) {
      resolved.push(old);
    }
  }
  carried.sort((a, b) => a.since.localeCompare(b.since) || a.seed - b.seed);
  return { state: { version: 1, date, carried: carried.slice(0, maxCarried) }, resolved, dropped: carried.slice(maxCarried) };
}
