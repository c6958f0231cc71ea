// The driver protocol's messages (docs/client-drivers.md), pure: what the harness writes to a driver's
// stdin, and the checks every line a driver writes to its stdout must pass before anything believes
// it. One JSON object per line, both ways, as Maelstrom drives nodes in any language. A line that
// fails a check is a ProtocolError naming the line and what is wrong with it.
import type { KeyPartition, ProgramOp } from '../../workload/program.ts';

/**
 * The protocol versions this harness speaks, oldest first; init offers them, the driver picks one.
 * 2 adds `security` to init (how to reach an existing cluster: TLS, SASL); 1 is 2 without it.
 */
export const PROTOCOL_VERSIONS = [1, 2] as const;

/** Protocol 2: connection settings every client the driver makes must use (--client-config). */
export interface DriverSecurity {
  protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  sasl: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string } | null;
  /** PEM texts (not paths: the driver reads no file); verify_hostname false skips the host name check only. */
  tls: { ca_pem: string | null; cert_pem: string | null; key_pem: string | null; key_password: string | null; verify_hostname: boolean } | null;
}

export interface InitRequest {
  type: 'init';
  msg_id: number;
  protocol_versions: readonly number[];
  bootstrap_servers: string[];
  keys: readonly KeyPartition[];
  /** `[inputKey, outputKey]` pairs of every copier. */
  copy_to: Array<[number, number]>;
  read_committed: boolean;
  idempotent: boolean;
  offsets_outside_txn: boolean;
  poll_ms: number;
  copy_batch_max: number;
  /** Present only when the run has a --client-config; a driver that answers protocol 1 cannot honour it. */
  security?: DriverSecurity;
}

export interface OpenRequest { type: 'open'; msg_id: number; process: number; transactional_id: string | null; group_id: string }
export interface InvokeRequest { type: 'invoke'; msg_id: number; process: number; deadline_ms: number; op: ProgramOp }
export interface AbandonRequest { type: 'abandon'; msg_id: number; process: number }
/** Clients that carry on: process `process` ended `info`, and its client objects go on as `new_process`. */
export interface ContinueRequest { type: 'continue'; msg_id: number; process: number; new_process: number }
export interface ShutdownRequest { type: 'shutdown'; msg_id: number }

export type Request = InitRequest | OpenRequest | InvokeRequest | AbandonRequest | ContinueRequest | ShutdownRequest;
/** A request before the harness numbers it. */
export type Unnumbered<R extends Request> = R extends Request ? Omit<R, 'msg_id'> : never;

export interface ClientInfo { name: string; library?: string; version: string }
/** What the client saw of its transactional producer after an op: the proof of the transaction version. */
export interface TxnState { version: 1 | 2; producer_id?: number; epoch?: number }

export type Reply =
  | { type: 'init_ok'; in_reply_to: number; protocol_version: number; client: ClientInfo }
  | { type: 'open_ok'; in_reply_to: number; process: number }
  | { type: 'abandon_ok'; in_reply_to: number; process: number }
  | { type: 'continue_ok'; in_reply_to: number; process: number }
  | { type: 'shutdown_ok'; in_reply_to: number }
  | {
    type: 'complete'; in_reply_to: number; process: number; outcome: 'ok' | 'fail' | 'info';
    value: unknown; error?: string; end_process: boolean; fenced: boolean; txn?: TxnState;
  }
  | { type: 'error'; in_reply_to: number; code: string; text: string };

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export function encode(request: Request): string {
  return `${JSON.stringify(request)}\n`;
}

const REPLY_TYPES = ['init_ok', 'open_ok', 'abandon_ok', 'continue_ok', 'shutdown_ok', 'complete', 'error'];
const OUTCOMES = ['ok', 'fail', 'info'];

/** Parses and checks one stdout line of a driver; throws ProtocolError with the line in the message. */
export function decodeReply(line: string): Reply {
  const shown = line.length > 200 ? `${line.slice(0, 200)}...` : line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new ProtocolError(`not a JSON line: ${JSON.stringify(shown)} (stdout is for protocol messages only; logs go to stderr)`);
  }
  const bad = (what: string): never => {
    throw new ProtocolError(`${what}: ${shown}`);
  };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('a message must be a JSON object');
  const m = parsed as Record<string, unknown>;
  if (typeof m['type'] !== 'string' || !REPLY_TYPES.includes(m['type'])) bad(`"type" must be one of ${REPLY_TYPES.join(', ')}`);
  if (!isCount(m['in_reply_to'])) bad(`${m['type']}: "in_reply_to" must be the msg_id of the request it answers`);
  const process = () => {
    if (!isCount(m['process'])) bad(`${m['type']}: "process" must be a non-negative integer`);
  };
  switch (m['type']) {
    case 'init_ok': {
      if (!isCount(m['protocol_version'])) bad('init_ok: "protocol_version" must be an integer');
      const c = m['client'] as Record<string, unknown> | undefined;
      if (typeof c !== 'object' || c === null || typeof c['name'] !== 'string' || typeof c['version'] !== 'string') {
        bad('init_ok: "client" must be {"name": string, "version": string}');
      }
      break;
    }
    case 'open_ok':
    case 'abandon_ok':
    case 'continue_ok':
      process();
      break;
    case 'complete':
      process();
      if (!OUTCOMES.includes(m['outcome'] as string)) bad('complete: "outcome" must be "ok", "fail" or "info"');
      if (!('value' in m)) bad('complete: "value" is missing (the completed value of the op, or null)');
      if (typeof m['end_process'] !== 'boolean') bad('complete: "end_process" must be true or false');
      if (typeof m['fenced'] !== 'boolean') bad('complete: "fenced" must be true or false');
      if (m['outcome'] !== 'ok' && (typeof m['error'] !== 'string' || m['error'] === '')) bad(`complete: a "${m['outcome']}" outcome needs "error", the client's error`);
      if (m['outcome'] === 'info' && m['end_process'] !== true) bad('complete: an "info" outcome must end the process ("end_process": true)');
      if (m['txn'] !== undefined) checkTxn(m['txn'], bad);
      break;
    case 'error':
      if (typeof m['code'] !== 'string' || typeof m['text'] !== 'string') bad('error: needs "code" and "text" strings');
      break;
  }
  return m as unknown as Reply;
}

function checkTxn(txn: unknown, bad: (what: string) => never): void {
  const t = txn as Record<string, unknown>;
  if (typeof t !== 'object' || t === null || (t['version'] !== 1 && t['version'] !== 2)) bad('complete: "txn.version" must be 1 or 2');
  for (const f of ['producer_id', 'epoch']) if (t[f] !== undefined && !Number.isInteger(t[f])) bad(`complete: "txn.${f}" must be an integer`);
}

const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
