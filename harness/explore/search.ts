// Bounded exhaustive exploration, breadth first: every state reachable in at most `bound` actions, each
// stored once (by its key), each checked against the invariants. Breadth first makes the first violation a
// shortest one; its actions are rebuilt from the parents. Pure computation: progress goes to a callback.
import type { ModelVariant } from '../../model/index.ts';
import { type Action, actions, apply } from './actions.ts';
import { Checker } from './check.ts';
import type { ExploreConfig } from './config.ts';
import { Machines } from './machines.ts';
import { FingerprintSet, IntList, packAction, unpackAction } from './seen.ts';
import { World } from './world.ts';

export interface ExploreProgress { depth: number; states: number; frontier: number; ms: number; statesPerSecond: number }

export interface Counterexample { actions: Action[]; violation: string }

export interface ExploreResult {
  bound: number;
  /** Distinct states reached (the initial one included) and transitions taken. */
  states: number;
  transitions: number;
  /** The deepest level explored; every state up to it was (unless `stopped`). */
  depth: number;
  /** No state at the last depth had a successor: the whole reachable space fits in the bound. */
  exhausted: boolean;
  ms: number;
  statesPerSecond: number;
  /** CPU time of this process while exploring (user + system), and states per CPU second: the one-core rate
   *  whatever else the machine runs. */
  cpuMs: number;
  statesPerCpuSecond: number;
  counterexample?: Counterexample;
  /** Stopped early by `maxStates` (then the result says nothing of the states beyond). */
  stopped: boolean;
  machine: { snapshots: number; steps: number; hits: number };
}

export interface ExploreOptions {
  bound: number;
  variant?: ModelVariant;
  /** Sees each (snapshot, event) step the first time the exploration computes it (coverage). */
  onStep?: ModelVariant['onStep'];
  /** Sees each routing rule of broker-rules.ts as it is applied (coverage). */
  onRule?: ModelVariant['onRule'];
  maxStates?: number;
  onProgress?: (p: ExploreProgress) => void;
  progressEvery?: number;
}

export function explore(config: ExploreConfig, options: ExploreOptions): ExploreResult {
  const machines = new Machines(config, options.variant, options.onStep, options.onRule);
  const checker = new Checker(options.variant);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const seen = new FingerprintSet();
  const parent = new IntList();
  const via = new IntList();
  parent.push(-1);
  via.push(0);
  const initial = new World(machines, config);
  seen.add(initial.fingerprint());
  let frontier: World[] = [initial];
  let frontierIds: number[] = [0];
  let transitions = 0, depth = 0, stopped = false;
  const every = options.progressEvery ?? 100_000;
  let nextReport = every;
  const result = (extra: Partial<ExploreResult>): ExploreResult => {
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return {
      bound: options.bound, states: parent.length, transitions, depth, exhausted: frontier.length === 0, ms,
      statesPerSecond: Math.round(parent.length / Math.max(ms, 1) * 1000), cpuMs,
      statesPerCpuSecond: Math.round(parent.length / Math.max(cpuMs, 1) * 1000), stopped, machine: machines.stats(), ...extra,
    };
  };
  const trace = (i: number): Action[] => {
    const out: Action[] = [];
    for (let j = i; parent.get(j) >= 0; j = parent.get(j)) out.push(unpackAction(via.get(j), machines.txnIds));
    return out.reverse();
  };

  const initialViolation = checker.violation(initial);
  if (initialViolation !== null) return result({ counterexample: { actions: [], violation: initialViolation } });
  while (frontier.length > 0 && depth < options.bound) {
    const next: World[] = [];
    const nextIds: number[] = [];
    for (let f = 0; f < frontier.length; f++) {
      const w = frontier[f]!, i = frontierIds[f]!;
      for (const a of actions(w)) {
        const child = apply(w, a);
        transitions++;
        if (!seen.add(child.fingerprint())) continue;
        const j = parent.length;
        parent.push(i);
        via.push(packAction(a, machines.txnIds));
        const violation = checker.violation(child);
        if (violation !== null) { depth++; return result({ counterexample: { actions: trace(j), violation } }); }
        next.push(child);
        nextIds.push(j);
        if (parent.length >= nextReport) {
          nextReport += every;
          const ms = performance.now() - t0;
          options.onProgress?.({ depth: depth + 1, states: parent.length, frontier: next.length, ms, statesPerSecond: Math.round(parent.length / ms * 1000) });
        }
        if (options.maxStates !== undefined && parent.length >= options.maxStates) { stopped = true; depth++; return result({}); }
      }
    }
    frontier = next;
    frontierIds = nextIds;
    depth++;
  }
  return result({});
}

/** Replays a trace from the initial world (for the counterexample's history and for tests). */
export function replayTrace(config: ExploreConfig, trace: readonly Action[], variant?: ModelVariant): World[] {
  const worlds = [new World(new Machines(config, variant), config)];
  for (const a of trace) worlds.push(apply(worlds[worlds.length - 1]!, a));
  return worlds;
}
