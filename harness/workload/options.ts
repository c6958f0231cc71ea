// Workload options: what a caller may choose, the defaults, and the validation that turns a bad
// choice into a usage error (exit 2) naming the option and the fix, before anything is generated.
import { usageError } from '../cli/exit-codes.ts';
import type { NemesisFamily, PartitionKind } from './program.ts';

/** fast-check's generators keep 32 bits of the seed: larger seeds would silently alias smaller ones. */
export const MAX_SEED = 0xffff_ffff;

// New families go last: the order fixes how a set of families draws from the seed, so older seeds keep
// their schedules.
export const NEMESIS_FAMILIES: readonly NemesisFamily[] = ['partition', 'kill', 'pause', 'leader-move'];
export const PARTITION_KINDS: readonly PartitionKind[] = ['one', 'majority-minority', 'majorities-ring', 'client-isolation'];

export interface ResolvedOptions {
  /** Topics written by idempotent and transactional workers (copier output topics come on top). */
  topics: number;
  partitions: number;
  nodes: number;
  /** Idempotent + transactional workers; copiers come on top. */
  workers: number;
  /** Of `workers`, how many are transactional (default: half, rounded up); the others are idempotent. */
  transactionalWorkers: number;
  /** Consume-transform-produce copiers; copier i reads data topic i. */
  copiers: number;
  /** Restart copier 0 with the same transactional id while the old instance still runs. */
  zombie: boolean;
  timeLimitMs: number;
  rateHz: number;
  /** Ops per worker; null derives it from timeLimitMs and rateHz. */
  opsPerWorker: number | null;
  nemesis: NemesisFamily[];
  partitionKinds: PartitionKind[];
  /** Mean time between a fault's start and stop, and between its stop and the next start. */
  nemesisIntervalMs: number;
  abortP: number;
  crashP: number;
  /** Probability that an op is preceded by a fresh assign/subscribe (Jepsen's sub-p). */
  reassignP: number;
  subVia: Array<'assign' | 'subscribe'>;
  maxMops: number;
  txnVersion: 1 | 2;
  mutate: string | null;
  recoveryMs: number;
  finalReaders: number;
  finalPollMs: number;
  finalMaxAttempts: number;
  finalTimeLimitMs: number;
}

export type ProgramOptions = Partial<ResolvedOptions>;

export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = Object.freeze<ResolvedOptions>({
  topics: 3,
  partitions: 2,
  nodes: 3,
  workers: 6,
  transactionalWorkers: 3,
  copiers: 1,
  zombie: true,
  timeLimitMs: 60_000,
  rateHz: 300,
  opsPerWorker: null,
  nemesis: [],
  partitionKinds: [...PARTITION_KINDS],
  nemesisIntervalMs: 10_000,
  abortP: 0.1,
  crashP: 0.005,
  reassignP: 1 / 32,
  subVia: ['assign'],
  maxMops: 4,
  txnVersion: 2,
  mutate: null,
  recoveryMs: 10_000,
  finalReaders: 2,
  finalPollMs: 1_000,
  finalMaxAttempts: 30,
  finalTimeLimitMs: 60_000,
});

function int(name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw usageError(`workload option '${name}' must be an integer in [${min}, ${max}], got ${v}`);
  }
}

function probability(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw usageError(`workload option '${name}' must be a probability in [0, 1], got ${v}`);
}

function subset<T extends string>(name: string, vs: readonly T[], allowed: readonly T[], nonEmpty: boolean): void {
  const bad = vs.filter((v) => !allowed.includes(v));
  if (bad.length > 0) throw usageError(`workload option '${name}': unknown ${bad.join(', ')} (known: ${allowed.join(', ')})`);
  if (nonEmpty && vs.length === 0) throw usageError(`workload option '${name}' needs at least one of: ${allowed.join(', ')}`);
}

/** Fills in defaults and validates; throws a usage error (exit 2) that names the option. */
export function resolveOptions(options: ProgramOptions = {}): ResolvedOptions {
  const o: ResolvedOptions = { ...DEFAULT_OPTIONS, ...stripUndefined(options) };
  // Half the workers transactional unless said otherwise, whatever the number of workers.
  if (options.transactionalWorkers === undefined) o.transactionalWorkers = Math.ceil(o.workers / 2);
  o.nemesis = [...new Set(o.nemesis)].sort((a, b) => NEMESIS_FAMILIES.indexOf(a) - NEMESIS_FAMILIES.indexOf(b));
  o.partitionKinds = [...new Set(o.partitionKinds)].sort((a, b) => PARTITION_KINDS.indexOf(a) - PARTITION_KINDS.indexOf(b));
  o.subVia = [...new Set(o.subVia)].sort();
  int('topics', o.topics, 2, 100);
  int('partitions', o.partitions, 2, 100);
  int('nodes', o.nodes, 1, 9);
  int('workers', o.workers, 1, 1000);
  int('transactionalWorkers', o.transactionalWorkers, 0, o.workers);
  int('copiers', o.copiers, 0, o.topics);
  int('timeLimitMs', o.timeLimitMs, 1, 24 * 3600_000);
  int('rateHz', o.rateHz, 1, 100_000);
  if (o.opsPerWorker !== null) int('opsPerWorker', o.opsPerWorker, 1, 1_000_000);
  int('nemesisIntervalMs', o.nemesisIntervalMs, 100, 24 * 3600_000);
  int('maxMops', o.maxMops, 1, 64);
  int('recoveryMs', o.recoveryMs, 0, 3600_000);
  int('finalReaders', o.finalReaders, 1, 100);
  int('finalPollMs', o.finalPollMs, 1, 600_000);
  int('finalMaxAttempts', o.finalMaxAttempts, 1, 1_000_000);
  int('finalTimeLimitMs', o.finalTimeLimitMs, 1, 24 * 3600_000);
  probability('abortP', o.abortP);
  probability('crashP', o.crashP);
  probability('reassignP', o.reassignP);
  subset('nemesis', o.nemesis, NEMESIS_FAMILIES, false);
  subset('partitionKinds', o.partitionKinds, PARTITION_KINDS, o.nemesis.includes('partition'));
  subset('subVia', o.subVia, ['assign', 'subscribe'], true);
  if (o.txnVersion !== 1 && o.txnVersion !== 2) throw usageError(`workload option 'txnVersion' must be 1 or 2, got ${String(o.txnVersion)}`);
  if (o.zombie && o.copiers === 0) throw usageError(`workload option 'zombie' needs at least one copier (set copiers ≥ 1 or zombie: false)`);
  if (o.nemesis.includes('partition') && o.nodes < 2) throw usageError(`nemesis 'partition' needs at least 2 nodes, got nodes = ${o.nodes}`);
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
