// CPU time used so far by the harness' Kafka nodes (Docker's per-container counters) and by one local
// process (/proc, Linux only), so that a benchmark can say where a run's cores went: the brokers or the
// harness. Two samples give cores used and CPU milliseconds per completed op over the window between.
import { readFileSync } from 'node:fs';
import { dockerode } from '../harness/docker/engine.ts';
import { LABEL } from '../harness/docker/labels.ts';

export interface CpuSample {
  at: number;
  /** Summed over the labelled Kafka node containers, in seconds; nodes that left since are missing. */
  brokerSeconds: number;
  /** The process' user + system time in seconds, or null where /proc is not available. */
  processSeconds: number | null;
  completedOps: number;
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
  return { at: Date.now(), brokerSeconds: broker, processSeconds: processCpuSeconds(pid), completedOps };
}

function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** "brokers 1.10 cores (9.5 ms/op), harness 0.30 cores (2.6 ms/op)" over the window between a and b. */
export function describeCpu(a: CpuSample, b: CpuSample): string {
  const seconds = (b.at - a.at) / 1000;
  const ops = Math.max(1, b.completedOps - a.completedOps);
  const part = (name: string, x: number | null, y: number | null) => x === null || y === null
    ? `${name} n/a`
    : `${name} ${((y - x) / seconds).toFixed(2)} cores (${((1000 * (y - x)) / ops).toFixed(1)} ms/op)`;
  return `${part('brokers', a.brokerSeconds, b.brokerSeconds)}, ${part('harness', a.processSeconds, b.processSeconds)}, ${(ops / seconds).toFixed(0)} ops/s`;
}
