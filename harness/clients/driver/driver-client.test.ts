// The driver boundary against hand-made bad drivers (testing/fake-driver.mjs): whatever a driver does
// wrong (garbage on stdout, a missing field, an invented value, an exit or silence mid-op), the op is
// `info`, its process ends, the slot gets a fresh driver, and nothing waits past the deadline + grace.
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientSetup, RunClients } from '../client.ts';
import type { ProgramOp } from '../../workload/program.ts';
import { CliError } from '../../cli/exit-codes.ts';
import { DEADLINE_GRACE_MS, driverClient } from './driver-client.ts';

const FAKE = fileURLToPath(new URL('./testing/fake-driver.mjs', import.meta.url));

function setup(opTimeoutMs = 2_000): ClientSetup & { logged: () => string } {
  const log = new PassThrough();
  let text = '';
  log.on('data', (c: Buffer) => { text += c.toString(); });
  return {
    bootstrapServers: ['localhost:1'], keys: [{ key: 0, topic: 't0', partition: 0 }, { key: 1, topic: 't0', partition: 1 }],
    copyTo: new Map(), topicKeys: (k) => [...k], readCommitted: true, idempotent: true, offsetsOutsideTxn: false,
    opTimeoutMs, pollMs: 100, log, logged: () => text,
  };
}

/** A client whose slot drivers run `modes[slot]` (the same mode again after a restart). */
function fakeClient(mode: string) {
  return driverClient({
    description: { name: 'java', version: '0.0.1', label: `fake ${mode}` },
    prepare: async () => undefined,
    command: () => ({ command: process.execPath, args: [FAKE, mode] }),
  });
}

const send: ProgramOp = { f: 'send', value: [['send', 0, 10], ['send', 1, 11]] };
let running: RunClients | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

async function runOne(mode: string, op: ProgramOp = send, opTimeoutMs?: number) {
  running = await fakeClient(mode).start(setup(opTimeoutMs), 1);
  const p = running.open(0, { process: 4, transactionalId: null, groupId: 'g' });
  const started = Date.now();
  const result = await p.execute(op, op.f === 'copy' ? [['poll']] : op.value);
  return { result, ms: Date.now() - started, p };
}

describe('driver boundary', () => {
  it('a correct driver: ok with the offsets it reported, and the transaction version it saw', async () => {
    const { result } = await runOne('good');
    expect(result).toMatchObject({ type: 'ok', value: [['send', 0, [0, 10]], ['send', 1, [1, 11]]], endProcess: false, fenced: false });
    // A plain send says nothing of the client's transactions (KafkaProducer settles its version when one begins).
    expect(running!.transactionVersion()).toBeNull();
    await running!.close();
    const txn = await runOne('good', { f: 'txn', value: [['send', 0, 10]], abort: false });
    expect(txn.result.type).toBe('ok');
    expect(running!.transactionVersion()).toBe(2);
  });

  it('a definite failure passes through as the driver classified it', async () => {
    const { result } = await runOne('fail-definite');
    expect(result).toMatchObject({ type: 'fail', error: 'PRODUCER_FENCED: fenced', endProcess: true, fenced: true });
  });

  it.each([
    ['garbage', /broke the driver protocol \(docs\/client-drivers.md\): not a JSON line: "Exception in thread/],
    ['missing-field', /"end_process" must be true or false/],
    ['wrong-value', /must send value 10 to key 0/],
    ['exit-mid-op', /exited with code 3; its last stderr lines:/],
  ])('%s: the op is info, the process ends, the slot restarts its driver', async (mode, error) => {
    const { result, p } = await runOne(mode);
    expect(result.type).toBe('info');
    expect(result.endProcess).toBe(true);
    expect(result.value).toEqual(send.value); // the invocation stands: nothing the driver said is believed
    expect(result.error).toMatch(error);
    await p.abandon();
    // The slot's next process runs on a fresh driver: an assign (which the wrong-value driver answers
    // right) is ok; the other broken drivers break again, and the error names the restarted driver.
    const next = running!.open(0, { process: 5, transactionalId: null, groupId: 'g' });
    const again = await next.execute({ f: 'assign', value: [0] }, [0]);
    if (mode === 'wrong-value') expect(again.type).toBe('ok');
    else expect(again.error).toMatch(/slot 0, restart 1/);
  });

  it('a driver that hangs: info after the deadline plus the grace, not later', async () => {
    const { result, ms } = await runOne('hang', send, 300);
    expect(result).toMatchObject({ type: 'info', endProcess: true });
    expect(result.error).toMatch(/no answer to invoke \(process 4\) within 3300 ms/);
    expect(ms).toBeLessThan(300 + DEADLINE_GRACE_MS + 1_000);
  });

  it('a driver that offers no common protocol version: exit 3 before anything runs, with its words', async () => {
    const error = await fakeClient('bad-version').start(setup(), 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(3);
    expect((error as CliError).message).toMatch(/fake bad-version driver did not start: .*error unsupported-protocol: I speak version 99 only, offered 1/);
  });

  it('a driver that prints logs on stdout fails its start, saying stdout is for protocol messages', async () => {
    const error = await fakeClient('noisy-stdout').start(setup(), 1).catch((e: unknown) => e);
    expect((error as CliError).message).toMatch(/not a JSON line: "SLF4J: No logger found" \(stdout is for protocol messages only; logs go to stderr\)/);
  });

  it('slots that share a driver: one driver process serves them all, and one restart replaces it for all', async () => {
    running = await driverClient({
      description: { name: 'java', version: '0.0.1', label: 'fake shared' }, slotsPerDriver: 3,
      prepare: async () => undefined, command: () => ({ command: process.execPath, args: [FAKE, 'exit-mid-op'] }),
    }).start(setup(), 3);
    // Both ops meet the same driver, which exits mid-op: both are info, both name the one driver of slots 0,1,2.
    const [a, b] = await Promise.all([0, 2].map((slot) => running!.open(slot, { process: 10 + slot, transactionalId: null, groupId: 'g' }).execute(send, send.value)));
    for (const r of [a!, b!]) expect(r).toMatchObject({ type: 'info', endProcess: true, error: expect.stringMatching(/driver \(slots 0,1,2\) exited with code 3/) });
    // The slots' next processes share one fresh driver: restart 1 for both, not restart 1 and 2.
    const again = await Promise.all([0, 1].map((slot) => running!.open(slot, { process: 20 + slot, transactionalId: null, groupId: 'g' }).execute(send, send.value)));
    for (const r of again) expect(r.error).toMatch(/slots 0,1,2, restart 1\)/);
  });

  it('a client that carries on: the next process goes on in the same driver, with no open', async () => {
    running = await driverClient({
      description: { name: 'fake', version: '0', label: 'fake carrying on' }, carryOn: true,
      prepare: async () => undefined, command: () => ({ command: process.execPath, args: [FAKE, 'good'] }),
    }).start(setup(), 1);
    expect(running.carryOn).toBe(true);
    const first = running.open(0, { process: 4, transactionalId: null, groupId: 'g' });
    await first.execute(send, send.value);
    const next = first.continueAs!(9);
    expect(next.process).toBe(9);
    // The fake numbers offsets per driver process: a fresh driver would start again at 0.
    const r = await next.execute(send, send.value);
    expect(r.value).toEqual([['send', 0, [2, 10]], ['send', 1, [3, 11]]]);
  });

  it('close leaves no driver process behind, hung ones included', async () => {
    const fakes = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('fake-driver.mjs hang'));
    running = await fakeClient('hang').start(setup(200), 3);
    const p = running.open(1, { process: 9, transactionalId: null, groupId: 'g' });
    void p.execute(send, send.value); // left hanging in the driver
    expect(fakes()).toHaveLength(3);
    await running.close();
    running = null;
    expect(fakes()).toEqual([]);
  });
});
