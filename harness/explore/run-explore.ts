// `kafka-eos explore` without the command line: explore a configuration up to a bound, and when an invariant
// breaks, write the shortest counterexample where a person and the tools can read it:
//   DIR/explore.json         the configuration, the bound, the figures, the violation and the steps
//   DIR/trace.txt            the steps, one a line (the counterexample, then its fault-free completion)
//   DIR/model/history.jsonl  the same run as a history (`kafka-eos check`, `kafka-eos report DIR`)
import fs from 'node:fs';
import path from 'node:path';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import type { ModelVariant } from '../../model/index.ts';
import type { ExploreConfig } from './config.ts';
import { type ExploreProgress, type ExploreResult, explore } from './search.ts';
import { traceHistory } from './trace-history.ts';

export interface RunExploreOptions {
  config: ExploreConfig;
  bound: number;
  outDir: string;
  maxStates?: number;
  variant?: ModelVariant;
  onProgress?: (p: ExploreProgress) => void;
}

export interface RunExploreResult {
  result: ExploreResult;
  /** With a counterexample: what the checker says of its history (invalid anomaly names; [] when it sees none). */
  checker?: { valid: boolean; anomalies: string[] };
  written: string[];
}

export async function runExplore(o: RunExploreOptions): Promise<RunExploreResult> {
  const result = explore(o.config, {
    bound: o.bound, ...(o.variant ? { variant: o.variant } : {}), ...(o.maxStates ? { maxStates: o.maxStates } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  fs.mkdirSync(o.outDir, { recursive: true });
  const summary = { config: o.config, variant: o.variant?.name ?? null, ...result, counterexample: undefined };
  const written: string[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(o.outDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written.push(file);
  };
  if (result.counterexample === undefined) {
    write('explore.json', JSON.stringify(summary, null, 1) + '\n');
    return { result, written };
  }
  const { events, steps } = traceHistory(o.config, result.counterexample.actions, o.variant);
  write('model/history.jsonl', events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  write('trace.txt', [`violation: ${result.counterexample.violation}`, ...steps.map((s, i) => `${i + 1}. ${s}`)].join('\n') + '\n');
  const { verdict } = await checkHistoryFile(path.join(o.outDir, 'model', 'history.jsonl'));
  const checker = { valid: verdict.valid, anomalies: verdict.invalidTypes };
  write('explore.json', JSON.stringify({ ...summary, violation: result.counterexample.violation, steps, checker }, null, 1) + '\n');
  return { result, checker, written };
}
