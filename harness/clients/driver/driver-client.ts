// An out-of-process client behind the client boundary: long-lived drivers (a JVM, a Go binary) speaking
// docs/client-drivers.md, one per worker slot or one shared by several slots (DriverSpec.slotsPerDriver).
// A process is opened on its slot's driver and lives as long as that driver does; a driver that dies,
// breaks the protocol or misses a deadline is killed, its ops recorded `info` (the harness cannot know
// what it did), and its slots get a fresh driver for their next processes. Nothing waits longer than an op's deadline plus a grace.
import type { ClientEvent } from '../../../jepsen-style/history.ts';
import { harnessError } from '../../cli/exit-codes.ts';
import { COPY_BATCH_MAX } from '../../workload/txnReads.ts';
import type { ProgramOp } from '../../workload/program.ts';
import type { ClientDescription, ClientKind, ClientProcess, ClientSetup, OpResult, ProcessSpec, RunClients } from '../client.ts';
import { DriverFailure, DriverProcess, describeReply, type DriverCommand } from './driver-process.ts';
import { opResultOf } from './outcome.ts';
import { ProtocolError, type InitRequest, type Unnumbered } from './protocol.ts';
import { driverSecurity } from '../../target/driver-security.ts';

/** How long past an op's deadline the harness waits for the driver's answer (pipes, a GC pause). */
export const DEADLINE_GRACE_MS = 3_000;
/** Answers that involve no Kafka at all (open, abandon). */
const LOCAL_REPLY_MS = 5_000;
/** A JVM on a loaded 2-core machine, fourteen starting at once: ready in seconds, not this. */
export const START_TIMEOUT_MS = 60_000;

export interface DriverSpec {
  description: ClientDescription;
  /** The driver keeps a process's clients for the next process after an `info` (`continue`). */
  carryOn?: boolean;
  /** Builds the driver once (cached); throws a CliError naming what to install when a toolchain is missing. */
  prepare(log: (line: string) => void): Promise<void>;
  /** The command line of one driver process, after prepare. */
  command(): DriverCommand;
  /**
   * How many worker slots share one driver process (default 1: a driver per slot). A driver serves any
   * number of processes; sharing pays a runtime's start-up and warm-up once instead of once per slot
   * (the JVM's class loading and JIT: fourteen JVMs cost more CPU than the Kafka work they drove). The
   * price: a driver that dies or misses a deadline ends the processes of every slot it serves.
   */
  slotsPerDriver?: number;
}

export function driverClient(spec: DriverSpec): ClientKind {
  return { description: spec.description, prepare: (log) => spec.prepare(log), start: (setup, slots) => startDrivers(spec, setup, slots) };
}

type Init = Omit<Unnumbered<InitRequest>, 'type' | 'protocol_versions'>;

function initOf(setup: ClientSetup): Init {
  return {
    bootstrap_servers: setup.bootstrapServers, keys: setup.keys, copy_to: [...setup.copyTo],
    read_committed: setup.readCommitted, idempotent: setup.idempotent, offsets_outside_txn: setup.offsetsOutsideTxn,
    poll_ms: setup.pollMs, copy_batch_max: COPY_BATCH_MAX,
    ...(setup.connection ? { security: driverSecurity(setup.connection) } : {}),
  };
}

async function startDrivers(spec: DriverSpec, setup: ClientSetup, slotCount: number): Promise<RunClients> {
  const init = initOf(setup);
  const perDriver = Math.max(1, Math.floor(spec.slotsPerDriver ?? 1));
  const driverCount = Math.max(1, Math.ceil(slotCount / perDriver));
  /** Slot `slot` runs on driver `slot % driverCount`: neighbouring slots (workers of one kind) spread out. */
  const servedBy = (d: number) => Array.from({ length: slotCount }, (_, slot) => slot).filter((slot) => slot % driverCount === d);
  const label = (d: number, n: number) => {
    const served = servedBy(d);
    const which = served.length === 1 ? `slot ${served[0]}` : `slots ${served.join(',')}`;
    return `${spec.description.name} driver (${which}${n > 0 ? `, restart ${n}` : ''})`;
  };
  const launch = (d: number, n: number) => DriverProcess.start(spec.command(), init, { label: label(d, n), log: setup.log, timeoutMs: START_TIMEOUT_MS });
  const settled = await Promise.allSettled(Array.from({ length: driverCount }, (_, d) => launch(d, 0)));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.allSettled(settled.map((s) => (s.status === 'fulfilled' ? s.value.shutdown() : undefined)));
    throw harnessError(`the ${spec.description.label} driver did not start: ${(failed.reason as Error).message}`);
  }
  const drivers = settled.map((s) => ({ driver: Promise.resolve((s as PromiseFulfilledResult<DriverProcess>).value), restarts: 0, replaced: null as DriverProcess | null }));
  const versions = new Set<1 | 2>();
  const driverOf = (slot: number): Promise<DriverProcess> => {
    if (!Number.isInteger(slot) || slot < 0 || slot >= slotCount) throw new Error(`no driver slot ${slot} (started ${slotCount})`);
    const d = slot % driverCount;
    const s = drivers[d]!;
    return s.driver.then((driver) => {
      if (driver.alive) return driver;
      // The driver is gone: its processes ended with it; a fresh one takes the next process. Slots that
      // share it saw the same death: the first to ask replaces it, the others get the replacement.
      if (s.replaced !== driver) {
        s.replaced = driver;
        s.driver = launch(d, ++s.restarts);
        s.driver.catch(() => undefined);
      }
      return s.driver;
    });
  };
  return {
    description: spec.description,
    carryOn: spec.carryOn === true,
    open: (slot, processSpec) => new DriverClientProcess(processSpec, driverOf(slot), setup, (v) => versions.add(v)),
    transactionVersion: () => (versions.size === 0 ? null : versions.has(1) ? 1 : 2),
    close: async () => {
      await Promise.allSettled(drivers.map((s) => s.driver.then((d) => d.shutdown())));
    },
  };
}

class DriverClientProcess implements ClientProcess {
  readonly process: number;
  private opened: Promise<DriverProcess> | null = null;
  private ended = false;

  constructor(private readonly spec: ProcessSpec, private readonly driver: Promise<DriverProcess>, private readonly setup: ClientSetup, private readonly sawTxnVersion: (v: 1 | 2) => void, opened?: Promise<DriverProcess>) {
    this.process = spec.process;
    driver.catch(() => undefined);
    if (opened) {
      this.opened = opened;
      opened.catch(() => undefined);
    }
  }

  continueAs(process: number): ClientProcess {
    const from = this.process;
    const opened = (this.opened ?? this.open()).then(async (d) => {
      const reply = await d.request({ type: 'continue', process: from, new_process: process }, LOCAL_REPLY_MS);
      if (reply.type !== 'continue_ok') throw new DriverFailure(`${d.label} answered continue with ${describeReply(reply)}`);
      return d;
    });
    this.opened = null; // the client objects belong to the new process now: nothing to abandon here
    this.ended = true;
    return new DriverClientProcess({ ...this.spec, process }, this.driver, this.setup, this.sawTxnVersion, opened);
  }

  async execute(op: ProgramOp, invoked: ClientEvent['value']): Promise<OpResult> {
    let driver: DriverProcess | null = null;
    try {
      driver = await this.open();
      const reply = await driver.request({ type: 'invoke', process: this.process, deadline_ms: this.setup.opTimeoutMs, op }, this.setup.opTimeoutMs + DEADLINE_GRACE_MS);
      if (reply.type === 'error') throw new DriverFailure(`${driver.label} refused the op: ${describeReply(reply)}`);
      if (reply.type !== 'complete' || reply.process !== this.process) throw new ProtocolError(`invoke of process ${this.process} answered by ${JSON.stringify(reply).slice(0, 200)}`);
      // Only a transaction tells which version the client's transactions run under.
      if (reply.txn && (op.f === 'txn' || op.f === 'copy')) this.sawTxnVersion(reply.txn.version);
      // What the client held after the op rides along (tests read it; the history does not).
      return { ...opResultOf(reply, op, invoked, this.setup.keys.length), ...(reply.txn ? { txn: reply.txn } : {}) };
    } catch (error) {
      if (error instanceof ProtocolError) driver?.kill(`it broke the driver protocol: ${error.message}`);
      this.ended = true;
      const message = error instanceof ProtocolError ? `driver protocol error: ${error.message}` : `driver: ${(error as Error).message}`;
      // The harness cannot know what the driver did: an indeterminate outcome, and the process is over.
      return { type: 'info', value: op.f === 'crash' ? null : invoked, error: message.split('\n')[0]!.slice(0, 500), endProcess: true, fenced: false };
    }
  }

  async abandon(): Promise<void> {
    if (this.opened === null) return;
    const driver = await this.opened.catch(() => null);
    this.opened = null;
    this.ended = true;
    // Also after an `info`: the driver may still be running that op, and must let go of its clients.
    if (driver?.alive) await driver.request({ type: 'abandon', process: this.process }, LOCAL_REPLY_MS).catch(() => undefined);
  }

  private open(): Promise<DriverProcess> {
    if (this.ended) return Promise.reject(new DriverFailure(`process ${this.process} already ended`));
    this.opened ??= this.driver.then(async (d) => {
      const reply = await d.request({ type: 'open', process: this.process, transactional_id: this.spec.transactionalId, group_id: this.spec.groupId }, LOCAL_REPLY_MS);
      if (reply.type !== 'open_ok') throw new DriverFailure(`${d.label} answered open with ${describeReply(reply)}`);
      return d;
    });
    return this.opened;
  }
}
