// The `kafka-eos` program: the root command (--version, --help, did-you-mean on a mistyped command) and
// one subcommand per module. Definitions are light; each command loads what it acts with when it acts.
import type { Command } from 'commander';
import { newCommand } from './command.ts';
import { versionLine } from '../meta/version.ts';
import * as run from './run.ts';
import * as campaign from './campaign.ts';
import * as merge from './merge.ts';
import * as check from './check.ts';
import * as report from './report.ts';
import * as repro from './repro.ts';
import * as shrink from './shrink.ts';
import * as cluster from './cluster.ts';

export function buildProgram(): Command {
  const program = newCommand('kafka-eos')
    .description("checks Apache Kafka's exactly-once promise: a seeded workload against an XState model and a real cluster under faults, a Jepsen-style checker")
    .version(versionLine(), '-V, --version', 'print the harness version and commit')
    .addHelpText('after', '\nExit codes: 0 valid, 1 anomalies or model divergence, 2 bad usage, 3 the harness could not do its job, 4 inconclusive.\nEach command has its own --help.');
  for (const module of [run, campaign, merge, check, report, repro, shrink, cluster]) program.addCommand(module.define());
  return program;
}
