// Events a history cannot show, fired by the replay only when an answer needs them (replay.ts):
// - an abandoned process's InitProducerId that lands late: a process whose first op did not complete (or
//   whose transactional id is only guessed) may have fenced the current instance at any moment after it
//   was invoked, within the late-effect window (kafkajs keeps retrying after the runner gave up);
// - a transaction the coordinator aborts on timeout: no earlier than the producer's transaction.timeout.ms
//   after the op began (the cleanup task runs every few seconds, so Kafka's abort falls in a window);
// - the end of an `info` op's transaction: its commit where its writes were read, else its abort (by a
//   timeout, or by its own client, whose code goes on after the runner stopped waiting), placed where a
//   reader or a newer instance needs it.
// Each is tried on a fork of the model and kept only when the model then gives Kafka's answer.
import type { ModelAnswer, ModelSide } from './replay-model.ts';
import type { ReplayOrder } from './replay-order.ts';
import type { Unit } from './replay-plan.ts';

export interface Explainer {
  /** The model coordinators' transaction timeout (ms). */
  modelTimeoutMs: number;
  /** Parked units whose transaction committed and whose commit has not landed yet. */
  pendingCommits: Set<number>;
  units: readonly Unit[];
  runs: Array<{ next: number; done: boolean; endDemanded: boolean; fired: number; demandedBy: number }>;
  order: ReplayOrder;
  window: { timeoutMs: number; lateMs: number };
  explanations: string[];
  ms: (ns: number) => number;
  model: ModelSide;
  /** Called when the replay completes a unit out of its turn. */
  onDone: (j: number) => void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** The end of a transaction whose client stopped hearing: its answer is not known. */
const unheardEnd = (commit: boolean) => ({
  kind: 'end' as const, commit,
  // Stryker disable next-line ObjectLiteral,StringLiteral: the model does not read a step's answer (replay-model.ts run)
  answer: { kind: 'unknown' as const },
});
/** An abandoned InitProducerId lands at most this often: the runner's kafkajs retries it 8 times (kafka-client.ts). */
const MAX_LANDINGS = 9;

/**
 * InitProducerIds of `transactionalId` that may have landed by `at` (ms), latest invoked first: optional
 * ones (an abandoned process's, within the late-effect window) and certain ones not replayed yet (a newer
 * instance invoked while the op ran: its init may have come first).
 */
function lateInits(x: Explainer, transactionalId: string, at: number, earliest: number, lateMs = x.window.lateMs): number[] {
  // Stryker disable next-line ArrayDeclaration: called with an op's own transactional id, which lists the op
  return (x.order.byTransactionalId.get(transactionalId) ?? [])
    .filter((j) => {
      const u = x.units[j]!, r = x.runs[j]!;
      if (u.kind !== 'start' || r.fired >= MAX_LANDINGS || x.ms(u.invokeTime) > at) return false;
      return u.optional ? x.ms(u.invokeTime) + lateMs >= earliest : r.next === 0;
    })
    .sort((a, b) => x.units[b]!.invokeTime - x.units[a]!.invokeTime);
}

/** The start unit (InitProducerId) of op i's process for `transactionalId`, if it has one. */
function ownStart(x: Explainer, i: number, transactionalId: string): Unit | undefined {
  const p = x.units[i]!.process;
  // Stryker disable next-line ArrayDeclaration: called with op i's own transactional id, which lists op i
  const j = (x.order.byTransactionalId.get(transactionalId) ?? []).find((k) => x.units[k]!.kind === 'start' && x.units[k]!.process === p && !x.units[k]!.alternative);
  // Stryker disable next-line ConditionalExpression: x.units[undefined] is undefined too
  return j === undefined ? undefined : x.units[j];
}

/**
 * Another instance's InitProducerId the replay already ran before op i's own, although the two were under
 * way at once (each answered after the other was invoked): the history fixes neither order, and the replay
 * took the one of completion. Kafka fencing op i says the other landed last; firing it again where op i is
 * answered puts it there (its process gets the newer epoch it had all along: it was answered first).
 */
function overlappingInits(x: Explainer, own: Unit | undefined, transactionalId: string): number[] {
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration: every process attributed a transactional id has its start (replay-plan.ts planUnits)
  if (own === undefined) return [];
  // Stryker disable next-line ArrayDeclaration: own's transactional id lists own
  return (x.order.byTransactionalId.get(transactionalId) ?? []).filter((j) => {
    const z = x.units[j]!, r = x.runs[j]!;
    return z.kind === 'start' && z.process !== own.process && !z.optional && r.next > 0 && r.fired < MAX_LANDINGS
      && z.time >= own.invokeTime && z.invokeTime <= own.time;
  }).sort((a, b) => x.units[b]!.invokeTime - x.units[a]!.invokeTime);
}

function fireInit(x: Explainer, m: ModelSide, j: number): void {
  const u = x.units[j]!;
  m.init(u.process, u.transactionalId);
}

/** Records that start unit j ran (out of its turn, or as an optional event). */
function markFired(x: Explainer, j: number): void {
  const r = x.runs[j]!;
  r.fired++;
  if (!x.units[j]!.optional) { r.next = 1; r.done = true; x.onDone(j); }
}

/**
 * Kafka answered `fenced` where the model did not: a late InitProducerId or a timeout abort may explain it.
 * Returns `explained` (and keeps the explanation), a sentence when only an InitProducerId older than the
 * late-effect window would explain it (then the replay cannot decide), or `no`.
 */
export function explainFenced(x: Explainer, i: number, before: ModelSide, run: (m: ModelSide) => ModelAnswer): 'explained' | 'no' | string {
  const u = x.units[i]!;
  const txnId = u.transactionalId;
  if (txnId === undefined) return 'no';
  const fenced = (a: ModelAnswer) => a.kind === 'error' && a.cls === 'fenced';
  const found = tryFences(x, i, txnId, before, run, fenced);
  if (found) return 'explained';
  for (const j of lateInits(x, txnId, x.ms(u.time), x.ms(u.invokeTime), Infinity)) {
    const m = before.fork();
    fireInit(x, m, j);
    if (!fenced(run(m))) continue;
    const z = x.units[j]!;
    return `Kafka answered op ${u.index} (process ${u.process}) as fenced; only process ${z.process}'s InitProducerId for ${txnId}, invoked ${seconds(x.ms(u.invokeTime) - x.ms(z.invokeTime))} earlier (${z.type}), explains it, longer after its invoke than a request is taken to stay in flight (${seconds(x.window.lateMs)})`;
  }
  return 'no';
}

function tryFences(
  x: Explainer, i: number, txnId: string, before: ModelSide, run: (m: ModelSide) => ModelAnswer, fenced: (a: ModelAnswer) => boolean,
): boolean {
  const u = x.units[i]!;
  // Certain inits first (both happened, only their order was open), then the ones that may have happened.
  const own = ownStart(x, i, txnId);
  for (const j of overlappingInits(x, own, txnId)) {
    const m = before.fork();
    if (m.reinit(x.units[j]!.process, txnId) === null || !fenced(run(m))) continue;
    x.model = m;
    x.runs[j]!.fired++;
    const z = x.units[j]!;
    x.explanations.push(`process ${z.process}'s InitProducerId for ${txnId} (invoked at ${seconds(x.ms(z.invokeTime))}, answered at ${seconds(x.ms(z.time))}) landed after process ${own!.process}'s (invoked at ${seconds(x.ms(own!.invokeTime))}, answered at ${seconds(x.ms(own!.time))}): the two were under way at once, and only that order fences op ${u.index}`);
    return true;
  }
  for (const j of lateInits(x, txnId, x.ms(u.time), x.ms(u.invokeTime))) {
    const m = before.fork();
    fireInit(x, m, j);
    if (!fenced(run(m))) continue;
    x.model = m;
    markFired(x, j);
    const z = x.units[j]!;
    x.explanations.push(`process ${z.process}'s InitProducerId for ${txnId} (invoked at ${seconds(x.ms(z.invokeTime))}, ${z.type}) landed after the start of op ${u.index} and fenced process ${u.process}`);
    return true;
  }
  const c = before.coordinator(txnId);
  const due = c === null ? Infinity : c.txnStartTick + x.window.timeoutMs - 1_000;
  if (c !== null && c.state === 'Ongoing' && x.ms(u.time) >= due) {
    const m = before.fork();
    m.advanceTo(due);
    m.sim.fault({ type: 'transactionTimeout', transactionalId: txnId });
    if (fenced(run(m))) {
      x.model = m;
      x.explanations.push(`the coordinator aborted ${txnId}'s transaction on timeout before op ${u.index} (process ${u.process}) was answered`);
      return true;
    }
  }
  return false;
}

/** Whether unit i's producer still has its transaction open at the coordinator. */
function stillOpen(x: Explainer, i: number): boolean {
  const u = x.units[i]!;
  const c = x.model.coordinator(u.transactionalId!);
  const p = x.model.sim.producer(x.model.clientOf(u.process, u.transactionalId));
  return c !== null && p !== undefined && c.state === 'Ongoing' && c.producerId === p.context.producerId && c.epoch === p.context.producerEpoch;
}

/**
 * Ends a parked `info` op's transaction where a reader or a newer instance needs it. Returns false when
 * nothing the run can have done ends it yet (the caller waits).
 */
export function endFloatingTxn(x: Explainer, i: number): boolean {
  const u = x.units[i]!;
  // Only a transaction's unit has an end step, and every transaction has an id (attribution.ts).
  const txnId = u.transactionalId!;
  if (u.committed) {
    // Its writes were read, so its commit landed: the client's own EndTxn, at some time after its invoke.
    x.model.run(u.process, txnId, true, unheardEnd(true));
    return true;
  }
  if (!stillOpen(x, i)) return true;
  const by = x.runs[i]!.demandedBy;
  const due = x.ms(u.invokeTime) + x.window.timeoutMs;
  if (due <= by) {
    x.model.advanceTo(due);
    if (stillOpen(x, i)) x.model.sim.fault({ type: 'transactionTimeout', transactionalId: txnId });
    x.explanations.push(`op ${u.index} (process ${u.process}, info txn) was aborted by its coordinator on timeout (due ${seconds(due)})`);
    return true;
  }
  // The runner stops waiting for an op at its deadline, but the op's code goes on (harness/kafka-runner/
  // kafka-client.ts): once its stuck request fails it aborts the transaction. That abort may land any time.
  x.model.run(u.process, txnId, true, unheardEnd(false));
  if (stillOpen(x, i)) return false;
  x.explanations.push(`op ${u.index} (process ${u.process}, info txn) was aborted by its own client after the runner gave up on it, before ${seconds(by)}`);
  return true;
}

/**
 * Before the model's time reaches `atMs`: the commit of a parked op whose transaction Kafka committed (its
 * records were read) lands before its coordinator would have aborted it on timeout. Kafka committed it, so
 * its EndTxn arrived while the transaction was still open: at the latest just before the timeout, however
 * late the reader that needs it comes (a client whose commit timed out may still have been heard).
 */
export function landCommitsDue(x: Explainer, atMs: number): void {
  for (const i of x.pendingCommits) {
    const u = x.units[i]!, r = x.runs[i]!;
    // Stryker disable next-line BlockStatement,CallExpression: only keeps the set short: a done unit's transaction has ended, so stillOpen skips it below
    if (r.done) { x.pendingCommits.delete(i); continue; }
    if (!stillOpen(x, i)) continue;
    const due = x.model.coordinator(u.transactionalId!)!.txnStartTick + x.modelTimeoutMs - 1;
    if (due > atMs) continue;
    x.model.advanceTo(due);
    endFloatingTxn(x, i);
    r.next = u.steps.length;
    r.done = true;
    x.onDone(i);
    // Stryker disable next-line CallExpression: the next pass deletes it (done)
    x.pendingCommits.delete(i);
    x.explanations.push(`op ${u.index} (process ${u.process}, ${u.type} txn) committed before its transaction timed out (by ${seconds(due)}); its records were read later`);
  }
}

/**
 * Kafka answered CONCURRENT_TRANSACTIONS where the model did not: a newer instance's InitProducerId may have
 * started fencing the transaction (its abort not yet in the log) just before this request arrived. Tried
 * with that fence's follow-ups held; the newer instance's init still runs in its own turn later.
 */
export function explainConcurrent(x: Explainer, i: number, before: ModelSide, run: (m: ModelSide) => ModelAnswer): boolean {
  const u = x.units[i]!;
  const txnId = u.transactionalId;
  if (txnId === undefined) return false;
  for (const j of lateInits(x, txnId, x.ms(u.time), x.ms(u.invokeTime))) {
    const z = x.units[j]!;
    if (z.process === u.process) continue;
    const m = before.fork();
    m.hold(txnId, true);
    fireInit(x, m, j);
    const a = run(m);
    if (a.kind !== 'error' || a.cls !== 'concurrent') continue;
    x.model = m;
    if (z.optional) x.runs[j]!.fired++;
    x.explanations.push(`process ${z.process}'s InitProducerId for ${txnId} was fencing the transaction when op ${u.index} (process ${u.process}) arrived`);
    return true;
  }
  return false;
}
