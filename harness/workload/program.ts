// The program is the plan of one run as pure data: who does what, in which order, and when the
// nemesis strikes. Both runners (model and Kafka) execute the same program, so everything that must
// agree between them (keys, values, transactional ids, fault targets) is decided here, at generation
// time, from the seed alone. Field-by-field documentation: ./README.md.
import type { ClientF, Key, Value } from '../../jepsen-style/history.ts';
import type { ResolvedOptions } from './options.ts';

/** Bumped whenever a field changes meaning; readers refuse versions they do not know. */
export const PROGRAM_VERSION = 1;

export type NodeId = number;

export interface Topic {
  name: string;
  partitions: number;
  /** `data`: written by idempotent/transactional workers; `copier-output`: written only by copiers. */
  use: 'data' | 'copier-output';
}

/** One key stands for one topic-partition; `keys[k].key === k`. */
export interface KeyPartition {
  key: Key;
  topic: string;
  partition: number;
}

export type SendMop = ['send', Key, Value];
export type PollMop = ['poll'];

/**
 * One operation of a worker. All but `copy` are recorded in the history exactly as `{f, value}`;
 * `copy` is one consume-transform-produce iteration, recorded as `{f: "txn", value: [["poll"]]}`.
 * `abort: true` means the transaction is aborted on purpose instead of committed (Jepsen's abort-p):
 * it then completes `fail` if the abort is acknowledged.
 */
export type ProgramOp =
  | { f: 'send'; value: SendMop[] }
  | { f: 'txn'; value: Array<SendMop | PollMop>; abort: boolean }
  | { f: 'poll'; value: PollMop[] }
  | { f: 'assign'; value: Key[] }
  | { f: 'subscribe'; value: Key[] }
  | { f: 'crash'; value: null }
  | { f: 'copy'; abort: boolean };

export type WorkerRole = 'idempotent' | 'transactional' | 'copier';

export interface CopierSpec {
  /** `[inputKey, outputKey]` pairs: a value polled from the input key is sent to the output key. */
  keyMap: Array<[Key, Key]>;
}

export interface Worker {
  id: number;
  role: WorkerRole;
  /** Shared by the two instances of a zombie pair; null for idempotent workers. */
  transactionalId: string | null;
  /** Consumer group: offsets of transactional polls and copier iterations are committed to it. */
  groupId: string;
  copier: CopierSpec | null;
  /** The worker begins only once worker `worker` has completed `completedOps` of its ops (zombie restart). */
  startAfter: { worker: number; completedOps: number } | null;
  /** True for the old instance of a zombie pair: once fenced, it stops instead of taking a fresh process. */
  stopWhenFenced: boolean;
  ops: ProgramOp[];
}

export type NemesisFamily = 'partition' | 'kill' | 'pause' | 'leader-move';
export type PartitionKind = 'one' | 'majority-minority' | 'majorities-ring' | 'client-isolation';

/**
 * How `start-partition` splits the cluster. `grudge[n]` lists the nodes whose traffic node `n`
 * drops (Jepsen's grudge); it is empty for client isolation, which cuts clients off from `nodes`
 * while the brokers still see each other.
 */
export type PartitionGrouping =
  | { kind: 'one'; isolated: NodeId[]; grudge: Record<string, NodeId[]> }
  | { kind: 'majority-minority'; majority: NodeId[]; minority: NodeId[]; grudge: Record<string, NodeId[]> }
  | { kind: 'majorities-ring'; ring: NodeId[]; grudge: Record<string, NodeId[]> }
  | { kind: 'client-isolation'; nodes: NodeId[]; grudge: Record<string, NodeId[]> };

export type NemesisOp =
  | { f: 'start-partition'; value: PartitionGrouping }
  | { f: 'stop-partition'; value: null }
  | { f: 'kill' | 'restart' | 'pause' | 'resume'; value: { nodes: NodeId[] } }
  // leader-move (harness/faults/leader-move.ts): a controlled shutdown of the nodes (their leaderships move
  // away), then their start and a preferred-leader election (the leaderships move back).
  | { f: 'start-leader-move' | 'stop-leader-move'; value: { nodes: NodeId[] } };

export interface NemesisEntry {
  /** Milliseconds after the start of the main phase. */
  atMs: number;
  op: NemesisOp;
}

export interface FinalPolls {
  /** Fresh consumer processes that each assign `keys` from the beginning and poll. */
  readers: number;
  keys: Key[];
  pollMs: number;
  /** A reader stops once every key reached its highest acknowledged offset, or after this many polls... */
  maxAttempts: number;
  /** ...or after this long, whichever comes first. */
  timeLimitMs: number;
}

export interface Program {
  version: typeof PROGRAM_VERSION;
  seed: number;
  options: ResolvedOptions;
  mutate: string | null;
  txnVersion: 1 | 2;
  nodes: NodeId[];
  topics: Topic[];
  keys: KeyPartition[];
  /** Target pacing of the main phase: each worker invokes at most one op per `opIntervalMs`. */
  pacing: { rateHz: number; opIntervalMs: number };
  phases: { timeLimitMs: number; recoveryMs: number };
  workers: Worker[];
  nemesis: { schedule: NemesisEntry[]; finalHeal: NemesisEntry[] };
  finalPolls: FinalPolls;
}

/** The invocation `{f, value}` the history records for a program op. */
export function invocationOf(op: ProgramOp): { f: ClientF; value: Array<SendMop | PollMop> | Key[] | null } {
  if (op.f === 'copy') return { f: 'txn', value: [['poll']] };
  return { f: op.f, value: op.value };
}
