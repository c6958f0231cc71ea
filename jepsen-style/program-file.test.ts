// `check --program FILE`, library side: a history checked alone gets the consume-transform-produce
// checks a run gives it, from the run's program.json or the program-info.json next to the history;
// a bad program file is refused naming the field.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runModel } from '../harness/model-runner/index.ts';
import { generateProgram, writeProgramFile } from '../harness/workload/index.ts';
import { checkHistoryFile } from './check-file.ts';
import { ProgramFileError, readProgramInfoFile } from './program-file.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'kafka-eos-program-file-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readProgramInfoFile', () => {
  // A model run whose copier commits its offsets outside the transaction: the copier loses input.
  let history = '', programJson = '', programInfoJson = '';
  beforeAll(async () => {
    const program = generateProgram(1, { timeLimitMs: 3000, mutate: 'offsets-outside-txn' });
    programJson = writeProgramFile(dir, program);
    const run = await runModel(program, dir);
    history = run.historyPath;
    programInfoJson = file('program-info.json', JSON.stringify(run.programInfo));
  });

  it('gives a lone history the consume-transform-produce checks, from program.json or program-info.json', async () => {
    const alone = (await checkHistoryFile(history)).verdict;
    expect(alone.anomalyTypes.filter((t) => t.startsWith('ctp-'))).toEqual([]);
    for (const p of [programJson, programInfoJson]) {
      const { verdict } = await checkHistoryFile(history, { program: readProgramInfoFile(p) });
      expect(verdict.invalidTypes, path.basename(p)).toContain('ctp-lost-input');
    }
  });

  it('reads program-info.json as written, and program.json into the same copiers without processes', () => {
    const info = readProgramInfoFile(programInfoJson);
    expect(info).toEqual(JSON.parse(readFileSync(programInfoJson, 'utf8')));
    const fromProgram = readProgramInfoFile(programJson);
    expect(fromProgram.copiers).toEqual(info.copiers!.map(({ processes: _, ...c }) => c));
  });

  it('kafka-eos check --program: the CLI adds the checks, and refuses a bad file with exit 2 naming the field', async () => {
    const check = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', 'check', ...args], (error, stdout, stderr) => {
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      });
    });
    const alone = await check(history, '--json');
    expect(JSON.parse(alone.stdout).anomalyTypes).not.toContain('ctp-lost-input');
    const withProgram = await check(history, '--json', '--program', programInfoJson);
    expect(withProgram.code).toBe(1);
    expect(JSON.parse(withProgram.stdout).invalidTypes).toContain('ctp-lost-input');
    expect(withProgram.stderr).not.toMatch(/warning/);
    // program.json predates the run: it cannot carry the committed offsets, and check says what that costs.
    const fromProgramJson = await check(history, '--json', '--program', programJson);
    expect(fromProgramJson.stderr).toMatch(/program\.json: warning: no committed group offsets, so ctp-offset-mismatch is not checked \(give the history's kafka\/program-info\.json/);
    const bad = await check(history, '--program', file('bad-info.json', '{"copiers": [{"group": "g"}]}'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/check: --program .*bad-info\.json: copiers\[0\]\.inputKeys must be an array of non-negative integer keys, got nothing \(the field is missing\)/);
    expect((await check('--help')).stdout).toContain('--program <file>');
  }, 60_000);

  it.each([
    ['missing.json', null, /cannot be read \(ENOENT\)/],
    ['not-json.json', '{"copiers": [', /is not valid JSON/],
    ['array.json', '[]', /must be a JSON object/],
    ['other.json', '{"valid": true}', /has field "valid", which neither program.json nor program-info.json has/],
    ['old-program.json', '{"version": 0, "workers": []}', /program.json of version 0; this checker reads version 1/],
    ['keys.json', '{"copiers": [{"transactionalId": "c", "group": "g", "inputKeys": [0, -1], "outputKeys": [1, 2]}]}', /copiers\[0\]\.inputKeys must be an array of non-negative integer keys/],
    ['lengths.json', '{"copiers": [{"transactionalId": "c", "group": "g", "inputKeys": [0], "outputKeys": [1, 2]}]}', /same length/],
    ['group.json', '{"copiers": [{"transactionalId": "c", "inputKeys": [0], "outputKeys": [1]}]}', /copiers\[0\]\.group must be a string, got nothing \(the field is missing\)/],
    ['offsets.json', '{"groupOffsets": {"g": {"0": "3"}}}', /groupOffsets\["g"\]\["0"\] must map a decimal key to a non-negative integer offset, got "3"/],
  ])('refuses %s naming the file and the field', (name, text, message) => {
    const p = text === null ? path.join(dir, name) : file(name, text);
    expect(() => readProgramInfoFile(p)).toThrow(ProgramFileError);
    expect(() => readProgramInfoFile(p)).toThrow(message);
    expect(() => readProgramInfoFile(p)).toThrow(p);
  });
});
