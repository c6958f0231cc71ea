// The history is plain data passed between client, nemesis and checker (../shared/history-format.md §1).
// These types are the contract in TypeScript form: writers (model and Kafka runners) and readers
// (checker, report) share them, and nothing here judges or does I/O.

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
export type ClientF = 'send' | 'poll' | 'txn' | 'assign' | 'subscribe' | 'crash';
export type Key = number;
export type Value = number;
export type Offset = number;

/** A micro-operation as invoked: `["send", k, v]` or `["poll"]`. */
export type InvokedMop = readonly ['send', Key, Value] | readonly ['poll'];
/** A micro-operation as completed: offsets known (or null), polls filled in. */
export type CompletedMop =
  | readonly ['send', Key, readonly [Offset | null, Value]]
  | readonly ['send', Key, Value]
  | readonly ['poll', Readonly<Record<string, ReadonlyArray<readonly [Offset, Value]>>>];
export type Mop = InvokedMop | CompletedMop;

interface EventBase {
  index: number;
  /** Nanoseconds since the run started (logical for model runs); never decreases. */
  time: number;
  type: OpType;
  error?: string;
}

export interface ClientEvent extends EventBase {
  process: number;
  f: ClientF;
  /** Mops for send/poll/txn, keys for assign/subscribe, null for crash. */
  value: Mop[] | Key[] | null;
  /**
   * Optional extension (docs/anomalies.md, zombie fencing): the transactional.id the op's producer
   * instance used, as named in program.json, on `txn` invokes and completions.
   */
  txnId?: string;
}

export interface NemesisEvent extends EventBase {
  process: 'nemesis';
  f: string;
  value: unknown;
}

export type HistoryEvent = ClientEvent | NemesisEvent;

export function isClientEvent(e: HistoryEvent): e is ClientEvent {
  return e.process !== 'nemesis';
}
