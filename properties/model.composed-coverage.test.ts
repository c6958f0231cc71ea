// Coverage of the composed system: the transitions of every machine that the machines take when they run
// together, in random programs against the simulated cluster (both transaction versions, both clients,
// messages delivered at once and late) and in exhaustive exploration of the small configurations. Each
// machine must reach 90 % of its transitions this way; every transition not reached is listed with the
// reason (properties/model/unreachable.ts), and nothing listed there is reached. The same for the routing
// rules the brokers apply outside the machines (model/broker-rules.ts). Prints the figures.
import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import type { AnyStateMachine } from 'xstate';
import { BROKER_RULES, type BrokerRule, type ClientModel, type Delivery, type StepObserver, type TxnVersion } from '../model/index.ts';
import { smallConfig } from '../harness/explore/config.ts';
import { explore } from '../harness/explore/search.ts';
import { type Coverage, declared, emptyCoverage, percent, recordStep } from './model/coverage.ts';
import { EXPLORERS } from './model/explorers.ts';
import { programArb, startRun } from './model/program.ts';
import { SCENARIOS } from './model/scenarios.ts';
import { UNREACHABLE, UNREACHED_RULES } from './model/unreachable.ts';

const PROGRAMS = 40;
const LATE: Delivery = { kind: 'seeded', seed: 5, lateP: 0.3, maxDelayTicks: 4, requestTimeoutTicks: 2 };

describe('composed coverage', () => {
  it('reaches 90 % of every machine\'s transitions, and says why for each one it does not', () => {
    const machines = new Map(EXPLORERS.map((e) => [e.name, { machine: e.machine as AnyStateMachine, cov: emptyCoverage(), fromRuns: emptyCoverage(), fromExplore: emptyCoverage() }]));
    const observer = (part: 'fromRuns' | 'fromExplore'): StepObserver => (s) => {
      const m = machines.get(s.machine);
      if (m) recordStep(m[part], m.machine, s.before as never, s.event, s.after as never);
    };
    const rules = new Set<BrokerRule>();
    const onRule = (r: BrokerRule) => rules.add(r);
    const t0 = performance.now();
    // [cluster TV, client, delivery, transactional.id expiry in ticks]
    const runs: Array<[TxnVersion, ClientModel, Delivery | undefined, number | undefined]> = [
      [1, 'kafkajs', undefined, undefined], [1, 'java', undefined, undefined], [2, 'java', undefined, undefined], [2, 'kafkajs', undefined, undefined],
      [1, 'java', LATE, undefined], [2, 'java', LATE, undefined], [1, 'kafkajs', LATE, undefined], [2, 'java', undefined, 150], [1, 'java', undefined, 150],
    ];
    for (const [txnVersion, client, delivery, expiry] of runs) {
      for (const p of fc.sample(programArb, { numRuns: PROGRAMS, seed: 17 })) {
        const { step } = startRun(txnVersion, { name: 'coverage', onStep: observer('fromRuns'), onRule },
          { client, ...(delivery ? { delivery } : {}), ...(expiry ? { transactionalIdExpirationTicks: expiry } : {}) });
        for (const c of p.cmds) step(c);
      }
    }
    for (const sc of SCENARIOS) {
      const { step } = startRun(sc.txnVersion, { name: 'coverage', onStep: observer('fromRuns'), onRule },
        { client: sc.client, ...(sc.delivery ? { delivery: sc.delivery } : {}), ...(sc.expiry ? { transactionalIdExpirationTicks: sc.expiry } : {}) });
      for (const c of sc.cmds) step(c);
    }
    const tRuns = performance.now() - t0;
    for (const tv of [1, 2] as const) {
      for (const [producers, faults, bound] of [[1, { delays: 1, timeouts: 1, failovers: 1, expiries: 1 }, 14], [2, { delays: 1, timeouts: 1 }, 9]] as const) {
        const c = smallConfig(tv, 'java', faults);
        explore({ ...c, producers: c.producers.slice(0, producers) }, { bound, onStep: observer('fromExplore'), onRule });
        const k = smallConfig(tv, 'kafkajs', faults);
        explore({ ...k, producers: k.producers.slice(0, producers) }, { bound: bound - 2, onStep: observer('fromExplore'), onRule });
      }
    }
    const report = [`composed runs: ${runs.length} settings × ${PROGRAMS} programs (${Math.round(tRuns)} ms), explorations (${Math.round(performance.now() - t0 - tRuns)} ms)`];
    const unexplained: string[] = [];
    const short: string[] = [];
    for (const [name, m] of machines) {
      for (const part of [m.fromRuns, m.fromExplore]) part.transitions.forEach((t) => m.cov.transitions.add(t));
      const all: Coverage = declared(m.machine);
      const taken = [...all.transitions].filter((t) => m.cov.transitions.has(t)).length;
      report.push(`${name}: transitions ${percent(taken, all.transitions.size)} [runs: ${m.fromRuns.transitions.size}, exploration: ${m.fromExplore.transitions.size}]`);
      for (const t of [...all.transitions].filter((x) => !m.cov.transitions.has(x))) {
        report.push(`  not reached: ${t}: ${UNREACHABLE[t] ?? 'NO REASON GIVEN'}`);
        if (UNREACHABLE[t] === undefined) unexplained.push(t);
      }
      if (taken / all.transitions.size < 0.9) short.push(`${name} ${percent(taken, all.transitions.size)}`);
    }
    const allRules = Object.keys(BROKER_RULES) as BrokerRule[];
    report.push(`broker routing rules (model/broker-rules.ts): ${percent(rules.size, allRules.length)}`);
    for (const r of allRules.filter((x) => !rules.has(x))) {
      report.push(`  not applied: ${r}: ${UNREACHED_RULES[r] ?? 'NO REASON GIVEN'}`);
      if (UNREACHED_RULES[r] === undefined) unexplained.push(r);
    }
    const stale = [...Object.keys(UNREACHABLE).filter((t) => [...machines.values()].some((m) => m.cov.transitions.has(t))),
      ...Object.keys(UNREACHED_RULES).filter((r) => rules.has(r as BrokerRule))];
    console.log(report.join('\n'));
    expect(stale, 'transitions listed as unreachable that the runs took').toEqual([]);
    expect(short, 'machines below 90 % composed coverage').toEqual([]);
    expect(unexplained, 'transitions not reached and not explained in properties/model/unreachable.ts').toEqual([]);
  });
});
