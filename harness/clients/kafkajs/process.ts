// One client process against the real cluster: runs a program op with kafkajs and classifies the
// outcome exactly as the model runner does (harness/model-runner/README.md, "Client behaviour"):
// `ok` took effect, `fail` definitely did not, `info` unknown. The producer is created and initialized
// (InitProducerId fences older instances) before anything else the process does; the consumer is a
// KeyConsumer with positions of its own, fetching only when an op polls. The client never judges: it
// reports what Kafka answered.
import type { Kafka, Producer } from 'kafkajs';
import type { ClientEvent, Key, Offset, Value } from '../../../jepsen-style/history.ts';
import type { OpResult } from '../../model-runner/modelClient.ts';
import type { KeyPartition, PollMop, ProgramOp, SendMop } from '../../workload/program.ts';
import { classify, timeoutError, type Classified } from './errors.ts';
import { DeadlineExceeded, withDeadline } from '../deadline.ts';
import { KeyConsumer, type OffsetTopics, type Polled } from './key-consumer.ts';
import { TxnReads } from '../../workload/txnReads.ts';

type DoneMop = SendMop | PollMop | ['send', Key, [Offset | null, Value]] | ['poll', Polled];

export interface ClientSettings {
  kafka: Kafka;
  keys: readonly KeyPartition[];
  readUncommitted: boolean;
  idempotent: boolean;
  offsetsOutsideTxn: boolean;
  /** Copier output key of each input key. */
  copyTo: ReadonlyMap<Key, Key>;
  topicKeys: (keys: readonly Key[]) => Key[];
  /** A group's committed offset of a key (next offset to read), or undefined. */
  committedOffsets: (groupId: string) => Promise<Map<Key, Offset>>;
  opTimeoutMs: number;
  pollMs: number;
}

export class KafkaClientProcess {
  private producer: Producer | null = null;
  private producerReady = false;
  private readonly consumer: KeyConsumer;

  constructor(
    readonly process: number,
    private readonly transactionalId: string | null,
    private readonly groupId: string,
    private readonly s: ClientSettings,
  ) {
    this.consumer = new KeyConsumer({ kafka: s.kafka, keys: s.keys, readUncommitted: s.readUncommitted });
  }

  async execute(op: ProgramOp, invoked: ClientEvent['value']): Promise<OpResult> {
    const out: DoneMop[] = Array.isArray(invoked) ? ([...invoked] as DoneMop[]) : [];
    try {
      return await withDeadline(this.run(op, out), this.s.opTimeoutMs, op.f);
    } catch (error) {
      const c: Classified = error instanceof DeadlineExceeded ? timeoutError(error.ms, error.what) : classify(error);
      const value = op.f === 'assign' || op.f === 'subscribe' ? invoked : out;
      return { type: c.type, value, error: c.error, endProcess: c.endProcess || c.type === 'info', fenced: c.fenced };
    }
  }

  /** Tears the clients down without waiting for Kafka: the process is over, whatever state it was in. */
  abandon(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    return Promise.allSettled([producer?.disconnect(), this.consumer.close()]).then(() => undefined);
  }

  private async run(op: ProgramOp, out: DoneMop[]): Promise<OpResult> {
    if (this.transactionalId !== null && op.f !== 'crash') await this.ensureProducer();
    switch (op.f) {
      case 'assign':
      case 'subscribe': {
        const keys = op.f === 'assign' ? op.value : this.s.topicKeys(op.value);
        // Only transactional processes commit offsets (sendOffsets); other groups never hold any.
        const committed = this.transactionalId !== null ? await this.s.committedOffsets(this.groupId) : new Map<Key, Offset>();
        this.consumer.assign(keys, (k) => committed.get(k) ?? 0);
        return ok([...op.value]);
      }
      case 'crash':
        return { type: 'info', value: null, error: 'crash', endProcess: true, fenced: false };
      case 'poll':
        try {
          return ok([['poll', await this.consumer.poll(this.s.pollMs)]]);
        } catch (error) {
          // Nothing written and no position moved (they move only with returned records): a definite
          // failure, and the process can go on.
          return { type: 'fail', value: out, error: classify(error).error, endProcess: false, fenced: false };
        }
      case 'send':
        return this.send(op.value, out);
      case 'txn':
        return this.txn(op.value, op.abort, out, null);
      case 'copy':
        return this.txn([['poll']], op.abort, out, this.s.copyTo);
    }
  }

  private async ensureProducer(): Promise<Producer> {
    if (this.producer && this.producerReady) return this.producer;
    this.producer ??= this.s.kafka.producer({
      idempotent: this.s.idempotent,
      maxInFlightRequests: this.s.idempotent ? 1 : 5,
      ...(this.transactionalId !== null ? { transactionalId: this.transactionalId, transactionTimeout: 30_000 } : {}),
      // Back-to-back transactions meet CONCURRENT_TRANSACTIONS while the coordinator still writes the
      // previous markers (tens of ms; kafkajs#1315): retry soon and often rather than after 100+ ms.
      retry: { retries: 8, initialRetryTime: 20, maxRetryTime: 1_000 },
    });
    await this.producer.connect();
    if (this.transactionalId !== null) {
      // kafkajs' connect() takes a producer id *without* the transactional id (its idempotent manager);
      // the InitProducerId that fences older instances waits for the first transaction(). An empty
      // transaction makes it happen now, before this process reads any committed offsets, as
      // exactly-once requires (and the checker's zombie witnesses assume: the first op initialises).
      // Its abort sends nothing: kafkajs ends a transaction that touched nothing locally.
      await (await this.producer.transaction()).abort();
    }
    this.producerReady = true;
    return this.producer;
  }

  private async send(mops: SendMop[], out: DoneMop[]): Promise<OpResult> {
    const producer = await this.ensureProducer();
    for (const [i, [, k, v]] of mops.entries()) {
      try {
        const offset = await this.sendOne(producer, k, v);
        out[i] = ['send', k, [offset, v]];
      } catch (error) {
        out[i] = ['send', k, [null, v]];
        const c = classify(error);
        // Earlier sends of this op took effect: a later definite failure still leaves the op in doubt.
        return failed(i === 0 ? c.type : 'info', out, c);
      }
    }
    return ok(out);
  }

  private async txn(mops: Array<SendMop | PollMop>, abort: boolean, out: DoneMop[], copyTo: ReadonlyMap<Key, Key> | null): Promise<OpResult> {
    const producer = await this.ensureProducer();
    const reads = new TxnReads(copyTo);
    const { firstRead, nextOffset } = reads;
    const txn = await producer.transaction();
    let failure: Classified | null = null;
    for (let i = 0; i < out.length && failure === null; i++) {
      const mop = out[i]!;
      try {
        if (mop[0] === 'send') {
          const [, k, v] = mop as SendMop;
          out[i] = ['send', k, [null, v]];
          out[i] = ['send', k, [await this.sendOne(txn, k, v), v]];
          continue;
        }
        const { used, sends } = reads.take(await this.consumer.poll(this.s.pollMs), (k, o) => this.consumer.seek(k, o));
        out[i] = ['poll', used];
        out.push(...sends);
      } catch (error) {
        failure = classify(error);
      }
    }
    if (failure === null && nextOffset.size > 0) {
      try {
        const topics = this.offsetTopics(nextOffset);
        if (this.s.offsetsOutsideTxn) await this.consumer.commitOffsets(this.groupId, topics);
        else await txn.sendOffsets({ consumerGroupId: this.groupId, topics });
      } catch (error) {
        failure = classify(error);
        failure.error = `sendOffsets: ${failure.error}`;
      }
    }
    if (failure === null && !abort) {
      try {
        await txn.commit();
        return ok(out);
      } catch (error) {
        // The commit was attempted: only a definite failure is a definite abort. kafkajs is left in
        // COMMITTING either way (no abortable state), so the process is retired.
        await this.rollback(firstRead, copyTo !== null);
        const c = classify(error);
        return failed(c.type, out, { ...c, error: `commit: ${c.error}`, endProcess: true });
      }
    }
    let abortFailed = false;
    try {
      await txn.abort();
    } catch {
      abortFailed = true;
    }
    await this.rollback(firstRead, copyTo !== null);
    // Commit never attempted: nothing of this transaction can become visible, whatever the abort says.
    const base = failure ?? { type: 'fail' as const, error: 'aborted on purpose', endProcess: false, fenced: false };
    return failed('fail', out, { ...base, endProcess: base.endProcess || abortFailed });
  }

  private async sendOne(sender: Pick<Producer, 'send'>, key: Key, value: Value): Promise<Offset | null> {
    const kp = this.s.keys[key]!;
    const [meta] = await sender.send({
      topic: kp.topic, acks: -1,
      messages: [{ key: String(key), value: String(value), partition: kp.partition }],
    });
    const offset = meta?.baseOffset ?? meta?.offset;
    return offset === undefined || offset === null || Number(offset) < 0 ? null : Number(offset);
  }

  /** Jepsen's clients seek back to the first offset the op read; copiers rewind to committed offsets. */
  private async rollback(firstRead: ReadonlyMap<Key, Offset>, toCommitted: boolean): Promise<void> {
    if (!toCommitted) {
      for (const [k, o] of firstRead) this.consumer.seek(k, o);
      return;
    }
    const committed = await this.s.committedOffsets(this.groupId).catch(() => new Map<Key, Offset>());
    for (const k of this.consumer.keys) this.consumer.seek(k, committed.get(k) ?? 0);
  }

  private offsetTopics(offsets: ReadonlyMap<Key, Offset>): OffsetTopics {
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const [k, o] of offsets) {
      const kp = this.s.keys[k]!;
      byTopic.set(kp.topic, [...(byTopic.get(kp.topic) ?? []), { partition: kp.partition, offset: String(o) }]);
    }
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
  }
}

function ok(value: ClientEvent['value']): OpResult {
  return { type: 'ok', value, endProcess: false, fenced: false };
}

function failed(type: 'fail' | 'info', value: ClientEvent['value'], c: Classified): OpResult {
  return { type, value, error: c.error, endProcess: c.endProcess || type === 'info', fenced: c.fenced };
}
