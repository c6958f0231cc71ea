// `kafka-eos check HISTORY [--json] [--program FILE]` (docs/contract/cli.md): exit 0 valid, 1 invalid, 2 unusable input.
import { stat } from 'node:fs/promises';
import { checkHistoryFile } from '../../jepsen-style/check-file.ts';
import { ProgramFileError, readProgramInfoFile } from '../../jepsen-style/program-file.ts';
import { HistoryFormatError } from '../../jepsen-style/rules.ts';
import type { Verdict } from '../../jepsen-style/checker.ts';
import type { Command } from 'commander';
import { act, invoke, newCommand } from './command.ts';
import { EXIT, usageError } from './exit-codes.ts';

export function define(): Command {
  const command = newCommand('check')
    .description('check one history.jsonl for anomalies (exit 0 valid, 1 invalid, 2 unusable input)')
    .argument('<history>', 'the history file (JSON lines)')
    .option('--json', 'print the verdict as one JSON object', false)
    .option('--program <file>', "the run's program.json or the history's program-info.json: adds the consume-transform-produce and copier checks");
  return act(command, (path: string, options: { json: boolean; program?: string }) => check(path, options.json, options.program));
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);

async function check(path: string, json: boolean, programFile: string | undefined): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw usageError(`check: ${path}: no such file (give the path of a history.jsonl)`);
  let result;
  let program;
  try {
    program = programFile === undefined ? undefined : readProgramInfoFile(programFile);
    result = await checkHistoryFile(path, { program });
  } catch (error) {
    if (error instanceof ProgramFileError) throw usageError(`check: --program ${error.message}`);
    if (error instanceof HistoryFormatError) throw usageError(`check: ${path}: ${error.message}`);
    throw error;
  }
  for (const w of result.warnings) console.error(`kafka-eos: check: ${path}: warning: ${w}`);
  if (program !== undefined && program.groupOffsets === undefined) {
    // program.json was written before the run, so it cannot know the groups' committed offsets.
    console.error(`kafka-eos: check: ${programFile}: warning: no committed group offsets, so ctp-offset-mismatch is not checked (give the history's kafka/program-info.json for every check)`);
  }
  const { verdict } = result;
  console.log(json ? JSON.stringify(verdict) : summary(path, verdict));
  return verdict.valid ? EXIT.valid : EXIT.invalid;
}

function summary(path: string, v: Verdict): string {
  const s = v.stats;
  const lines = [`${path}: ${v.valid ? 'valid' : 'INVALID'} (${s.ops} ops: ${s.ok} ok, ${s.fail} fail, ${s.info} info)`];
  for (const type of v.anomalyTypes) {
    const bad = v.invalidTypes.includes(type);
    lines.push(`  ${type}: ${v.anomalyCounts[type]} found${bad ? '' : ' (allowed)'}`);
    for (const a of v.anomalies[type]!.slice(0, 3)) lines.push(`    - ${a.explanation}`);
  }
  return lines.join('\n');
}
