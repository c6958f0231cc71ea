// Coverage of every machine of the model by enumerated paths (xstate/graph) and by generated paths (random
// simulation runs). Prints the figures; fails if any state node is never reached, and lists the transition
// candidates no path takes.
import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { type AnyStateMachine, setup } from 'xstate';
import { type Coverage, declared, emptyCoverage, explore, percent, recordStep } from './model/coverage.ts';
import { EXPLORERS } from './model/explorers.ts';
import { programArb, startRun } from './model/program.ts';

const GENERATED = 60;
const byName = new Map(EXPLORERS.map((e) => [e.name, { explorer: e, cov: emptyCoverage(), enumerated: emptyCoverage(), generated: emptyCoverage() }]));

/** Generated paths: the machine steps of random programs, observed one by one. */
function generatedSteps(): void {
  for (const p of fc.sample(programArb, { numRuns: GENERATED, seed: 11 })) {
    const { step } = startRun(p.txnVersion, {
      name: 'coverage',
      onStep: (s) => {
        const e = byName.get(s.machine);
        if (e === undefined) return;
        recordStep(e.generated, e.explorer.machine, s.before as never, s.event, s.after as never);
      },
    });
    for (const c of p.cmds) step(c);
  }
}

describe('machine coverage', () => {
  it('reaches every state of every machine', () => {
    const report: string[] = [];
    for (const { explorer, enumerated } of byName.values()) {
      const t0 = performance.now();
      const { paths, states } = explore(explorer, enumerated);
      report.push(`${explorer.name}: xstate/graph explored ${states} abstract states, ${paths} shortest paths (${Math.round(performance.now() - t0)} ms)`);
    }
    const t0 = performance.now();
    generatedSteps();
    report.push(`generated paths: ${GENERATED} random programs (${Math.round(performance.now() - t0)} ms)`);
    const missingStates: string[] = [];
    for (const { explorer, cov, enumerated, generated } of byName.values()) {
      for (const part of [enumerated, generated]) {
        part.states.forEach((x) => cov.states.add(x));
        part.transitions.forEach((x) => cov.transitions.add(x));
      }
      const all: Coverage = declared(explorer.machine as AnyStateMachine);
      const states = [...all.states].filter((s) => cov.states.has(s));
      const transitions = [...all.transitions].filter((t) => cov.transitions.has(t));
      report.push(`${explorer.name}: states ${percent(states.length, all.states.size)}, transitions ${percent(transitions.length, all.transitions.size)}` +
        ` [enumerated: ${enumerated.states.size} states, ${enumerated.transitions.size} transitions;` +
        ` generated: ${generated.states.size} states, ${generated.transitions.size} transitions]`);
      const untaken = [...all.transitions].filter((t) => !cov.transitions.has(t));
      if (untaken.length > 0) report.push(`  transitions never taken: ${untaken.join(', ')}`);
      missingStates.push(...[...all.states].filter((s) => !cov.states.has(s)));
    }
    console.log(report.join('\n'));
    expect(missingStates).toEqual([]);
  });
});

describe('the coverage measure can fail', () => {
  it('reports a state and a transition that no path reaches', () => {
    const machine = setup({ types: { events: {} as { type: 'go' } | { type: 'never' } }, guards: { no: () => false } }).createMachine({
      id: 'toy', initial: 'a',
      states: { a: { on: { go: 'b', never: { guard: 'no', target: 'c' } } }, b: {}, c: {} },
    });
    const cov = emptyCoverage();
    explore({ name: 'toy', machine, inputs: [undefined], events: () => [{ type: 'go' }, { type: 'never' }], serialize: (s) => JSON.stringify(s.value) }, cov);
    const all = declared(machine);
    expect([...all.states].filter((x) => !cov.states.has(x))).toEqual(['toy.c']);
    expect([...all.transitions].filter((x) => !cov.transitions.has(x))).toEqual(['toy.a|never|0']);
  });
});
