// What the explorer explores: a small cluster (the keys, the cluster's transaction version), the producers
// with their programs of client calls, and how many faults a path may contain. The default is the small
// configuration of issue 13: 2 producers (two instances of one transactional id, the second fencing the
// first), 1 coordinator, 2 partitions; the first instance commits one transaction and aborts a second that
// spans both partitions and commits offsets, which is where a late EndTxn (KAFKA-17754) can land.
import type { ClientModel, TxnVersion } from '../../model/index.ts';

export type Call =
  | { kind: 'init' }
  | { kind: 'begin' }
  | { kind: 'send'; key: number; value: number }
  | { kind: 'sendOffsets'; groupId: string; offsets: Readonly<Record<number, number>> }
  | { kind: 'commit' }
  | { kind: 'abort' };

export interface ProducerProgram { name: string; transactionalId: string; calls: readonly Call[] }

export interface FaultBudget {
  /** Requests left on the wire (the client times out and retries; the request lands any time later). */
  delays: number;
  /** Answers the client stops waiting for (the request took effect or will). */
  timeouts: number;
  /** Coordinator failovers (in-memory transits lost, markers sent again, the old ones may still land). */
  failovers: number;
  /** Transactions the coordinator aborts on timeout. */
  expiries: number;
}

export interface ExploreConfig {
  /** The cluster's transaction.version. */
  txnVersion: TxnVersion;
  client: ClientModel;
  keys: number;
  producers: readonly ProducerProgram[];
  faults: FaultBudget;
}

/** Values are unique: producer p's transaction t's send s writes value 100p + 10t + s. */
export const valueOf = (producer: number, txn: number, send: number) => 100 * producer + 10 * txn + send + 1;
/** The client transaction a value belongs to, as the invariants name them (`producer/txn`). */
export const txnOfValue = (value: number) => `P${Math.floor((value - 1) / 100)}/${Math.floor(((value - 1) % 100) / 10)}`;

export function smallConfig(txnVersion: TxnVersion, client: ClientModel = 'java', faults: Partial<FaultBudget> = {}): ExploreConfig {
  return {
    txnVersion, client, keys: 2,
    producers: [
      {
        name: 'P0', transactionalId: 'T', calls: [
          { kind: 'init' },
          { kind: 'begin' }, { kind: 'send', key: 0, value: valueOf(0, 0, 0) }, { kind: 'commit' },
          { kind: 'begin' }, { kind: 'send', key: 0, value: valueOf(0, 1, 0) }, { kind: 'send', key: 1, value: valueOf(0, 1, 1) },
          { kind: 'sendOffsets', groupId: 'g', offsets: { 0: 1 } }, { kind: 'abort' },
        ],
      },
      {
        name: 'P1', transactionalId: 'T', calls: [
          { kind: 'init' }, { kind: 'begin' }, { kind: 'send', key: 1, value: valueOf(1, 0, 0) }, { kind: 'commit' },
        ],
      },
    ],
    faults: { delays: 1, timeouts: 0, failovers: 0, expiries: 0, ...faults },
  };
}
