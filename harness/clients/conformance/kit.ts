// The driver conformance kit: a fixed script of ops against a real cluster, with the outcomes every
// correct driver must report (docs/client-drivers.md, "Conformance kit"). It checks what the checker
// relies on and cannot check itself: offsets as Kafka assigned them, records read back in order, aborted
// data never returned, fencing after a second instance initialises, offsets committed with a
// transaction, and errors classified as Jepsen does (definite `fail`, indeterminate `info`). Each step
// says what it expected and what it got, so that a driver author can fix their driver from the message.
import type { ClientEvent, Key, Offset, Value } from '../../../jepsen-style/history.ts';
import type { KafkaCluster } from '../../cluster/cluster.ts';
import type { KeyPartition, ProgramOp } from '../../workload/program.ts';
import type { ClientKind, ClientProcess, ClientSetup, OpResult, RunClients } from '../client.ts';
import { invocationOf } from '../../workload/program.ts';
import { kafkajsKafka } from '../kafkajs/admin.ts';
import { PassThrough, type Writable } from 'node:stream';

export interface StepResult {
  name: string;
  ok: boolean;
  /** What went wrong, one sentence each, naming the op and the outcome; empty when ok. */
  problems: string[];
  ms: number;
}

export interface KitReport {
  client: string;
  passed: boolean;
  steps: StepResult[];
  /** The transaction version the driver saw (null: it did not say). */
  transactionVersion: 1 | 2 | null;
}

export interface KitOptions {
  cluster: KafkaCluster;
  /** Client library log lines; discarded when absent. */
  log?: Writable;
  /** Op deadline; the indeterminate step cuts the client off for longer than this. */
  opTimeoutMs?: number;
  progress?: (line: string) => void;
  /** Stop at the first failed step (a driver that hangs would otherwise wait out every op). */
  failFast?: boolean;
}

const OP_TIMEOUT_MS = 6_000;

/** Runs the fixed script; never throws for a driver's mistakes (they are failed steps), only for the harness' own. */
export async function runConformanceKit(kind: ClientKind, options: KitOptions): Promise<KitReport> {
  const prefix = `kit${Date.now().toString(36)}`;
  const keys: KeyPartition[] = [
    { key: 0, topic: `${prefix}-a`, partition: 0 },
    { key: 1, topic: `${prefix}-a`, partition: 1 },
    { key: 2, topic: `${prefix}-b`, partition: 0 },
    { key: 3, topic: `${prefix}-copy`, partition: 0 },
  ];
  const log = options.log ?? new PassThrough().resume();
  await createTopics(options.cluster, keys, log);
  keysOf.set(options.cluster, keys);
  const opTimeoutMs = options.opTimeoutMs ?? OP_TIMEOUT_MS;
  const setup: ClientSetup = {
    bootstrapServers: options.cluster.brokers, keys, copyTo: new Map([[2, 3]]), topicKeys: (k) => [...k],
    readCommitted: true, idempotent: true, offsetsOutsideTxn: false, opTimeoutMs, pollMs: 200, log,
  };
  await kind.prepare((line) => options.progress?.(line));
  const clients = await kind.start(setup, 2);
  const kit = new Kit(clients, prefix, opTimeoutMs);
  const steps: StepResult[] = [];
  try {
    for (const [name, step] of SCRIPT) {
      options.progress?.(`conformance: ${name}`);
      const started = Date.now();
      const problems = await step(kit, options.cluster).catch((error: unknown) => [`the step stopped: ${(error as Error).message}`]);
      steps.push({ name, ok: problems.length === 0, problems, ms: Date.now() - started });
      if (options.failFast && problems.length > 0) break;
    }
  } finally {
    await options.cluster.faults.heal().catch(() => undefined);
    await kit.close();
  }
  return { client: kind.description.label, passed: steps.every((s) => s.ok), steps, transactionVersion: clients.transactionVersion() };
}

async function createTopics(cluster: KafkaCluster, keys: KeyPartition[], log: Writable): Promise<void> {
  const admin = kafkajsKafka(cluster.brokers, log).admin();
  await admin.connect();
  try {
    const topics = [...new Set(keys.map((k) => k.topic))];
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: keys.filter((k) => k.topic === topic).length, replicationFactor: Math.min(3, cluster.nodes.length) })) });
  } finally {
    await admin.disconnect();
  }
}

type Polled = Record<string, Array<[Offset, Value]>>;

/** The script's bookkeeping: processes, and one op at a time with its outcome. */
class Kit {
  private nextProcess = 1;
  private readonly open: ClientProcess[] = [];
  private nextValue = 1;

  constructor(readonly clients: RunClients, readonly prefix: string, readonly opTimeoutMs: number) {}

  process(transactionalId: string | null, groupId = `${this.prefix}-g`, slot = 0): ClientProcess {
    const p = this.clients.open(slot, { process: this.nextProcess++, transactionalId: transactionalId && `${this.prefix}-${transactionalId}`, groupId });
    this.open.push(p);
    return p;
  }

  value(): Value {
    return this.nextValue++;
  }

  async run(p: ClientProcess, op: ProgramOp): Promise<OpResult & { ms: number }> {
    const started = Date.now();
    const invoked = invocationOf(op).value as ClientEvent['value'];
    const result = await p.execute(op, invoked);
    return { ...result, ms: Date.now() - started };
  }

  /** Polls until `want` says it has enough or `ms` passed; every poll must be ok. */
  async pollUntil(p: ClientProcess, want: (seen: Map<Key, Array<[Offset, Value]>>) => boolean, problems: string[], ms = 15_000): Promise<Map<Key, Array<[Offset, Value]>>> {
    const seen = new Map<Key, Array<[Offset, Value]>>();
    const until = Date.now() + ms;
    for (let i = 0; Date.now() < until && !want(seen); i++) {
      const r = await this.run(p, { f: 'poll', value: [['poll']] });
      if (r.type !== 'ok') {
        problems.push(`poll ${i + 1} completed ${describe(r)}; a poll of a healthy cluster is ok`);
        return seen;
      }
      for (const [k, pairs] of Object.entries(polledOf(r.value))) seen.set(Number(k), [...(seen.get(Number(k)) ?? []), ...pairs]);
    }
    return seen;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.open.map((p) => p.abandon()));
    await this.clients.close();
  }
}

const describe = (r: OpResult) => `${r.type}${r.error ? ` (${r.error})` : ''}${r.endProcess ? ', ending its process' : ''}${r.fenced ? ', fenced' : ''}`;

function polledOf(value: ClientEvent['value']): Polled {
  const out: Polled = {};
  for (const mop of (value ?? []) as unknown[]) {
    if (Array.isArray(mop) && mop[0] === 'poll' && typeof mop[1] === 'object' && mop[1] !== null) {
      for (const [k, pairs] of Object.entries(mop[1] as Polled)) out[k] = [...(out[k] ?? []), ...pairs];
    }
  }
  return out;
}

function sendOffsets(value: ClientEvent['value']): Array<Offset | null> {
  return ((value ?? []) as unknown[]).filter((m): m is [string, Key, [Offset | null, Value]] => Array.isArray(m) && m[0] === 'send' && Array.isArray(m[2])).map((m) => m[2][0]);
}

function expectOutcome(problems: string[], what: string, r: OpResult, type: OpResult['type'], extra: (r: OpResult) => string | null = () => null): boolean {
  if (r.type !== type) {
    problems.push(`${what}: expected ${type}, got ${describe(r)}`);
    return false;
  }
  const more = extra(r);
  if (more) problems.push(`${what}: ${more}`);
  return more === null;
}

type Step = (kit: Kit, cluster: KafkaCluster) => Promise<string[]>;

/** The fixed script, in order; later steps build on the records earlier ones wrote. */
export const SCRIPT: Array<[string, Step]> = [
  ['idempotent sends report the offsets Kafka assigned', async (kit) => {
    const problems: string[] = [];
    const p = kit.process(null);
    const v = [kit.value(), kit.value(), kit.value()];
    const r = await kit.run(p, { f: 'send', value: [['send', 0, v[0]!], ['send', 0, v[1]!], ['send', 1, v[2]!]] });
    expectOutcome(problems, 'send of three records to fresh partitions', r, 'ok', (x) =>
      JSON.stringify(sendOffsets(x.value)) === '[0,1,0]' ? null : `offsets ${JSON.stringify(sendOffsets(x.value))}, expected [0,1,0] (each partition starts at 0)`);
    return problems;
  }],
  ['a fresh reader polls the records back, in offset order', async (kit) => {
    const problems: string[] = [];
    const p = kit.process(null);
    expectOutcome(problems, 'assign [0, 1]', await kit.run(p, { f: 'assign', value: [0, 1] }), 'ok');
    const seen = await kit.pollUntil(p, (s) => (s.get(0)?.length ?? 0) >= 2 && (s.get(1)?.length ?? 0) >= 1, problems);
    const got = JSON.stringify([seen.get(0) ?? [], seen.get(1) ?? []]);
    if (got !== '[[[0,1],[1,2]],[[0,3]]]') problems.push(`polled ${got}; expected key 0: [[0,1],[1,2]] and key 1: [[0,3]]`);
    return problems;
  }],
  ['a committed transaction is visible; an aborted one never', async (kit) => {
    const problems: string[] = [];
    const t = kit.process('txn-a');
    const [a, b, aborted, c] = [kit.value(), kit.value(), kit.value(), kit.value()];
    const r1 = await kit.run(t, { f: 'txn', value: [['send', 0, a], ['send', 1, b]], abort: false });
    expectOutcome(problems, 'committed txn', r1, 'ok', (x) => (sendOffsets(x.value).every((o) => o !== null) ? null : 'a committed send without its offset'));
    const r2 = await kit.run(t, { f: 'txn', value: [['send', 0, aborted]], abort: true });
    expectOutcome(problems, 'txn aborted on purpose', r2, 'fail', (x) => (x.endProcess ? 'an acknowledged abort must not end the process' : null));
    const r3 = await kit.run(t, { f: 'txn', value: [['send', 0, c]], abort: false });
    expectOutcome(problems, 'committed txn after the abort (same process)', r3, 'ok');
    const reader = kit.process(null);
    await kit.run(reader, { f: 'assign', value: [0, 1] });
    const seen = await kit.pollUntil(reader, (s) => [a, b, c].every((v) => [...s.values()].flat().some(([, x]) => x === v)), problems);
    const values = [...seen.values()].flat().map(([, v]) => v);
    for (const v of [a, b, c]) if (!values.includes(v)) problems.push(`committed value ${v} was never polled`);
    if (values.includes(aborted)) problems.push(`value ${aborted} of an aborted transaction was polled: read_committed must filter it`);
    const offsets = (seen.get(0) ?? []).map(([o]) => o);
    if (offsets.some((o, i) => i > 0 && o <= offsets[i - 1]!)) problems.push(`key 0 polled out of offset order: ${JSON.stringify(offsets)}`);
    return problems;
  }],
  ['a second instance of a transactional id fences the first', async (kit) => {
    const problems: string[] = [];
    const old = kit.process('txn-z');
    const fenced = kit.value();
    expectOutcome(problems, 'first instance, first txn', await kit.run(old, { f: 'txn', value: [['send', 2, kit.value()]], abort: false }), 'ok');
    const young = kit.process('txn-z', undefined, 1);
    expectOutcome(problems, 'second instance, first txn', await kit.run(young, { f: 'txn', value: [['send', 2, kit.value()]], abort: false }), 'ok');
    const r = await kit.run(old, { f: 'txn', value: [['send', 2, fenced]], abort: false });
    expectOutcome(problems, 'first instance after the second initialised', r, 'fail', (x) =>
      (x.fenced && x.endProcess ? null : `a fenced producer must say fenced: true and end its process (got fenced ${x.fenced}, end_process ${x.endProcess})`));
    const reader = kit.process(null);
    await kit.run(reader, { f: 'assign', value: [2] });
    const seen = await kit.pollUntil(reader, (s) => (s.get(2)?.length ?? 0) >= 2, problems);
    if ((seen.get(2) ?? []).some(([, v]) => v === fenced)) problems.push(`value ${fenced}, sent by the fenced instance, was polled`);
    return problems;
  }],
  ['offsets committed with a transaction are where the next instance resumes', async (kit) => {
    const problems: string[] = [];
    const copier = kit.process('copier', `${kit.prefix}-copier`);
    expectOutcome(problems, 'copier assign [2]', await kit.run(copier, { f: 'assign', value: [2] }), 'ok');
    const r = await kit.run(copier, { f: 'copy', abort: false });
    let copied = 0;
    expectOutcome(problems, 'copy of key 2 to key 3', r, 'ok', (x) => {
      const polled = polledOf(x.value)['2'] ?? [];
      copied = polled.length;
      const sends = ((x.value ?? []) as unknown[]).filter((m) => Array.isArray(m) && m[0] === 'send') as Array<[string, Key, [Offset | null, Value]]>;
      if (polled.length === 0) return 'the copy polled nothing from key 2, which holds two committed records';
      if (sends.length !== polled.length || sends.some(([, k, [, v]], i) => k !== 3 || v !== polled[i]![1])) return `sends ${JSON.stringify(sends)} do not copy the polled ${JSON.stringify(polled)} to key 3 in order`;
      return null;
    });
    const next = kit.process('copier', `${kit.prefix}-copier`, 1);
    expectOutcome(problems, 'next copier instance assign [2]', await kit.run(next, { f: 'assign', value: [2] }), 'ok');
    const again = await kit.run(next, { f: 'copy', abort: false });
    const repolled = polledOf(again.value)['2'] ?? [];
    if (again.type === 'ok' && copied > 0 && repolled.length > 0) problems.push(`the next instance copied key 2 again from offset ${repolled[0]![0]}: the committed offsets were not used (or not committed)`);
    if (again.type !== 'ok') problems.push(`next instance's copy: expected ok, got ${describe(again)}`);
    return problems;
  }],
  ['a crash ends the process, info', async (kit) => {
    const problems: string[] = [];
    const r = await kit.run(kit.process(null), { f: 'crash', value: null });
    expectOutcome(problems, 'crash', r, 'info', (x) => (x.endProcess && x.value === null ? null : 'a crash ends its process with value null'));
    return problems;
  }],
  ['a send cut off from every broker is info, within the deadline', async (kit, cluster) => {
    const problems: string[] = [];
    const p = kit.process(null);
    // Initialised while the cluster answers: what follows is about the request cut off.
    expectOutcome(problems, 'send before the cut', await kit.run(p, { f: 'send', value: [['send', 1, kit.value()]] }), 'ok');
    await cluster.faults.isolateClient(cluster.nodes.map((n) => n.id));
    try {
      const r = await kit.run(p, { f: 'send', value: [['send', 1, kit.value()]] });
      expectOutcome(problems, 'send while the client is cut off from every broker', r, 'info', (y) => (y.endProcess ? null : 'info must end the process'));
      if (r.ms > kit.opTimeoutMs + 2_000) problems.push(`the send answered after ${r.ms} ms, past the ${kit.opTimeoutMs} ms deadline`);
    } finally {
      await cluster.faults.heal();
    }
    return problems;
  }],
  ['a commit cut off from the transaction coordinator is info (not a definite failure)', async (kit, cluster) => {
    const problems: string[] = [];
    const t = kit.process('txn-cut');
    expectOutcome(problems, 'txn before the cut', await kit.run(t, { f: 'txn', value: [['send', 1, kit.value()]], abort: false }), 'ok');
    const { coordinator, leaders } = await coordinatorAndLeaders(cluster, `${kit.prefix}-txn-cut`, [0, 1, 2]);
    const key = [0, 1, 2].find((k) => leaders.get(k) !== coordinator);
    if (key === undefined) return problems; // every partition led by the coordinator: nothing to cut apart
    const tv2 = kit.clients.transactionVersion() === 2;
    await cluster.faults.isolateClient([coordinator]);
    try {
      const r = await kit.run(t, { f: 'txn', value: [['send', key, kit.value()]], abort: false });
      // Under transaction version 2 the send reaches its leader (who registers the partition with the
      // coordinator itself), so the commit is sent and its outcome unknown: info. Under version 1 the
      // client's AddPartitionsToTxn is cut off first: the commit may never be attempted, so fail is right too.
      if (r.type === 'ok') problems.push(`txn whose EndTxn cannot reach the coordinator completed ok`);
      else if (tv2 && r.type !== 'info') problems.push(`txn whose commit was sent but never answered (transaction version 2): expected info, got ${describe(r)}`);
      if (!r.endProcess) problems.push('a txn that did not complete ok here must end its process');
      if (r.ms > kit.opTimeoutMs + 2_000) problems.push(`the txn answered after ${r.ms} ms, past the ${kit.opTimeoutMs} ms deadline`);
    } finally {
      await cluster.faults.heal();
    }
    return problems;
  }],
];

/**
 * The node coordinating `transactionalId` (leader of its __transaction_state partition: Java's
 * `Utils.abs(id.hashCode()) % partitions`), and the leader of each key's partition.
 */
async function coordinatorAndLeaders(cluster: KafkaCluster, transactionalId: string, keys: Key[]): Promise<{ coordinator: number; leaders: Map<Key, number> }> {
  const admin = kafkajsKafka(cluster.brokers, new PassThrough().resume()).admin();
  await admin.connect();
  try {
    const ks = keysOf.get(cluster) ?? [];
    const { topics } = await admin.fetchTopicMetadata({ topics: ['__transaction_state', ...new Set(ks.map((k) => k.topic))] });
    const state = topics.find((t) => t.name === '__transaction_state')!;
    let h = 0;
    for (let i = 0; i < transactionalId.length; i++) h = (Math.imul(31, h) + transactionalId.charCodeAt(i)) | 0;
    // Kafka's Utils.abs (not the sign-bit mask partitioners use): MIN_VALUE maps to 0.
    const partition = (h === -2147483648 ? 0 : Math.abs(h)) % state.partitions.length;
    const coordinator = state.partitions.find((p) => p.partitionId === partition)!.leader;
    const leaders = new Map<Key, number>();
    for (const k of keys) {
      const kp = ks[k];
      const leader = topics.find((t) => t.name === kp?.topic)?.partitions.find((p) => p.partitionId === kp?.partition)?.leader;
      if (leader !== undefined) leaders.set(k, leader);
    }
    return { coordinator, leaders };
  } finally {
    await admin.disconnect();
  }
}

/** The kit's key table per cluster (the coordinator step needs partition leaders). */
const keysOf = new WeakMap<KafkaCluster, KeyPartition[]>();
