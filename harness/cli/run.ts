// `kafka-eos run`: generate the program from the seed, run it against the model and/or a fresh real
// cluster, check the histories, write verdict.json and the report. Flags and exit codes are the
// contract's (docs/contract): 0 valid, 1 anomalies or divergence, 2 bad usage, 3 harness error,
// 4 inconclusive. This module is only the command line: it stays light (the help must not load
// Docker's client), and the run itself is imported when the command acts.
import { Option, type Command } from 'commander';
import { act, given, invoke, newCommand, parseOnly } from './command.ts';
import { choice, choiceList, integer, kafkaVersion } from './options.ts';
import { usageError } from './exit-codes.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/versions.ts';
import { DEFAULT_OPTIONS, MAX_SEED, NEMESIS_FAMILIES } from '../workload/options.ts';
import { MUTATIONS, TARGETS, WORKLOADS } from '../run/choices.ts';
import type { RunSettings } from '../run/settings.ts';
import { CLIENT_FIXES } from '../kafka-runner/client-fixes.ts';
import { addTargetOptions, targetSettingsFrom } from '../target/options.ts';
import { isDefaultClients, parseClientSpecs, type ClientSpec } from '../clients/spec.ts';
import { FORENSICS_MODES } from '../forensics/modes.ts';

/** The options a run and every seed of a campaign share; `campaign` adds them without --seed. */
export function addRunOptions(command: Command, { seed = true } = {}): Command {
  if (seed) command.addOption(new Option('--seed <n>', 'the seed the program is generated from').argParser(integer({ min: 0, max: MAX_SEED })).default(1));
  return addTargetOptions(command
    .addOption(new Option('--target <target>', 'where the program runs').choices(TARGETS).default('both'))
    .addOption(new Option('--time-limit <seconds>', 'length of the main phase').argParser(integer({ min: 1, max: 86_400 })).default(60))
    .addOption(new Option('--nemesis <families>', `faults to inject, comma-separated: ${NEMESIS_FAMILIES.join(', ')}`).argParser(choiceList(NEMESIS_FAMILIES)).default([], 'none'))
    .addOption(new Option('--nemesis-interval <seconds>', `mean time a fault lasts, and between faults (default: ${DEFAULT_OPTIONS.nemesisIntervalMs / 1000})`).argParser(integer({ min: 1, max: 3_600 })))
    .addOption(new Option('--mutate <name>', 'break the client side on purpose, to show what the checker catches').choices(MUTATIONS))
    .addOption(new Option('--kafka-version <version>', 'Kafka release the cluster runs (a real cluster only)').argParser(kafkaVersion).default(DEFAULT_KAFKA_VERSION))
    .addOption(new Option('--txn-version <1|2>', "the model's transaction protocol version").argParser(choice(['1', '2'] as const)).default('2'))
    .addOption(new Option('--rate <hz>', `ops per second across all workers (default: ${DEFAULT_OPTIONS.rateHz})`).argParser(integer({ min: 1, max: 100_000 })))
    .addOption(new Option('--workers <n>', `idempotent and transactional workers, copiers on top (default: ${DEFAULT_OPTIONS.workers})`).argParser(integer({ min: 1, max: 256 })))
    .addOption(new Option('--workload <preset>', 'workload preset (endtxn-race aims at KAFKA-17754)').choices(WORKLOADS).default('standard'))
    .addOption(new Option('--client <clients>', 'client libraries to judge, comma-separated, each on its own cluster: kafkajs, java[@VERSION], franz-go[@VERSION]').argParser(parseClientSpecs).default([{ name: 'kafkajs', version: 'installed' }], 'kafkajs'))
    .addOption(new Option('--client-fix <fixes>', `known kafkajs bugs to fix for this run, comma-separated: ${CLIENT_FIXES.join(', ')}`).argParser(choiceList(CLIENT_FIXES)).default([], 'none'))
    .addOption(new Option('--forensics <mode>', 'ask the brokers why reads fell short and watch for hanging transactions (docs/forensics.md): auto when a key falls short, always, or off').choices(FORENSICS_MODES).default('auto'))
    .addOption(new Option('--out <dir>', 'run directory; must not exist or be empty (default: runs/seed-N-<time>)')));
}

/** The settings the options give, after refusing the combinations that cannot apply. */
export function settingsFrom(command: Command, name: string): RunSettings {
  const o = command.opts();
  const refuse = (flag: string, why: string) => { throw usageError(`${name}: ${flag} ${why}`); };
  if (o['target'] === 'model') {
    if (given(command, 'kafkaVersion')) refuse('--kafka-version', 'applies to a real cluster, and --target model runs none (drop it, or use --target kafka|both)');
    if (given(command, 'clientFix')) refuse('--client-fix', 'fixes the Kafka client, and --target model runs none (drop it, or use --target kafka|both)');
    if (given(command, 'forensics')) refuse('--forensics', 'asks a real cluster, and --target model runs none (drop it, or use --target kafka|both)');
    if (given(command, 'client')) refuse('--client', 'chooses the Kafka client, and --target model runs none (drop it, or use --target kafka|both)');
  }
  const clients = o['client'] as ClientSpec[];
  if (given(command, 'clientFix') && clients.some((c) => c.name !== 'kafkajs')) {
    refuse('--client-fix', `fixes kafkajs bugs only, and --client names ${clients.filter((c) => c.name !== 'kafkajs').map((c) => c.name).join(', ')} (drop --client-fix, or run kafkajs alone)`);
  }
  if (given(command, 'nemesisInterval') && (o['nemesis'] as string[]).length === 0 && o['workload'] !== 'endtxn-race') {
    refuse('--nemesis-interval', 'sets how often faults come, and no --nemesis was given (add --nemesis partition,kill,pause or drop it)');
  }
  const cluster = targetSettingsFrom(command, name);
  return {
    ...(cluster ? { cluster } : {}),
    seed: (o['seed'] as number | undefined) ?? 1,
    target: o['target'],
    timeLimitSeconds: o['timeLimit'],
    nemesis: o['nemesis'],
    mutate: o['mutate'] ?? null,
    kafkaVersion: o['kafkaVersion'],
    txnVersion: Number(o['txnVersion']) as 1 | 2,
    rateHz: o['rate'],
    workers: o['workers'],
    nemesisIntervalSeconds: o['nemesisInterval'],
    out: o['out'],
    clientFixes: o['clientFix'],
    workload: o['workload'],
    ...(isDefaultClients(clients) ? {} : { clients }),
    // Absent means auto, so that settings without the flag stay as they were (repro lines, campaign.json).
    ...(o['forensics'] !== 'auto' ? { forensics: o['forensics'] } : {}),
  };
}

export function define(): Command {
  const command = addRunOptions(newCommand('run')
    .description('run a seeded workload against the model and/or a real cluster, check it, write the report'));
  return act(command, async () => {
    const { runCommand } = await import('./run-action.ts');
    return runCommand(settingsFrom(command, 'run'));
  });
}

/** The run settings `argv` gives (what `run` would do with them), or a usage error. For tests and tools. */
export function parseRunFlags(name: string, argv: readonly string[]): RunSettings {
  const command = addRunOptions(newCommand(name));
  parseOnly(command, argv);
  return settingsFrom(command, name);
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);
