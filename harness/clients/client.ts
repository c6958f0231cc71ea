// The one boundary between the Kafka runner and a client library under test. The runner (worker loop,
// nemesis, history, final reads) knows only these types; kafkajs runs behind them in-process, the Java
// and franz-go drivers as child processes speaking docs/client-drivers.md. Jepsen's split: the client
// executes an op and says what Kafka answered (`ok`, definite `fail`, indeterminate `info`); it never
// judges, and it never sees the history.
import type { Writable } from 'node:stream';
import type { ClientEvent, Key } from '../../jepsen-style/history.ts';
import type { OpResult } from '../model-runner/modelClient.ts';
import type { KeyPartition, ProgramOp } from '../workload/program.ts';
import type { ClientConnection } from '../target/client-config.ts';

export type { OpResult };

/** Which library and version, e.g. `{name: 'java', version: '4.4.0', label: 'java (kafka-clients) 4.4.0'}`. */
export interface ClientDescription {
  /** One of CLIENT_NAMES, or a driver's own name (the conformance kit runs any driver command). */
  name: string;
  version: string;
  /** What reports and verdicts print. */
  label: string;
}

export const CLIENT_NAMES = ['kafkajs', 'java', 'franz-go'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

/** What every client gets for one run: the cluster, the key table and the behaviour the program asks for. */
export interface ClientSetup {
  bootstrapServers: string[];
  /** How to reach an existing cluster (--client-config: TLS, SASL); absent or null: plaintext. */
  connection?: ClientConnection | null;
  /** Key k is topic-partition `keys[k]`; ops name keys only. */
  keys: readonly KeyPartition[];
  /** Copier output key of each copier input key. */
  copyTo: ReadonlyMap<Key, Key>;
  /** Every key of the topics the given keys belong to (what a subscription to those topics covers). */
  topicKeys: (keys: readonly Key[]) => Key[];
  /** False only for the `read-uncommitted` mutant. */
  readCommitted: boolean;
  /** False only for the `no-idempotence` mutant. */
  idempotent: boolean;
  /** The `offsets-outside-txn` mutant: a plain offset commit instead of sendOffsetsToTransaction. */
  offsetsOutsideTxn: boolean;
  /** Every op must complete within this; after it, the op is `info` and its process ends. */
  opTimeoutMs: number;
  /** How long a poll waits for records when none are buffered. */
  pollMs: number;
  /** Client libraries' own log lines (kafka/client.log). */
  log: Writable;
}

/** One client process: Jepsen's process, a producer and a consumer that live and die together. */
export interface ProcessSpec {
  process: number;
  /** The producer's transactional.id, or null for an idempotent (or read-only) process. */
  transactionalId: string | null;
  /** Consumer group of committed offsets (and of subscribe's membership). */
  groupId: string;
}

export interface ClientProcess {
  readonly process: number;
  /**
   * Runs one program op; never rejects and always settles within the op timeout (plus a small grace):
   * every failure is an outcome. `invoked` is the value the history recorded at invocation.
   */
  execute(op: ProgramOp, invoked: ClientEvent['value']): Promise<OpResult>;
  /** Tears the process down without waiting on Kafka; the process is over whatever state it was in. */
  abandon(): Promise<void>;
  /**
   * Only for clients that carry on (RunClients.carryOn): the same client objects go on as process
   * `process`, as an application that meets an error goes on with its producer instead of rebuilding it.
   */
  continueAs?(process: number): ClientProcess;
}

/** A client library started for one run. */
export interface RunClients {
  readonly description: ClientDescription;
  /**
   * A fresh process in worker slot `slot` (a worker's id, or a final reader's index). Slots let an
   * out-of-process driver keep one long-lived runtime per worker, as Jepsen keeps one per thread.
   */
  open(slot: number, spec: ProcessSpec): ClientProcess;
  /** The transaction version (KIP-890) the client's transactions ran under, as the client itself saw it. */
  transactionVersion(): 1 | 2 | null;
  /** Ends every process and runtime; nothing of the client outlives it. */
  close(): Promise<void>;
  /**
   * After an op that completes `info` (not a crash, not fenced), the worker's next process keeps this
   * process's client objects (`continueAs`) rather than opening fresh ones. Off by default: Jepsen opens
   * a fresh client after every `info`; on for `--client franz-go@V+carry-on`, which hunts client bugs
   * that only an application going on with the same client meets.
   */
  readonly carryOn?: boolean;
}

/** A client library at one version: checked and built before any cluster starts, then started per run. */
export interface ClientKind {
  readonly description: ClientDescription;
  /** Builds or finds what the client needs (a compiled driver); throws a CliError (exit 3) naming what to install. */
  prepare(log: (line: string) => void): Promise<void>;
  start(setup: ClientSetup, slots: number): Promise<RunClients>;
}
