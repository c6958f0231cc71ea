// One client process against the simulated cluster: runs a program op through the sim's client API
// and classifies the outcome the way the Kafka runner does (research/jepsen.md 1.4): `ok` took effect,
// `fail` definitely did not, `info` unknown. A txn is `fail` whenever its commit was never attempted or
// definitely failed, and `info` only when the commit itself is in doubt. After any op that did not
// commit, the consumer rolls back (see `rollback`).
import type { ClientEvent, Key, Offset, Value } from '../../jepsen-style/history.ts';
import type { Outcome, Sim } from '../../model/index.ts';
import { invocationOf, type PollMop, type ProgramOp, type SendMop } from '../workload/program.ts';
import { TxnReads } from '../workload/txnReads.ts';
import { END_PROCESS_ERROR, FENCED_ERROR } from '../workload/processErrors.ts';

type Polled = Record<string, Array<[Offset, Value]>>;
type DoneMop = SendMop | PollMop | ['send', Key, [Offset | null, Value]] | ['poll', Polled];

export interface ClientProcess {
  process: number;
  /** Sim client ids of this process's producer and consumer. */
  producer: string;
  consumer: string;
  transactionalId: string | null;
  groupId: string;
  producerReady: boolean;
}

export interface OpResult {
  type: 'ok' | 'fail' | 'info';
  value: ClientEvent['value'];
  error?: string;
  /** The process must be replaced even though the op may be `fail` (fenced, out of order, unknown state). */
  endProcess: boolean;
  /** The producer was fenced by a newer instance with its transactional id. */
  fenced: boolean;
}

export interface ClientBehaviour {
  readCommitted: boolean;
  /** The offsets-outside-txn mutation: a plain OffsetCommit instead of sendOffsets. */
  offsetsOutsideTxn: boolean;
  /** Copier output key of each input key (copiers only). */
  copyTo: ReadonlyMap<Key, Key>;
  /** Every key of the topics the given keys belong to (what a subscription to those topics covers). */
  topicKeys: (keys: readonly Key[]) => Key[];
}

const toPolled = (r: Record<Key, Array<[Offset, Value]>>): Polled =>
  Object.fromEntries(Object.entries(r).map(([k, pairs]) => [k, pairs.map(([o, v]): [Offset, Value] => [o, v])]));

function failed(type: 'fail' | 'info', value: ClientEvent['value'], error: string, endProcess = type === 'info'): OpResult {
  return { type, value, error, endProcess: endProcess || END_PROCESS_ERROR.test(error), fenced: FENCED_ERROR.test(error) };
}

export class ModelClient {
  constructor(private readonly sim: Sim, private readonly behaviour: ClientBehaviour) {}

  execute(proc: ClientProcess, op: ProgramOp): OpResult {
    // A transactional process initializes (and so fences every older instance of its transactional id)
    // before anything else, in particular before its consumer fetches the group's committed offsets:
    // otherwise a restarted copier re-reads input its predecessor is still committing.
    if (proc.transactionalId !== null && op.f !== 'crash') {
      const init = this.ensureProducer(proc);
      if (init.type !== 'ok') return failed(init.type, invocationOf(op).value, init.error, true);
    }
    switch (op.f) {
      case 'assign':
      case 'subscribe': {
        // The model has no group membership: a subscription is simulated as an assignment of every
        // partition of the subscribed topics, as a group's only member would get.
        const keys = op.f === 'assign' ? op.value : this.behaviour.topicKeys(op.value);
        this.sim.assign(proc.consumer, keys, { groupId: proc.groupId, readCommitted: this.behaviour.readCommitted });
        return { type: 'ok', value: [...op.value], endProcess: false, fenced: false };
      }
      case 'crash':
        return { type: 'info', value: null, error: 'crash', endProcess: true, fenced: false };
      case 'poll': {
        const r = this.sim.poll(proc.consumer);
        if (r.type !== 'ok') return failed(r.type, op.value, r.error);
        return { type: 'ok', value: [['poll', toPolled(r.value)]], endProcess: false, fenced: false };
      }
      case 'send':
        return this.send(proc, op.value);
      case 'txn':
        return this.txn(proc, op.value, op.abort, null);
      case 'copy':
        return this.txn(proc, [['poll']], op.abort, this.behaviour.copyTo);
    }
  }

  private ensureProducer(proc: ClientProcess): Outcome {
    if (proc.producerReady) return { type: 'ok', value: undefined };
    const r = this.sim.initProducer(proc.producer, proc.transactionalId === null ? {} : { transactionalId: proc.transactionalId });
    proc.producerReady = r.type === 'ok';
    return r.type === 'ok' ? r : { type: r.type, error: `initProducer: ${r.error}` };
  }

  private send(proc: ClientProcess, mops: SendMop[]): OpResult {
    const out: DoneMop[] = [...mops];
    const init = this.ensureProducer(proc);
    if (init.type !== 'ok') return failed(init.type, out, init.error, true);
    for (const [i, [, k, v]] of mops.entries()) {
      const r = this.sim.send(proc.producer, k, v);
      out[i] = ['send', k, [r.type === 'ok' ? r.value.offset : null, v]];
      // Earlier sends of this op took effect: a later definite failure still leaves the op in doubt.
      if (r.type !== 'ok') return failed(i === 0 ? r.type : 'info', out, r.error);
    }
    return { type: 'ok', value: out, endProcess: false, fenced: false };
  }

  /** A transaction of sends and polls; with `copyTo`, each polled value is also sent to its output key. */
  private txn(proc: ClientProcess, mops: Array<SendMop | PollMop>, abort: boolean, copyTo: ReadonlyMap<Key, Key> | null): OpResult {
    const out: DoneMop[] = [...mops];
    const reads = new TxnReads(copyTo);
    const { firstRead, nextOffset } = reads;
    const init = this.ensureProducer(proc);
    if (init.type !== 'ok') return failed(init.type, out, init.error, true);
    const begin = this.sim.beginTxn(proc.producer);
    if (begin.type !== 'ok') return failed(begin.type, out, begin.error);
    let failure: { type: 'fail' | 'info'; error: string } | null = null;
    for (let i = 0; i < out.length && failure === null; i++) {
      const mop = out[i]!;
      if (mop[0] === 'send') {
        const [, k, v] = mop as SendMop;
        const r = this.sim.txnSend(proc.producer, k, v);
        out[i] = ['send', k, [r.type === 'ok' ? r.value.offset : null, v]];
        if (r.type !== 'ok') failure = r;
        continue;
      }
      const r = this.sim.poll(proc.consumer);
      if (r.type !== 'ok') { failure = r; continue; }
      const { used, sends } = reads.take(toPolled(r.value), (k, o) => this.sim.seek(proc.consumer, k, o));
      out[i] = ['poll', used];
      out.push(...sends);
    }
    if (failure === null && nextOffset.size > 0) {
      const offsets = Object.fromEntries(nextOffset);
      const r = this.behaviour.offsetsOutsideTxn ? this.sim.commitOffsets(proc.groupId, offsets) : this.sim.sendOffsets(proc.producer, proc.groupId, offsets);
      if (r.type !== 'ok') failure = { type: r.type, error: `sendOffsets: ${r.error}` };
    }
    if (failure === null && !abort) {
      const r = this.sim.commitTxn(proc.producer);
      if (r.type === 'ok') return { type: 'ok', value: out, endProcess: false, fenced: false };
      // The commit itself was attempted: only its definite failure is a definite abort. Either way the
      // kafkajs producer is now stuck in COMMITTING (model/README.md), so the process is retired.
      this.rollback(proc, firstRead, copyTo !== null);
      return failed(r.type, out, `commit: ${r.error}`, true);
    }
    const a = this.sim.abortTxn(proc.producer);
    this.rollback(proc, firstRead, copyTo !== null);
    // Commit never attempted: nothing of this transaction can become visible, whatever the abort says.
    const error = failure?.error ?? 'aborted on purpose';
    return failed('fail', out, error, failure?.type === 'info' || a.type !== 'ok');
  }

  /**
   * Jepsen's clients seek back to the first offset the op read; a copier, like a real
   * consume-transform-produce loop, rewinds to its group's committed offsets instead.
   */
  private rollback(proc: ClientProcess, firstRead: ReadonlyMap<Key, Offset>, toCommitted: boolean): void {
    if (toCommitted) this.sim.rollback(proc.consumer);
    else for (const [k, o] of firstRead) this.sim.seek(proc.consumer, k, o);
  }
}
