// Exploration figures: the small configuration (2 producers, one transactional id, 2 partitions, one request
// on the wire) explored to the bound where TV1's counterexample (KAFKA-17754) appears, the same bound under
// TV2 (clean), the one-producer configuration, and every broken model. Prints states, depth, time, states/s
// of wall time and per CPU second (the one-core rate whatever else runs).
//   nice -n 10 npx tsx scripts/bench-explore.ts [bound=25] [--quick]
import os from 'node:os';
import { type FaultBudget, smallConfig } from '../harness/explore/config.ts';
import { type ExploreResult, explore } from '../harness/explore/search.ts';
import type { ModelVariant } from '../model/index.ts';
import * as variants from '../properties/model/variants.ts';

const bound = Number(process.argv[2] ?? 25);
const quick = process.argv.includes('--quick');
const cfg = (tv: 1 | 2, producers: 1 | 2, faults: Partial<FaultBudget> = {}) => {
  const c = smallConfig(tv, 'java', faults);
  return { ...c, producers: c.producers.slice(0, producers) };
};
const line = (label: string, r: ExploreResult) => console.log(
  `${label.padEnd(44)} ${r.counterexample ? `VIOLATION at depth ${r.counterexample.actions.length}` : `clean to depth ${r.depth}${r.exhausted ? ' (whole space)' : ''}`}`
  + ` · ${r.states.toLocaleString('en-US')} states, ${r.transitions.toLocaleString('en-US')} transitions · ${(r.ms / 1000).toFixed(1)} s`
  + ` · ${r.statesPerSecond.toLocaleString('en-US')} states/s, ${r.statesPerCpuSecond.toLocaleString('en-US')} per CPU s`
  + ` (${Math.round(r.transitions / Math.max(r.cpuMs, 1) * 1000).toLocaleString('en-US')} generated/CPU s)`);

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
explore(cfg(1, 1), { bound: 20 }); // warm-up: JIT
line('TV1, 1 producer, 1 delay (bound 30)', explore(cfg(1, 1), { bound: 30 }));
line('TV2, 1 producer, 1 delay (bound 30)', explore(cfg(2, 1), { bound: 30 }));
line('TV2, 1 producer, 1 delay, 1 failover (bound 60)', explore(cfg(2, 1, { failovers: 1 }), { bound: 60 }));
if (!quick) {
  line(`TV1, 2 producers, 1 delay (bound ${bound})`, explore(cfg(1, 2), { bound }));
  line(`TV2, 2 producers, 1 delay (bound ${bound})`, explore(cfg(2, 2), { bound }));
}
const broken = Object.values(variants).filter((v): v is ModelVariant => typeof v === 'object' && v !== null && 'name' in v);
for (const v of broken) {
  const found = ([[1, 1, { delays: 0, failovers: 1 }], [2, 1, { delays: 0, failovers: 1 }], [2, 1, { delays: 1 }], [2, 2, { delays: 0 }], [1, 2, { delays: 0 }]] as const)
    .map(([tv, p, f]) => [`TV${tv}, ${p} producer(s), ${JSON.stringify(f)}`, explore(cfg(tv, p, f), { bound: 24, variant: v, maxStates: 300_000 })] as const)
    .find(([, r]) => r.counterexample !== undefined);
  console.log(`mutant ${v.name.padEnd(36)} ${found ? `caught: ${found[1].counterexample!.violation.slice(0, 90)} (${found[0]}, depth ${found[1].counterexample!.actions.length}, ${found[1].states.toLocaleString('en-US')} states)` : 'NOT caught within bound 24'}`);
}
