// The `none` fault backend: the harness breaks nothing. Faults, if any, come from the outside world
// (an operator, a chaos tool, the cluster's own weather); the history and the checks run as always. The
// command line refuses --nemesis with it, so a schedule only reaches `inject` through the library:
// the runner then records the op with this error, and the run goes on.
import type { NodeId } from '../workload/program.ts';
import { NO_FAULTS, type FaultBackend } from './backend.ts';

export function noFaults(nodeIds: NodeId[]): FaultBackend {
  return {
    name: 'none',
    nodeIds,
    inject: async (op) => {
      throw new Error(`the 'none' fault backend makes no faults (asked for ${op.f}); use --faults docker or ssh`);
    },
    heal: async () => undefined,
    seal: async () => undefined,
    describe: () => 'none (faults backend none)',
    state: () => NO_FAULTS,
    close: async () => undefined,
  };
}
