// fast-check parameters for the model properties: a fixed budget normally, or an exact replay of a
// reported failure when FC_SEED (and FC_PATH) are set. A failure's message ends with the command that
// replays it. See properties/model/README.md.
import { fc } from '@fast-check/vitest';

export function replayCommand(file: string, name: string, seed: number, path: string | null): string {
  return `FC_SEED=${seed}${path ? ` FC_PATH=${path}` : ''} npx vitest run --project unit ${file} -t '${name.replace(/'/g, "'\\''")}'`;
}

export function propParams<T>(numRuns: number, file: string, name: string): fc.Parameters<T> {
  const reporter = (details: fc.RunDetails<T>): void => {
    if (!details.failed) return;
    throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay with:\n  ${replayCommand(file, name, details.seed, details.counterexamplePath)}`);
  };
  const seed = process.env.FC_SEED;
  if (seed === undefined || seed === '') return { numRuns, reporter };
  const path = process.env.FC_PATH;
  return { seed: Number(seed), ...(path ? { path } : {}), endOnFailure: true, numRuns, reporter };
}
