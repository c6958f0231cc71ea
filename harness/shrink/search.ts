// fast-check's shrinking of the program arbitrary, driven by real runs. `fc.check` starts from exactly
// the seed's program (noBias, numRuns 1) or, given a `path`, from a counterexample an earlier search
// reached (so the Kafka search continues where the model search stopped), and walks fast-check's
// shrink tree, asking `fails` of each candidate.
//
// Candidates repeat: the arbitrary generates op lists at full length and slices them, so shrinking the
// sliced-away ops yields the same program again and again. Verdicts are memoized by program, so only
// distinct programs cost a run. The budget is enforced between runs: when `canStart` says no, the
// search interrupts itself (fast-check keeps the last failing candidate as the counterexample).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { programArb, type Program, type ProgramOptions } from '../workload/index.ts';

export interface SearchConfig {
  seed: number;
  options: ProgramOptions;
  /** fast-check path of a counterexample to start from; the seed's program when absent. */
  path?: string;
  /** Runs the candidate and says whether it still fails (called once per distinct program). */
  fails: (program: Program, attempt: number) => Promise<boolean>;
  /** Asked before each run: false stops the search (budget spent). */
  canStart: () => boolean;
  /** Verdicts already known, by `programKey` (e.g. the recorded run's). */
  known?: Map<string, boolean>;
}

export interface SearchResult {
  /** The smallest failing program reached, with its path; null when no candidate failed. */
  smallest: { program: Program; path: string } | null;
  /** Distinct programs run, and candidates fast-check proposed in all. */
  runs: number;
  candidates: number;
  /** Failing candidates fast-check moved to (each one a shrink step). */
  steps: number;
  stoppedBy: 'done' | 'budget';
}

export const programKey = (p: Program): string => createHash('sha1').update(JSON.stringify(p)).digest('hex');

export async function searchSmallerFailing(config: SearchConfig): Promise<SearchResult> {
  const known = config.known ?? new Map<string, boolean>();
  let runs = 0;
  let candidates = 0;
  let steps = 0;
  let budgetSpent = false;
  const property = fc.asyncProperty(fc.noBias(programArb(config.seed, config.options)), async (program) => {
    candidates++;
    const key = programKey(program);
    let failed = known.get(key);
    if (failed === undefined) {
      if (!config.canStart()) {
        budgetSpent = true;
        throw new fc.PreconditionFailure(true); // interrupts the whole check, shrinking included
      }
      failed = await config.fails(program, ++runs);
      known.set(key, failed);
    }
    if (failed) steps++;
    return !failed;
  });
  const details = await fc.check(property, { seed: config.seed, numRuns: 1, ...(config.path ? { path: config.path } : {}) });
  const smallest = details.failed && details.counterexample && details.counterexamplePath
    ? { program: details.counterexample[0], path: details.counterexamplePath } : null;
  return { smallest, runs, candidates, steps, stoppedBy: budgetSpent ? 'budget' : 'done' };
}
