// State and transition coverage of the model's machines. A transition is one candidate of a state node's
// `on` list (state node, event type, index); it is covered when a step took it. Steps come from two
// sources: the enumerated graphs of xstate/graph (`getShortestPaths`, `getAdjacencyMap`, over the event
// menus in explorers.ts) and the generated paths of random simulation runs (observed with onStep).
import type { AnyStateMachine } from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';

type AnyNode = AnyStateMachine['root'];
interface Snap { value: unknown; context: unknown; _nodes: AnyNode[] }
type GuardImpl = (args: { context: unknown; event: unknown }, params: unknown) => boolean;

export interface Coverage {
  states: Set<string>;
  transitions: Set<string>;
}

export const emptyCoverage = (): Coverage => ({ states: new Set(), transitions: new Set() });

function allNodes(node: AnyNode): AnyNode[] {
  return [node, ...Object.values(node.states as Record<string, AnyNode>).flatMap(allNodes)];
}

/** Every state node (the root excluded) and every transition candidate the machine declares. */
export function declared(machine: AnyStateMachine): Coverage {
  const states = new Set<string>();
  const transitions = new Set<string>();
  for (const node of allNodes(machine.root)) {
    if (node !== machine.root) states.add(node.id);
    for (const [ev, cands] of node.transitions) cands.forEach((_: unknown, i: number) => transitions.add(`${node.id}|${ev}|${i}`));
  }
  return { states, transitions };
}

/** The candidate xstate selects for `event` in `snapshot`: the first whose guard holds, innermost node first. */
export function takenTransition(machine: AnyStateMachine, snapshot: Snap, event: { type: string }): string | null {
  const guards = machine.implementations.guards as Record<string, GuardImpl>;
  const holds = (g: unknown): boolean => {
    if (g === undefined) return true;
    const { type, params } = typeof g === 'string' ? { type: g, params: undefined } : (g as { type: string; params?: unknown });
    return guards[type]!({ context: snapshot.context, event }, params);
  };
  for (const leaf of snapshot._nodes.filter((n) => n.type === 'atomic' || n.type === 'final')) {
    for (let n: AnyNode | undefined = leaf; n !== undefined; n = n.parent) {
      const cands = n.transitions.get(event.type);
      if (cands === undefined) continue;
      const i = cands.findIndex((c: { guard?: unknown }) => holds(c.guard));
      if (i >= 0) return `${n.id}|${event.type}|${i}`;
    }
  }
  return null;
}

export function recordStep(cov: Coverage, machine: AnyStateMachine, before: Snap, event: { type: string }, after: Snap): void {
  const t = takenTransition(machine, before, event);
  if (t !== null) cov.transitions.add(t);
  for (const n of after._nodes) if (n !== machine.root) cov.states.add(n.id);
}

export interface Explorer<M extends AnyStateMachine = AnyStateMachine> {
  name: string;
  machine: M;
  inputs: unknown[];
  events: (snapshot: Snap) => Array<{ type: string }>;
  /** An abstraction of the snapshot that keeps the explored graph finite. */
  serialize: (snapshot: Snap) => string;
}

/** Explore with xstate/graph: every (abstract state, event) edge of the adjacency map is a step. */
export function explore(e: Explorer, cov: Coverage): { paths: number; states: number } {
  let paths = 0;
  let states = 0;
  for (const input of e.inputs) {
    const options = { input, events: e.events, serializeState: (s: unknown) => e.serialize(s as Snap), limit: 50_000 };
    const adjacency = getAdjacencyMap(e.machine, options as never) as unknown as Record<string, { state: Snap; transitions: Record<string, { event: { type: string }; state: Snap }> }>;
    for (const { state, transitions } of Object.values(adjacency)) {
      for (const n of state._nodes) if (n !== e.machine.root) cov.states.add(n.id);
      for (const { event, state: next } of Object.values(transitions)) recordStep(cov, e.machine, state, event, next);
    }
    const shortest = getShortestPaths(e.machine, options as never);
    paths += shortest.length;
    states += Object.keys(adjacency).length;
  }
  return { paths, states };
}

export function percent(part: number, whole: number): string {
  return `${part}/${whole} (${whole === 0 ? 100 : Math.floor((part / whole) * 1000) / 10}%)`;
}
