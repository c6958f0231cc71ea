// The program arbitrary and its seeded sampling. `programArb` composes the workers' op lists and the
// nemesis schedule into one fast-check arbitrary, so that a failing program can later be shrunk with
// fast-check; `generateProgram` draws it from the seed alone, with bias off (fast-check biases its
// first sample heavily towards small values, which would skew keys and fault timings).
import fc from 'fast-check';
import { usageError } from '../cli/exit-codes.ts';
import { buildKeyspace } from './keyspace.ts';
import { finalHeal, nemesisScheduleArb } from './nemesis.arb.ts';
import { MAX_SEED, resolveOptions, type ProgramOptions, type ResolvedOptions } from './options.ts';

export { MAX_SEED };
import { PROGRAM_VERSION, type NodeId, type Program, type Worker } from './program.ts';
import { assignValues } from './values.ts';
import { clientOpsArb, copierOpsArb } from './clientOps.arb.ts';

/** Group shared by idempotent and transactional workers, as Jepsen puts all its consumers in one group. */
export const CLIENT_GROUP = 'kafka-eos-clients';

/** Pacing of the main phase: the target rate is spread over every worker that runs at once. */
export function pacing(o: ResolvedOptions): { rateHz: number; opIntervalMs: number; opsPerWorker: number } {
  const opIntervalMs = Math.round(((o.workers + o.copiers) * 1000 * 1000) / o.rateHz) / 1000;
  const opsPerWorker = o.opsPerWorker ?? Math.max(1, Math.floor(o.timeLimitMs / opIntervalMs));
  return { rateHz: o.rateHz, opIntervalMs, opsPerWorker };
}

function workerShell(id: number, role: Worker['role'], transactionalId: string | null, groupId: string): Omit<Worker, 'ops'> {
  return { id, role, transactionalId, groupId, copier: null, startAfter: null, stopWhenFenced: false };
}

function workersArb(o: ResolvedOptions, n: number): fc.Arbitrary<Worker[]> {
  const ks = buildKeyspace(o);
  const clients = Array.from({ length: o.workers }, (_, id) => {
    const role = id < o.transactionalWorkers ? 'transactional' : 'idempotent';
    const shell = workerShell(id, role, role === 'transactional' ? `txn-w${id}` : null, CLIENT_GROUP);
    return clientOpsArb(o, role, ks.dataKeys, ks.readableKeys, n).map((ops): Worker => ({ ...shell, ops }));
  });
  const copiers = ks.copierKeyMaps.map((keyMap, c) => {
    const shell = { ...workerShell(o.workers + c, 'copier', `copier-${c}`, `copier-${c}`), copier: { keyMap } };
    return copierOpsArb(o, keyMap.map(([input]) => input), n).map((ops): Worker => ({ ...shell, ops }));
  });
  const zombie = o.zombie ? zombieArb(o, ks.copierKeyMaps[0] ?? [], n) : fc.constant([]);
  return fc.tuple(fc.tuple(...clients), fc.tuple(...copiers), zombie).map(([cs, ps, z]) => {
    const all = [...cs, ...ps];
    const [twin] = z;
    if (twin?.startAfter) {
      const old = all[o.workers] as Worker;
      all[o.workers] = { ...old, stopWhenFenced: true };
      // Shrinking may leave the old instance fewer ops than the restart point: restart after its last.
      all.push({ ...twin, startAfter: { ...twin.startAfter, completedOps: Math.min(twin.startAfter.completedOps, old.ops.length - 1) } });
    }
    return all;
  });
}

/**
 * The zombie scenario: a second instance of copier 0, same transactional id and group, that starts
 * once the first instance has completed `completedOps` ops. The first keeps running until fenced.
 * The gate is a small absolute count, not a share of the planned ops: a real cluster under faults
 * completes a small fraction of the ops the pacing plans (tens of copies, not thousands), and a gate at
 * 20-60 % of the plan never opened there, so the scenario never ran against Kafka; under all three
 * fault families a copier completes fewer than ten copies in some runs, hence a gate of 2 to 8.
 */
export const ZOMBIE_GATE = { min: 2, max: 8 } as const;

function zombieArb(o: ResolvedOptions, keyMap: Array<[number, number]>, n: number): fc.Arbitrary<Worker[]> {
  const lo = Math.max(1, Math.min(ZOMBIE_GATE.min, n - 1));
  const hi = Math.max(lo, Math.min(ZOMBIE_GATE.max, n - 1));
  return fc.integer({ min: lo, max: hi }).chain((completedOps) =>
    copierOpsArb(o, keyMap.map(([input]) => input), Math.max(1, n - completedOps)).map((ops): Worker[] => [
      {
        ...workerShell(o.workers + o.copiers, 'copier', 'copier-0', 'copier-0'),
        copier: { keyMap },
        startAfter: { worker: o.workers, completedOps },
        ops,
      },
    ]),
  );
}

/** The whole program as one arbitrary (values assigned, schedule merged). */
export function programArb(seed: number, options: ProgramOptions = {}): fc.Arbitrary<Program> {
  const o = resolveOptions(options);
  const ks = buildKeyspace(o);
  const nodes: NodeId[] = Array.from({ length: o.nodes }, (_, i) => i + 1);
  const p = pacing(o);
  return fc.tuple(workersArb(o, p.opsPerWorker), nemesisScheduleArb(o, nodes)).map(([workers, schedule]) => ({
    version: PROGRAM_VERSION,
    seed,
    options: o,
    mutate: o.mutate,
    txnVersion: o.txnVersion,
    nodes,
    topics: ks.topics,
    keys: ks.keys,
    pacing: { rateHz: p.rateHz, opIntervalMs: p.opIntervalMs },
    phases: { timeLimitMs: o.timeLimitMs, recoveryMs: o.recoveryMs },
    workers: assignValues(workers),
    nemesis: { schedule, finalHeal: finalHeal(o, nodes) },
    finalPolls: {
      readers: o.finalReaders,
      keys: ks.readableKeys,
      pollMs: o.finalPollMs,
      maxAttempts: o.finalMaxAttempts,
      timeLimitMs: o.finalTimeLimitMs,
    },
  }));
}


/** Draws the program of `seed`: the same seed and options always give the same program. */
export function generateProgram(seed: number, options: ProgramOptions = {}): Program {
  // fast-check's generators keep 32 bits of the seed: larger seeds would silently alias smaller ones.
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw usageError(`seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  const [program] = fc.sample(fc.noBias(programArb(seed, options)), { seed, numRuns: 1 });
  if (!program) throw new Error('fast-check returned no sample');
  return program;
}
