// Model throughput: machine transitions per second (of wall time, and per CPU second) while random programs of client calls and faults run
// against the simulated cluster (the same programs the properties use, from a fixed seed): messages delivered
// at once with the kafkajs client (the harness's model run), then the Java client with a third of the
// messages late (seeded delivery: reordering, timeouts, late duplicates).
//   npx tsx scripts/bench-model.ts [programs=300] [seed=42]
import { fc } from '@fast-check/vitest';
import { programArb, type RunOptions, startRun } from '../properties/model/program.ts';

const programs = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? 42);
if (!Number.isInteger(programs) || programs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npx tsx scripts/bench-model.ts [programs ≥ 1] [integer seed]');
  process.exit(2);
}
const sample = fc.sample(programArb, { numRuns: programs, seed });

function run(opts: RunOptions): { steps: number; commands: number; ms: number; cpuMs: number } {
  let steps = 0;
  let commands = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const p of sample) {
    const { monitor, step } = startRun(p.txnVersion, undefined, opts);
    for (const c of p.cmds) step(c);
    steps += monitor.sim.steps;
    commands += p.cmds.length;
  }
  const cpu = process.cpuUsage(cpu0);
  return { steps, commands, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const SETTINGS: Array<[string, RunOptions]> = [
  ['kafkajs, delivered at once', {}],
  ['Java client, 30 % of messages late (seeded)', { client: 'java', delivery: { kind: 'seeded', seed: 5, lateP: 0.3, maxDelayTicks: 4, requestTimeoutTicks: 2 } }],
];
for (const [name, opts] of SETTINGS) {
  run(opts); // warm-up: JIT and xstate's caches
  const rounds = [run(opts), run(opts), run(opts)];
  const best = rounds.reduce((a, b) => (a.ms < b.ms ? a : b));
  const stepsPerSec = Math.round((best.steps / best.ms) * 1000);
  console.log(`${name}: programs ${programs} (seed ${seed}), ${best.commands} commands, ${best.steps} machine steps`);
  // Per CPU second too: the one-core rate whatever else runs on the machine (wall time counts waiting for a core).
  const perCpu = Math.round((best.steps / Math.max(best.cpuMs, 1)) * 1000);
  console.log(`  best of 3: ${best.ms.toFixed(0)} ms → ${stepsPerSec.toLocaleString('en-US')} steps/s, ` +
    `${Math.round((best.commands / best.ms) * 1000).toLocaleString('en-US')} client calls/s; ${perCpu.toLocaleString('en-US')} steps per CPU s (goal ≥ 50,000 steps/s)`);
}
