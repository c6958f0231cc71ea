// The vocabulary of the written-out scenarios (scenarios.ts, scenarios-late.ts): a scenario is a program of
// commands (program.ts) with the cluster's transaction version, client and delivery.
import type { ClientModel, Delivery, TxnVersion } from '../../model/index.ts';
import type { Cmd, FaultSpec } from './program.ts';

export interface Scenario { name: string; txnVersion: TxnVersion; client: ClientModel; delivery?: Delivery; expiry?: number; cmds: Cmd[] }

export const MANUAL: Delivery = { kind: 'manual' };
export const ALWAYS_LATE: Delivery = { kind: 'seeded', seed: 1, lateP: 1, maxDelayTicks: 3, requestTimeoutTicks: 0 };

export const fault = (f: FaultSpec): Cmd => ({ op: 'fault', fault: f });
export const txn = (slot: number, keys: number[], end: 'commit' | 'abort' | 'open', offsets = false): Cmd => ({ op: 'txn', slot, zombie: false, keys, offsets, end });
export const begin = (slot: number): Cmd => ({ op: 'begin', slot, zombie: false });
export const txnSend = (slot: number, key: number, zombie = false): Cmd => ({ op: 'txnSend', slot, key, zombie });
export const sendOffsets = (slot: number, key: number, zombie = false): Cmd => ({ op: 'sendOffsets', slot, key, zombie });
export const end = (slot: number, how: 'commit' | 'abort'): Cmd => ({ op: how, slot, zombie: false });
export const init = (slot: number, fresh: boolean): Cmd => ({ op: 'init', slot, fresh });
/** the next `count` requests of the slot's client, after `after` pass, stay on the wire / vanish */
export const delayed = (slot: number, count: number, after = 0): Cmd => fault({ type: 'requestDelayed', slot, count, ...(after ? { after } : {}) });
export const lost = (slot: number, count: number, after = 0): Cmd => fault({ type: 'requestLost', slot, count, ...(after ? { after } : {}) });
export const tick = (ticks: number): Cmd => fault({ type: 'tick', ticks });
export const sends = (slot: number, key: number, n: number): Cmd[] => Array.from({ length: n }, () => ({ op: 'send', slot, key }));
export const late: Cmd = { op: 'deliverLate' };

export const down = (node: number): Cmd => fault({ type: 'nodeDown', node });
export const up = (node: number): Cmd => fault({ type: 'nodeUp', node });
export const hold = (slot: number, held: boolean): Cmd => ({ op: 'holdMarkers', slot, held });
