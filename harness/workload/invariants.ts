// What every program must satisfy, as a checker that lists violations. The generator's properties
// assert it returns nothing; `repro` can run it on a program.json that a person edited by hand.
import type { Key } from '../../jepsen-style/history.ts';
import { PROGRAM_VERSION, type NemesisEntry, type Program, type ProgramOp, type Worker } from './program.ts';

const ALLOWED_OPS: Record<Worker['role'], ReadonlyArray<ProgramOp['f']>> = {
  idempotent: ['send', 'poll', 'assign', 'subscribe', 'crash'],
  transactional: ['txn', 'poll', 'assign', 'subscribe', 'crash'],
  copier: ['copy', 'assign', 'crash'],
};

function keyspaceProblems(p: Program): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  p.keys.forEach((k, i) => {
    const topic = p.topics.find((t) => t.name === k.topic);
    if (k.key !== i) out.push(`keys[${i}] has key ${k.key}: keys must be 0, 1, 2, ... in order`);
    if (!topic) out.push(`key ${k.key} names unknown topic ${k.topic}`);
    else if (!Number.isInteger(k.partition) || k.partition < 0 || k.partition >= topic.partitions) out.push(`key ${k.key}: partition ${k.partition} outside ${k.topic}`);
    const tp = `${k.topic}/${k.partition}`;
    if (seen.has(tp)) out.push(`two keys stand for ${tp}`);
    seen.add(tp);
  });
  const partitions = p.topics.reduce((n, t) => n + t.partitions, 0);
  if (seen.size !== partitions) out.push(`${partitions} topic-partitions but ${seen.size} keys`);
  return out;
}

function workerProblems(p: Program): string[] {
  const out: string[] = [];
  const outputKeys = new Set(p.keys.filter((k) => p.topics.find((t) => t.name === k.topic)?.use === 'copier-output').map((k) => k.key));
  const values = new Map<Key, Set<number>>();
  const outputOwner = new Map<Key, string>();
  const isKey = (k: Key) => Number.isInteger(k) && k >= 0 && k < p.keys.length;
  p.workers.forEach((w, i) => {
    const at = `worker ${w.id}`;
    if (w.id !== i) out.push(`workers[${i}] has id ${w.id}: ids must be 0, 1, 2, ... in order`);
    if ((w.role === 'idempotent') !== (w.transactionalId === null)) out.push(`${at} (${w.role}) has transactionalId ${w.transactionalId}`);
    if ((w.role === 'copier') !== (w.copier !== null)) out.push(`${at} (${w.role}) copier spec mismatch`);
    for (const [input, output] of w.copier?.keyMap ?? []) {
      if (outputKeys.has(input) || !isKey(input)) out.push(`${at} copies from ${input}, which is not a data key`);
      if (!outputKeys.has(output)) out.push(`${at} copies to ${output}, which is not in a copier output topic`);
      const owner = outputOwner.get(output);
      if (owner !== undefined && owner !== w.transactionalId) out.push(`${at} shares output key ${output} with ${owner}`);
      outputOwner.set(output, w.transactionalId ?? '');
    }
    if (w.startAfter) {
      const old = p.workers[w.startAfter.worker];
      if (!old || old.transactionalId !== w.transactionalId || w.startAfter.worker >= i) out.push(`${at} restarts a worker that is not an earlier one with its transactional id`);
      else if (w.startAfter.completedOps >= old.ops.length) out.push(`${at} starts after op ${w.startAfter.completedOps}, beyond the ${old.ops.length} ops of worker ${old.id}`);
    }
    if (w.ops.length === 0) out.push(`${at} has no ops`);
    w.ops.forEach((op, j) => {
      const here = `${at} op ${j} (${op.f})`;
      if (!ALLOWED_OPS[w.role].includes(op.f)) out.push(`${here} is not allowed for a ${w.role} worker`);
      if (op.f === 'assign' || op.f === 'subscribe') {
        if (op.value.length === 0 || !op.value.every(isKey)) out.push(`${here} names no keys or unknown keys`);
      }
      if (op.f === 'send' || op.f === 'txn') {
        if (op.value.length === 0 || op.value.length > p.options.maxMops) out.push(`${here} has ${op.value.length} mops`);
        for (const m of op.value) {
          if (m[0] !== 'send') continue;
          const [, k, v] = m;
          if (!isKey(k)) out.push(`${here} sends to unknown key ${k}`);
          if (outputKeys.has(k)) out.push(`${here} sends to copier output key ${k}`);
          const vs = values.get(k) ?? new Set<number>();
          if (vs.has(v)) out.push(`${here} sends value ${v} to key ${k} twice in the program`);
          values.set(k, vs.add(v));
        }
      }
    });
  });
  return out;
}

const STOP_OF: Record<string, string> = { 'start-partition': 'stop-partition', kill: 'restart', pause: 'resume', 'start-leader-move': 'stop-leader-move' };
const familyKey = (e: NemesisEntry) => (e.op.f.endsWith('partition') ? 'partition' : e.op.f.endsWith('leader-move') ? 'leader-move'
  : ['kill', 'restart'].includes(e.op.f) ? 'kill' : 'pause');

function nemesisProblems(p: Program): string[] {
  const out: string[] = [];
  const limit = p.phases.timeLimitMs;
  const open = new Map<string, NemesisEntry>();
  let last = 0;
  for (const e of p.nemesis.schedule) {
    if (e.atMs < last) out.push(`nemesis entry at ${e.atMs} ms comes after one at ${last} ms`);
    if (e.atMs < 0 || e.atMs > limit) out.push(`nemesis ${e.op.f} at ${e.atMs} ms is outside the main phase [0, ${limit}]`);
    last = Math.max(last, e.atMs);
    const fam = familyKey(e);
    const started = open.get(fam);
    if (e.op.f in STOP_OF) {
      if (started) out.push(`nemesis ${e.op.f} at ${e.atMs} ms while ${started.op.f} from ${started.atMs} ms is still on`);
      open.set(fam, e);
      if (e.op.f === 'start-partition') out.push(...groupingProblems(p, e));
    } else if (!started || STOP_OF[started.op.f] !== e.op.f) {
      out.push(`nemesis ${e.op.f} at ${e.atMs} ms stops nothing`);
    } else {
      if (e.op.f !== 'stop-partition' && JSON.stringify(e.op.value) !== JSON.stringify(started.op.value)) {
        out.push(`nemesis ${e.op.f} at ${e.atMs} ms targets other nodes than the ${started.op.f} at ${started.atMs} ms`);
      }
      open.delete(fam);
    }
  }
  for (const e of open.values()) out.push(`nemesis ${e.op.f} at ${e.atMs} ms is never stopped before the final heal`);
  for (const e of p.nemesis.finalHeal) if (e.atMs < last || e.atMs !== limit) out.push(`final heal ${e.op.f} at ${e.atMs} ms is not at the end of the main phase (${limit} ms)`);
  return out;
}

function groupingProblems(p: Program, e: NemesisEntry): string[] {
  if (e.op.f !== 'start-partition') return [];
  const g = e.op.value;
  const n = p.nodes.length;
  const visible = (node: number) => p.nodes.filter((m) => !(g.grudge[String(node)] ?? []).includes(m));
  if (g.kind === 'client-isolation') return g.nodes.length > 0 && g.nodes.length < n ? [] : [`client isolation at ${e.atMs} ms cuts ${g.nodes.length} of ${n} nodes`];
  const views = p.nodes.map((node) => visible(node).join(','));
  const problems: string[] = [];
  if (p.nodes.some((node) => !visible(node).includes(node))) problems.push(`partition at ${e.atMs} ms makes a node drop its own traffic`);
  if (g.kind === 'majorities-ring') {
    if (p.nodes.some((node) => visible(node).length <= n / 2)) problems.push(`majorities ring at ${e.atMs} ms leaves a node without a majority`);
    if (n >= 3 && new Set(views).size !== n) problems.push(`majorities ring at ${e.atMs} ms gives two nodes the same majority`);
  } else if (new Set(views).size < 2) problems.push(`${g.kind} partition at ${e.atMs} ms separates nothing`);
  return problems;
}

/** Every violated invariant, as a sentence naming where; empty for a well-formed program. */
export function programProblems(p: Program): string[] {
  const out: string[] = [];
  if (p.version !== PROGRAM_VERSION) out.push(`version ${String(p.version)} is not ${PROGRAM_VERSION}`);
  const dataTopics = p.topics.filter((t) => t.use === 'data');
  if (dataTopics.length < 2 || p.topics.some((t) => t.partitions < 2)) out.push('a program needs at least 2 data topics of at least 2 partitions');
  return [...out, ...keyspaceProblems(p), ...workerProblems(p), ...nemesisProblems(p)];
}
