// The choices a run's settings are made of, kept free of heavy imports: the command line names them in
// its help before it loads any of the code that acts on them.
import type { Target } from './verdict-file.ts';

export const TARGETS: readonly Target[] = ['model', 'kafka', 'both'];

/** Ways `--mutate` breaks the client side on purpose (history-format.md §3). */
export const MUTATIONS = ['no-idempotence', 'read-uncommitted', 'offsets-outside-txn', 'unfenced-zombie'] as const;

/**
 * Workload presets. `endtxn-race` aims at KAFKA-17754 (a delayed EndTxn deciding the next transaction):
 * transactional workers only, back to back, half of them aborted on purpose (an abort turned into a
 * commit, or the reverse, is then visible), short ones, and unless --nemesis says otherwise, pauses
 * (a paused coordinator holds EndTxn requests) and client isolation (the client's requests wait in TCP).
 */
export const WORKLOADS = ['standard', 'endtxn-race'] as const;
export type Workload = (typeof WORKLOADS)[number];
