// Messages in flight between the parts of the simulated cluster, as data (the TLA+ specs of Kafka keep
// them so): a coordinator's append to __transaction_state, WriteTxnMarkers and their answers, followers
// fetching a partition (the high watermark), and client requests still on the wire after their client gave
// up. Each travels on a connection; a connection delivers in order (TCP), different connections in any
// order. `due` is the earliest tick the schedule delivers it (schedule.ts); a driver may deliver any head.
import type { KafkaError, Key, ProduceRequest, TxnPartition, TxnVersion } from './types.ts';

/** What a client sends, as data: run now, or left on the wire (`requestDelayed`) to land later. */
export type ClientRequest =
  /** `transactionalId` null: an idempotent producer's id, which any broker hands out. */
  | { type: 'initProducerId'; transactionalId: string | null; expected?: { producerId: number; producerEpoch: number } }
  | { type: 'addPartitions'; transactionalId: string; producerId: number; producerEpoch: number; partitions: TxnPartition[] }
  | { type: 'produce'; key: Key; request: ProduceRequest; transactionalId: string | null }
  | { type: 'txnOffsetCommit'; transactionalId: string; groupId: string; producerId: number; producerEpoch: number; offsets: Readonly<Record<Key, number>> }
  | { type: 'endTxn'; transactionalId: string; producerId: number; producerEpoch: number; commit: boolean };

/** How a client speaks: its transaction version and whether it uses request versions old enough for
 *  KafkaApis to answer PRODUCER_FENCED as INVALID_PRODUCER_EPOCH (KIP-588; kafkajs does). */
export interface Protocol { txnVersion: TxnVersion; oldRequestVersions: boolean }

export type Message =
  /** The coordinator's prepared transit, on its way to __transaction_state (acks=all). `requestId` names the client request waiting for it. */
  | { kind: 'logAppend'; transactionalId: string; coordinatorEpoch: number; requestId: number | null }
  | { kind: 'marker'; transactionalId: string; partition: TxnPartition; producerId: number; producerEpoch: number; commit: boolean; coordinatorEpoch: number; txnVersion: TxnVersion }
  | { kind: 'markerAnswer'; transactionalId: string; partition: TxnPartition; error: KafkaError; coordinatorEpoch: number }
  /** Followers fetch the partition: its high watermark reaches the log end. */
  | { kind: 'replicate'; key: Key }
  /** A request whose client stopped waiting; its answer goes nowhere. */
  | { kind: 'request'; clientId: string; request: ClientRequest; protocol: Protocol };

export interface InFlight { id: number; connection: string; due: number; message: Message }

export class Network {
  private items: InFlight[] = [];
  private nextId = 1;

  /** Queues a message; on its connection it stays behind everything sent before it. */
  send(connection: string, message: Message, due: number): number {
    const id = this.nextId++;
    const behind = this.items.reduce((d, x) => (x.connection === connection ? Math.max(d, x.due) : d), due);
    this.items.push({ id, connection, due: behind, message });
    return id;
  }

  /** Every message, oldest first. */
  all(): readonly InFlight[] { return this.items; }

  get size(): number { return this.items.length; }

  /** The messages that can be delivered now: the oldest of each connection. */
  heads(): InFlight[] {
    const seen = new Set<string>();
    const out: InFlight[] = [];
    for (const x of this.items) {
      if (seen.has(x.connection)) continue;
      seen.add(x.connection);
      out.push(x);
    }
    return out;
  }

  /** Removes and returns message `id` (a head: the caller respects connection order). */
  take(id: number): InFlight {
    const i = this.items.findIndex((x) => x.id === id);
    if (i < 0) throw new Error(`network: no message ${id} in flight`);
    return this.items.splice(i, 1)[0]!;
  }

  has(pred: (m: Message) => boolean): boolean { return this.items.some((x) => pred(x.message)); }

  /** Drops every message `pred` matches (a coordinator that moved forgets what it had in flight). */
  drop(pred: (m: Message) => boolean): void { this.items = this.items.filter((x) => !pred(x.message)); }

  fork(): Network {
    const n = new Network();
    n.items = [...this.items];
    n.nextId = this.nextId;
    return n;
  }
}
