// One driver child process: spawns it, frames its stdout into lines, checks every line (protocol.ts),
// matches replies to requests, and turns everything that can go wrong (garbage, a missing field, an
// exit, silence) into a rejected request that names the driver and what it did, never a hang. The
// driver's stderr goes to kafka/client.log, and its last lines into those messages.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Writable } from 'node:stream';
import { decodeReply, encode, PROTOCOL_VERSIONS, ProtocolError, type ClientInfo, type InitRequest, type Reply, type Request, type Unnumbered } from './protocol.ts';

export interface DriverCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export class DriverFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverFailure';
  }
}

/** A longer line than this is not a protocol message (a poll's records are a few kB). */
const MAX_LINE = 64 << 20;
const STDERR_LINES_KEPT = 12;

/** Every live driver, so that none outlives the harness (exit, crash, Ctrl-C). */
const live = new Set<DriverProcess>();
process.once('exit', () => {
  for (const d of live) d.kill('the harness exited');
});

export class DriverProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; what: string }>();
  /** Requests the harness stopped waiting for: their late replies are dropped, not protocol errors. */
  private readonly givenUp = new Set<number>();
  private readonly stderrTail: string[] = [];
  private buffered = '';
  private death: DriverFailure | null = null;
  private readonly exited: Promise<void>;
  client: ClientInfo | null = null;
  protocolVersion = 0;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly label: string, private readonly log: Writable) {
    live.add(this);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.onStderr(chunk));
    child.stdin.on('error', () => undefined); // EPIPE after an exit: the exit handler says what happened
    this.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.die(`could not be started: ${error.message}`);
        resolve();
      });
      child.on('exit', (code, signal) => {
        this.die(code === 0 ? 'exited' : `exited with ${signal ?? `code ${code}`}`);
        resolve();
      });
    });
  }

  /** Spawns the driver and runs the init handshake; rejects (and leaves nothing running) if it fails. */
  static async start(cmd: DriverCommand, init: Omit<Unnumbered<InitRequest>, 'type' | 'protocol_versions'>, options: { label: string; log: Writable; timeoutMs: number }): Promise<DriverProcess> {
    const child = spawn(cmd.command, cmd.args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...cmd.env } });
    const driver = new DriverProcess(child, options.label, options.log);
    try {
      const reply = await driver.request({ type: 'init', protocol_versions: [...PROTOCOL_VERSIONS], ...init }, options.timeoutMs);
      if (reply.type !== 'init_ok') throw new DriverFailure(`${driver.label}: init answered ${describeReply(reply)}`);
      if (!(PROTOCOL_VERSIONS as readonly number[]).includes(reply.protocol_version)) {
        throw new DriverFailure(`${driver.label}: chose protocol version ${reply.protocol_version}, but the harness offered ${PROTOCOL_VERSIONS.join(', ')}`);
      }
      driver.client = reply.client;
      if (init.security && reply.protocol_version < 2) {
        throw new DriverFailure(`${driver.label}: chose protocol version ${reply.protocol_version}, which cannot carry --client-config (init's "security" needs version 2); update the driver`);
      }
      driver.protocolVersion = reply.protocol_version;
      return driver;
    } catch (error) {
      driver.kill('its init failed');
      throw error;
    }
  }

  get alive(): boolean {
    return this.death === null;
  }

  /** Why the driver is gone, once it is. */
  get failure(): DriverFailure | null {
    return this.death;
  }

  /**
   * Sends a request and waits at most `timeoutMs` for its reply. Rejects with a DriverFailure when the
   * driver is gone, breaks the protocol, or stays silent (the driver is then killed: a driver that
   * misses its own deadline cannot be trusted with the next op either).
   */
  request(request: Unnumbered<Request>, timeoutMs: number): Promise<Reply> {
    if (this.death) return Promise.reject(this.death);
    const id = this.nextId++;
    const what = `${request.type}${'process' in request ? ` (process ${request.process})` : ''}`;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.givenUp.add(id);
        reject(new DriverFailure(`${this.label}: no answer to ${what} within ${timeoutMs} ms${this.tail()}`));
        this.kill(`it did not answer ${what} within ${timeoutMs} ms`);
      }, timeoutMs);
      this.pending.set(id, {
        what,
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.child.stdin.write(encode({ ...request, msg_id: id } as Request));
    });
  }

  /** Asks the driver to exit, and kills it if it has not within `graceMs`. */
  async shutdown(graceMs = 3_000): Promise<void> {
    if (this.death === null) {
      this.request({ type: 'shutdown' }, graceMs).catch(() => undefined);
      this.child.stdin.end();
      const timer = setTimeout(() => this.kill('it did not exit after shutdown'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    live.delete(this);
  }

  kill(reason: string): void {
    this.die(`was stopped: ${reason}`);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    live.delete(this);
  }

  private die(how: string): void {
    if (this.death !== null) return;
    this.death = new DriverFailure(`${this.label} ${how}${this.tail()}`);
    for (const p of this.pending.values()) p.reject(this.death);
    this.pending.clear();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    live.delete(this);
  }

  private onStdout(chunk: string): void {
    this.buffered += chunk;
    for (let nl = this.buffered.indexOf('\n'); nl >= 0 && this.death === null; nl = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, nl).replace(/\r$/, '');
      this.buffered = this.buffered.slice(nl + 1);
      if (line.trim() !== '') this.onLine(line);
    }
    if (this.buffered.length > MAX_LINE) this.breakProtocol(new ProtocolError(`a stdout line longer than ${MAX_LINE} bytes`));
  }

  private onLine(line: string): void {
    let reply: Reply;
    try {
      reply = decodeReply(line);
    } catch (error) {
      this.breakProtocol(error as ProtocolError);
      return;
    }
    const waiting = this.pending.get(reply.in_reply_to);
    if (waiting === undefined) {
      if (this.givenUp.delete(reply.in_reply_to)) return;
      this.breakProtocol(new ProtocolError(`a ${reply.type} in reply to msg_id ${reply.in_reply_to}, which no request is waiting for`));
      return;
    }
    this.pending.delete(reply.in_reply_to);
    waiting.resolve(reply);
  }

  private breakProtocol(error: ProtocolError): void {
    this.log.write(`[${this.label}] protocol error: ${error.message}\n`);
    this.die(`broke the driver protocol (docs/client-drivers.md): ${error.message}`);
  }

  private onStderr(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      this.log.write(`[${this.label}] ${line}\n`);
      this.stderrTail.push(line.slice(0, 300));
      if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
    }
  }

  private tail(): string {
    return this.stderrTail.length > 0 ? `; its last stderr lines:\n    ${this.stderrTail.slice(-6).join('\n    ')}` : '';
  }
}

export function describeReply(reply: Reply): string {
  return reply.type === 'error' ? `error ${reply.code}: ${reply.text}` : reply.type;
}
