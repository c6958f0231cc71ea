// The command line as a stranger meets it: --help on every command with every option and its default,
// --version with the commit, did-you-mean on typos, clear refusals of bad numbers and of flags that cannot
// apply, and a used --out refused before anything in it is touched.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.ts';
import { invoke } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { parseRunFlags } from './run.ts';
import { main as runMain } from './run.ts';
import { harnessIdentity } from '../meta/version.ts';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['bin/kafka-eos.js', ...args], (error, stdout, stderr) =>
      done({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
}

const usage = (message: RegExp | string) => expect.objectContaining({ exitCode: EXIT.usage, message: expect.stringMatching(message) });

describe('help and version', () => {
  it('every command and subcommand has --help listing each of its options, with the default where there is one', () => {
    const walk = (c: ReturnType<typeof buildProgram>): ReturnType<typeof buildProgram>[] => [c, ...c.commands.flatMap(walk)];
    for (const command of walk(buildProgram())) {
      const help = command.helpInformation();
      for (const option of command.options) {
        expect(help, `${command.name()} --help`).toContain(option.long!);
        if (option.defaultValue !== undefined) expect(help).toMatch(/\(default|default: /);
      }
      expect(command.description().length, `${command.name()} has a description`).toBeGreaterThan(10);
    }
    const run = buildProgram().commands.find((c) => c.name() === 'run')!.helpInformation();
    for (const text of ['--seed <n>', 'default: 1', '--time-limit <seconds>', 'default: 60', '--workers <n>', 'default: 6', '--rate <hz>', 'default: 300']) {
      expect(run).toContain(text);
    }
  });

  it('--version prints the package version and the commit of the sources', async () => {
    const { code, stdout } = await cli(['--version']);
    const id = harnessIdentity();
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`${id.version} (commit ${id.commit.slice(0, 12)})`);
    expect(id.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('bare kafka-eos prints the help and exits 2; so does a command group without its subcommand', async () => {
    const bare = await cli([]);
    expect(bare.code).toBe(EXIT.usage);
    expect(bare.stderr).toContain('Commands:');
    expect(await invoke(buildProgram(), ['cluster'])).toBe(EXIT.usage);
  });
});

describe('typos and bad values are usage errors (exit 2) that say what was meant', () => {
  it('did you mean, for commands and options', async () => {
    const command = await cli(['rn', '--seed', '1']);
    expect(command.code).toBe(EXIT.usage);
    expect(command.stderr).toContain("kafka-eos: unknown command 'rn'\n(Did you mean run?)");
    await expect(runMain(['--seeed', '3'])).rejects.toThrow(usage(/unknown option '--seeed'\n\(Did you mean --seed\?\)/));
    await expect(runMain(['--nemesis', 'kil'])).rejects.toThrow(usage(/unknown 'kil': choose from partition, kill, pause/));
  });

  it.each([
    [['--seed', '-1'], /--seed <n>' argument '-1' is invalid. expected a whole number from 0 to 4294967295/],
    [['--seed', '4294967296'], /--seed <n>' argument '4294967296' is invalid/],
    [['--workers', '1e3'], /--workers <n>' argument '1e3' is invalid. expected a whole number from 1 to 256, written in digits/],
    [['--workers', '0x10'], /--workers <n>' argument '0x10' is invalid/],
    // Within range, but not plain digits: read as 100 and 1000 by Number(), refused here.
    [['--workers', '1e2'], /--workers <n>' argument '1e2' is invalid/],
    [['--seed', '1e3'], /--seed <n>' argument '1e3' is invalid/],
    [['--time-limit', '1.5'], /--time-limit <seconds>' argument '1.5' is invalid/],
    [['--target', 'cluster'], /Allowed choices are model, kafka, both/],
    [['--txn-version', '3'], /--txn-version <1\|2>' argument '3' is invalid/],
  ])('%j', (argv, message) => {
    expect(() => parseRunFlags('run', argv)).toThrow(usage(message));
  });

  it('an impossible Kafka version is refused before anything starts', () => {
    for (const v of ['latest', '4.4', '4.4.0-rc1', '2.8.0', '3.2.9']) {
      expect(() => parseRunFlags('run', ['--kafka-version', v]), v).toThrow(usage(/--kafka-version <version>' argument .* is invalid/));
    }
    expect(parseRunFlags('run', ['--kafka-version', '3.9.2']).kafkaVersion).toBe('3.9.2');
  });

  it('flags that cannot apply are refused, not ignored', () => {
    expect(() => parseRunFlags('run', ['--target', 'model', '--kafka-version', '4.1.0'])).toThrow(usage(/--kafka-version applies to a real cluster, and --target model runs none/));
    expect(() => parseRunFlags('run', ['--target', 'model', '--client-fix', 'abort-filter'])).toThrow(usage(/--client-fix fixes the Kafka client/));
    expect(() => parseRunFlags('run', ['--nemesis-interval', '5'])).toThrow(usage(/--nemesis-interval sets how often faults come, and no --nemesis was given/));
    // The defaults themselves are never "given": a model run with every default is fine.
    expect(parseRunFlags('run', ['--target', 'model']).target).toBe('model');
    expect(parseRunFlags('run', ['--nemesis', 'kill', '--nemesis-interval', '5']).nemesisIntervalSeconds).toBe(5);
  });
});

describe('never lose a run', () => {
  it('a used --out is refused before anything in it is touched', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-used-'));
    fs.writeFileSync(path.join(out, 'verdict.json'), '{"valid":false,"precious":true}\n');
    fs.writeFileSync(path.join(out, 'program.json'), 'the old program\n');
    await expect(runMain(['--seed', '3', '--target', 'model', '--time-limit', '1', '--out', out])).rejects.toThrow(usage(/already holds files \(.*program\.json.*\); nothing was written/));
    expect(fs.readdirSync(out).sort()).toEqual(['program.json', 'verdict.json']);
    expect(fs.readFileSync(path.join(out, 'verdict.json'), 'utf8')).toBe('{"valid":false,"precious":true}\n');
    expect(fs.readFileSync(path.join(out, 'program.json'), 'utf8')).toBe('the old program\n');
  });

  it('an empty or missing --out is fine; a model run writes its files and records the harness', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-fresh-')), 'run');
    expect(await runMain(['--seed', '3', '--target', 'model', '--time-limit', '1', '--out', out])).toBe(EXIT.valid);
    const verdict = JSON.parse(fs.readFileSync(path.join(out, 'verdict.json'), 'utf8'));
    expect(verdict.harness).toEqual(harnessIdentity());
    expect(verdict.inconclusive).toEqual([]);
  }, 60_000);
});
