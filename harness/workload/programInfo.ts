// The part of a program the checker needs beyond the history (jepsen-style/program-info.ts): which
// processes ran which copier, its keys and group. Both runners build it after a run, once they know
// the process ids each worker used and, if they can read them, the groups' committed offsets.
import type { CopierInfo, ProgramInfo } from '../../jepsen-style/program-info.ts';
import type { Program } from './program.ts';

/**
 * `workerProcesses[w]` lists the history process ids worker w ran as (in any order). Workers that share
 * a transactional id (the zombie pair) are one copier to the checker, with both instances' processes.
 */
export function programInfoOf(program: Program, workerProcesses?: ReadonlyArray<readonly number[]>, groupOffsets?: ProgramInfo['groupOffsets']): ProgramInfo {
  const copiers = new Map<string, CopierInfo>();
  for (const w of program.workers) {
    if (w.copier === null || w.transactionalId === null) continue;
    const info = copiers.get(w.transactionalId) ?? {
      transactionalId: w.transactionalId,
      group: w.groupId,
      inputKeys: w.copier.keyMap.map(([input]) => input),
      outputKeys: w.copier.keyMap.map(([, output]) => output),
      ...(workerProcesses ? { processes: [] as number[] } : {}),
    };
    info.processes?.push(...(workerProcesses?.[w.id] ?? []));
    copiers.set(w.transactionalId, info);
  }
  for (const c of copiers.values()) c.processes?.sort((a, b) => a - b);
  return { copiers: [...copiers.values()], ...(groupOffsets ? { groupOffsets } : {}) };
}
