// The nemesis' hands behind one interface, as Jepsen keeps its nemesis apart from how a fault is
// made: the runner plays a program's schedule through `inject`, records every op in the history
// itself (harness/kafka-runner/nemesis.ts), and `heal`s at the end; which backend does the work
// depends on where the cluster lives. `docker`: the harness' own containers; `ssh`: nodes named in a
// file, driven through command templates (Jepsen's control nodes, Trogdor's fault specs); `none`:
// faults come from the outside world, or not at all.
import type { NemesisOp, NodeId } from '../workload/program.ts';

export const FAULT_BACKENDS = ['docker', 'ssh', 'none'] as const;
export type FaultBackendName = (typeof FAULT_BACKENDS)[number];

/** What is broken right now; the run's progress line and forensics read it. */
export interface FaultState {
  partition: string | null;
  clientIsolated: NodeId[];
  killed: NodeId[];
  paused: NodeId[];
  /** Shut down gracefully by leader-move, not yet started again. */
  stopped: NodeId[];
}

export const NO_FAULTS: FaultState = { partition: null, clientIsolated: [], killed: [], paused: [], stopped: [] };

export interface FaultBackend {
  readonly name: FaultBackendName;
  /** The nodes faults can name (the program's node ids). */
  readonly nodeIds: NodeId[];
  /** Applies one nemesis op; throws when the fault could not be made (the runner records the error). */
  inject(op: NemesisOp): Promise<void>;
  /** Everything back to normal: partitions healed, paused nodes resumed, killed and shut-down nodes started. */
  heal(): Promise<void>;
  /** One line for people: what is broken now, or `none`. */
  describe(): string;
  state(): FaultState;
  /**
   * The run is ending (Ctrl-C, or its target closing): no fault starts after this, and it returns once the
   * one under way is made, so a `heal` after it heals everything. Without it, a pause the nemesis began
   * just before the heal landed after it, and the node stayed frozen (an ssh node, found by a test).
   */
  seal(): Promise<void>;
  /** Lets go of what the backend holds (connections, firewall chains); the faults must be healed first. */
  close(): Promise<void>;
}

export function describeState(s: FaultState): string {
  const parts = [
    s.partition ? `partition ${s.partition}` : '',
    s.clientIsolated.length ? `client cut from ${s.clientIsolated.join(',')}` : '',
    s.killed.length ? `killed ${s.killed.join(',')}` : '',
    s.paused.length ? `paused ${s.paused.join(',')}` : '',
    s.stopped.length ? `shut down ${s.stopped.join(',')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'none';
}
