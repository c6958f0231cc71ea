// A worker thread for the cycle search (checker.ts `checkOpTableInParallel`): the dependency graph
// and its searches are the largest share of a check after reading, and need nothing from the other
// detectors, so they run here while the main thread runs those. The op table arrives in shared
// memory (analysis/columns.ts); the version orders are rebuilt here (cheaper than sending them).
import { parentPort, workerData } from 'node:worker_threads';
import type { OpTable } from './analysis/ops.ts';
import { buildVersions } from './analysis/versions.ts';
import { cycleCases } from './graph/cycle-cases.ts';

export interface CycleWorkerData { table: OpTable; maxPerType: number }

const { table, maxPerType } = workerData as CycleWorkerData;
parentPort!.postMessage(cycleCases(table, buildVersions(table), { maxPerType }));
