// Whether a check should use worker threads (reader-pool.ts, cycle-worker.ts). They pay only when a
// core is idle: on this project's 2-core machine under a Kafka cluster's load (load average 7-10),
// threads added 0.3-0.9 CPU s to a 400k-op check and no wall-clock gain, since the process gets
// its share of the CPU whatever its thread count. KAFKA_EOS_CHECK_THREADS=1 uses them for any
// input, 0 never (benchmarks compare both ways; the verdict corpus runs the threaded path on every
// history with 1).
import { availableParallelism, loadavg } from 'node:os';

/** Whether to use worker threads for a step whose input is `large` enough to repay starting them. */
export function threadsPay(large: boolean): boolean {
  const forced = process.env.KAFKA_EOS_CHECK_THREADS;
  if (forced === '1' || forced === '0') return forced === '1';
  const cores = availableParallelism();
  return large && cores > 1 && loadavg()[0]! < cores - 0.5;
}
