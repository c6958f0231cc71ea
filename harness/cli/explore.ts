// `kafka-eos explore [--txn-version 1|2] [--client java|kafkajs|franz-go] [--bound N] [--out DIR] ...`: every
// interleaving of a small configuration (harness/explore) up to N actions, checked against the model's
// invariants. Exit 1 with the shortest counterexample written under DIR; 0 when clean within the bound;
// 4 when --max-states stopped it first (it could not decide); 2 bad usage. Progress goes to stderr.
import { Option, type Command } from 'commander';
import { act, invoke, newCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { choice, integer } from './options.ts';

const CLIENTS = ['java', 'kafkajs', 'franz-go'] as const;
const MUTANTS = ['marker-epoch-unchecked', 'complete-before-markers', 'endtxn-epoch-unchecked', 'no-pending-check',
  'no-dedup-cache', 'marker-to-one-partition', 'no-epoch-bump-on-init-producer-id', 'lso-equals-hw', 'offsets-committed-on-abort',
  'no-producer-epoch-check'] as const;

interface Flags {
  txnVersion: 1 | 2; client: (typeof CLIENTS)[number]; bound: number; producers: number; delays: number; timeouts: number;
  failovers: number; expiries: number; maxStates?: number; mutant?: (typeof MUTANTS)[number]; out?: string;
}

export function define(): Command {
  const count = (max: number) => integer({ min: 0, max });
  const command = newCommand('explore')
    .description('explore every interleaving of a small configuration up to a bound; exit 1 with the shortest counterexample')
    .addOption(new Option('--txn-version <1|2>', "the cluster's transaction version").argParser((v) => Number(choice(['1', '2'])(v)) as 1 | 2).default(1))
    .addOption(new Option('--client <name>', 'the modelled client (franz-go is modelled as the Java client)').argParser(choice(CLIENTS)).default('java'))
    .addOption(new Option('--bound <n>', 'actions per path').argParser(integer({ min: 1, max: 200 })).default(25))
    .addOption(new Option('--producers <n>', 'instances of the transactional id (the second fences the first)').argParser(integer({ min: 1, max: 2 })).default(2))
    .addOption(new Option('--delays <n>', 'requests a path may leave on the wire (they land later)').argParser(count(3)).default(1))
    .addOption(new Option('--timeouts <n>', 'answers a client may stop waiting for').argParser(count(3)).default(0))
    .addOption(new Option('--failovers <n>', 'coordinator failovers per path').argParser(count(3)).default(0))
    .addOption(new Option('--expiries <n>', 'transactions the coordinator may abort on timeout').argParser(count(3)).default(0))
    .addOption(new Option('--max-states <n>', 'stop (exit 4) after this many states').argParser(integer({ min: 1, max: 1e9 })))
    .addOption(new Option('--mutant <name>', 'explore a deliberately broken model instead').argParser(choice(MUTANTS)))
    .addOption(new Option('--out <dir>', 'where a counterexample is written; must not exist or be empty (default: explore-<time>)'));
  return act(command, async (flags: Flags) => {
    const { claimOutDir, timestamp } = await import('./out-dir.ts');
    const { smallConfig } = await import('../explore/config.ts');
    const { runExplore } = await import('../explore/run-explore.ts');
    const variants = await import('../../properties/model/variants.ts');
    const variant = flags.mutant === undefined ? undefined : Object.values(variants).find((v) => v.name === flags.mutant);
    const out = claimOutDir('explore', flags.out, () => `explore-${timestamp()}`);
    const config = smallConfig(flags.txnVersion, flags.client === 'kafkajs' ? 'kafkajs' : 'java',
      { delays: flags.delays, timeouts: flags.timeouts, failovers: flags.failovers, expiries: flags.expiries });
    const cfg = { ...config, producers: config.producers.slice(0, flags.producers) };
    process.stderr.write(`exploring TV${flags.txnVersion}, ${flags.client}${variant ? `, mutant ${variant.name}` : ''}: ${cfg.producers.length} producer(s), ` +
      `${cfg.keys} partitions, bound ${flags.bound}, faults ${JSON.stringify(cfg.faults)}\n`);
    const { result, checker } = await runExplore({
      config: cfg, bound: flags.bound, outDir: out, ...(variant ? { variant } : {}), ...(flags.maxStates ? { maxStates: flags.maxStates } : {}),
      onProgress: (p) => process.stderr.write(`  depth ${p.depth}: ${p.states.toLocaleString('en-US')} states, ${p.statesPerSecond.toLocaleString('en-US')} states/s\n`),
    });
    const figures = `${result.states.toLocaleString('en-US')} states (${result.transitions.toLocaleString('en-US')} transitions) to depth ${result.depth} in ` +
      `${(result.ms / 1000).toFixed(1)} s: ${result.statesPerSecond.toLocaleString('en-US')} states/s, ${result.statesPerCpuSecond.toLocaleString('en-US')} per CPU second`;
    if (result.counterexample) {
      console.log(`VIOLATION after ${result.counterexample.actions.length} actions: ${result.counterexample.violation}`);
      console.log(`  ${figures}`);
      console.log(`  the checker on its history: ${checker!.valid ? 'valid (the violation is in the log, not in what clients saw)' : `INVALID (${checker!.anomalies.join(', ')})`}`);
      console.log(`  counterexample: ${out}/trace.txt, history: ${out}/model/history.jsonl (kafka-eos report ${out})`);
      return EXIT.invalid;
    }
    if (result.stopped) {
      console.log(`STOPPED at --max-states before the bound: ${figures}; nothing found so far, nothing said about the rest`);
      return EXIT.inconclusive;
    }
    console.log(`CLEAN within the bound: ${figures}${result.exhausted ? ' (the whole reachable space fits in the bound)' : ''}`);
    return EXIT.valid;
  });
}

export const main = (argv: string[]): Promise<number> => invoke(define(), argv);
