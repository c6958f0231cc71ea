// The hanging-transaction detector: while the run goes on, Kafka's admin client (java/KafkaForensics
// `watch`, on the host JVM) lists every open transaction every few seconds, from both sides: the
// partitions (DescribeProducers) and the coordinators (ListTransactions, DescribeTransactions). Each
// poll is kept in kafka/open-transactions.jsonl; the OpenTransactionTracker decides what hangs.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { OpenTransactionTracker, type HangingSettings, type OpenProducer } from './hanging.ts';
import { spawnTool, type KafkaTools } from './jvm.ts';
import type { TransactionView } from './snapshot.ts';

export interface WatchPoll {
  atMs: number;
  producers: OpenProducer[];
  transactions: TransactionView[];
  partitions: string[];
  unanswered: string[];
  listedBy: number[];
  errors: string[];
  tookMs: number;
}

export interface DetectorOptions {
  bootstrap: string;
  topics: string[];
  intervalMs: number;
  settings: HangingSettings;
  /** Where each poll is appended, one JSON line each. */
  logPath: string;
  /** Number of brokers: a poll where all of them listed their transactions is complete. */
  brokers: number;
  /** Whether no fault is active now (the nemesis' state); default: always. */
  faultFree?: () => boolean;
}

export class HangingDetector {
  readonly tracker: OpenTransactionTracker;
  private readonly child: ChildProcess;
  private readonly log: fs.WriteStream;
  private polls = 0;
  private lastError: string | null = null;
  private readonly exited: Promise<void>;
  /** CPU seconds of the watch JVM, measured when it was stopped. */
  cpu: number | null = null;

  constructor(tools: KafkaTools, readonly options: DetectorOptions) {
    this.tracker = new OpenTransactionTracker(options.settings);
    this.log = fs.createWriteStream(options.logPath, { flags: 'a' });
    this.child = spawnTool(tools, ['watch', '--bootstrap', options.bootstrap, '--topics', options.topics.join(','),
      '--interval-ms', String(options.intervalMs), '--timeout-ms', String(Math.max(1_000, options.intervalMs - 500))]);
    this.child.stderr?.resume();
    const lines = readline.createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => this.onLine(line));
    this.exited = new Promise((resolve) => this.child.once('close', () => resolve()));
    this.child.once('error', (e) => { this.lastError = e.message; });
  }

  private onLine(line: string): void {
    if (!line.startsWith('{')) return;
    this.log.write(`${line}\n`);
    try {
      const poll = JSON.parse(line) as WatchPoll;
      this.tracker.observe({
        atMs: poll.atMs, producers: poll.producers, transactions: poll.transactions,
        answered: new Set(poll.partitions.filter((p) => !poll.unanswered.includes(p))),
        allCoordinatorsListed: poll.listedBy.length >= this.options.brokers,
        faultFree: this.options.faultFree?.() ?? true,
      });
      this.polls++;
    } catch (error) {
      this.lastError = `unreadable poll: ${(error as Error).message}`;
    }
  }

  get pollCount(): number {
    return this.polls;
  }

  get error(): string | null {
    return this.lastError;
  }

  /** CPU seconds the watch JVM used so far (Linux /proc; null elsewhere or once it is gone). */
  cpuSeconds(): number | null {
    try {
      const fields = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ 100)
    } catch {
      return null;
    }
  }

  /** Ends the watch (closing its stdin ends the JVM) and waits for its last lines. */
  async stop(): Promise<void> {
    this.cpu ??= this.cpuSeconds();
    this.child.stdin?.end();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await this.exited;
    clearTimeout(killer);
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
