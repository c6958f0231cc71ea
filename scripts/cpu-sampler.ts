// CPU time used so far by the harness' Kafka nodes (Docker's per-container counters) and by one local
// process (/proc, Linux only), so that a benchmark can say where a run's cores went: the brokers or the
// harness. Two samples give cores used and CPU milliseconds per completed op over the window between.
// The machine's own counters (/proc/stat) say whether its cores were full: if they were, the rate is
// the machine's, not the client's, and ops/s ÷ busy share is what these cores can do with this op mix.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dockerode } from '../harness/docker/engine.ts';
import { LABEL } from '../harness/docker/labels.ts';

export interface CpuSample {
  at: number;
  /** Summed over the labelled Kafka node containers, in seconds; nodes that left since are missing. */
  brokerSeconds: number;
  /**
   * User + system time of the process and every process below it (driver JVMs and Go binaries, live
   * or exited and reaped), in seconds, or null where /proc is not available.
   */
  processSeconds: number | null;
  completedOps: number;
  /**
   * The same tree's live threads by process and thread name, digits folded ("java/C2 CompilerThread#",
   * "node/node", "driver/driver"), in seconds: where the harness' share went (JIT, the clients' network
   * threads, GC, the protocol). Threads that ended between two samples are missing from the difference.
   */
  threads: Map<string, number>;
  /** Whole machine, in seconds summed over cores (/proc/stat), or null where it is not available. */
  machine: { busy: number; total: number; steal: number } | null;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

export async function sampleCpu(pid: number, completedOps: number): Promise<CpuSample> {
  const docker = await dockerode();
  const nodes = await docker.listContainers({ filters: { label: [`${LABEL.role}=node`] } });
  let broker = 0;
  for (const n of nodes) {
    const stats = await docker.getContainer(n.Id).stats({ stream: false }) as { cpu_stats: { cpu_usage: { total_usage: number } } };
    broker += stats.cpu_stats.cpu_usage.total_usage / 1e9;
  }
  return { at: Date.now(), brokerSeconds: broker, processSeconds: processTreeCpuSeconds(pid), completedOps, threads: threadsOfTree(pid), machine: machineCpuSeconds() };
}

function machineCpuSeconds(): CpuSample['machine'] {
  try {
    // cpu  user nice system idle iowait irq softirq steal ...
    // guest and guest_nice (after steal) are already counted in user and nice: summing them counts twice.
    const jiffies = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = jiffies.reduce((a, b) => a + b, 0);
    const idle = jiffies[3]! + jiffies[4]!;
    return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS, steal: (jiffies[7] ?? 0) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** utime, stime, cutime and cstime (children that exited and were reaped) of every process, by pid, with its parent. */
function allProcesses(): Map<number, { ppid: number; seconds: number }> {
  const out = new Map<number, { ppid: number; seconds: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name (which may hold spaces): ppid is the 2nd; utime, stime, cutime, cstime the 12th to 15th.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { ppid: Number(f[1]), seconds: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLOCK_TICKS });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function processTreeCpuSeconds(pid: number): number | null {
  try {
    const procs = allProcesses();
    if (!procs.has(pid)) return null;
    let total = 0;
    const queue = [pid];
    while (queue.length > 0) {
      const p = queue.pop()!;
      total += procs.get(p)?.seconds ?? 0;
      for (const [child, info] of procs) if (info.ppid === p) queue.push(child);
    }
    return total;
  } catch {
    return null;
  }
}

function treeOf(pid: number): number[] {
  const procs = allProcesses();
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.pop()!;
    out.push(p);
    for (const [child, info] of procs) if (info.ppid === p) queue.push(child);
  }
  return out;
}

/** utime + stime of every live thread of the tree, summed by "process name/thread name" with digits folded to #. */
export function threadsOfTree(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const p of treeOf(pid)) {
      let procName = '?';
      try {
        procName = readFileSync(`/proc/${p}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        try {
          const stat = readFileSync(`/proc/${p}/task/${tid}/stat`, 'utf8');
          const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+/g, '#');
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const key = `${procName}/${name}`;
          out.set(key, (out.get(key) ?? 0) + (Number(f[11]) + Number(f[12])) / CLOCK_TICKS);
        } catch {
          // the thread ended while we looked
        }
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

/** "java/C2 CompilerThread# 31 %, java/kafka-producer-network-thread | kafka-eos-p# 20 %, ..." of the harness' CPU between a and b. */
export function describeThreads(a: CpuSample, b: CpuSample, top = 8): string {
  const diff = [...b.threads].map(([k, v]) => [k, v - (a.threads.get(k) ?? 0)] as const).filter(([, v]) => v > 0).sort((x, y) => y[1] - x[1]);
  const total = diff.reduce((sum, [, v]) => sum + v, 0);
  if (total === 0) return 'n/a';
  return diff.slice(0, top).map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)} %`).join(', ');
}

/**
 * "brokers 1.10 cores (9.5 ms/op), harness 0.30 cores (2.6 ms/op), 120 ops/s; machine 2 cores 97 %
 * busy (steal 0 %): 124 ops/s with all cores busy" over the window between a and b.
 */
export function describeCpu(a: CpuSample, b: CpuSample): string {
  const seconds = (b.at - a.at) / 1000;
  const ops = Math.max(1, b.completedOps - a.completedOps);
  const part = (name: string, x: number | null, y: number | null) => x === null || y === null
    ? `${name} n/a`
    : `${name} ${((y - x) / seconds).toFixed(2)} cores (${((1000 * (y - x)) / ops).toFixed(1)} ms/op)`;
  const rate = ops / seconds;
  const line = `${part('brokers', a.brokerSeconds, b.brokerSeconds)}, ${part('harness', a.processSeconds, b.processSeconds)}, ${rate.toFixed(0)} ops/s`;
  if (a.machine === null || b.machine === null) return line;
  const total = b.machine.total - a.machine.total;
  const busy = (b.machine.busy - a.machine.busy) / total;
  const steal = (b.machine.steal - a.machine.steal) / total;
  return `${line}; machine ${cpus().length} cores ${(100 * busy).toFixed(0)} % busy (steal ${(100 * steal).toFixed(0)} %): ${(rate / busy).toFixed(0)} ops/s with all cores busy`;
}
