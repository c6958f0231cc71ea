// The workload: program types, generation from a seed, program.json, and its invariants.
export * from './program.ts';
export { DEFAULT_OPTIONS, MAX_SEED, NEMESIS_FAMILIES, PARTITION_KINDS, resolveOptions } from './options.ts';
export type { ProgramOptions, ResolvedOptions } from './options.ts';
export { generateProgram, programArb, pacing, CLIENT_GROUP } from './generate.ts';
export { serializeProgram, parseProgram } from './serialize.ts';
export { programProblems } from './invariants.ts';
export { partitionGrouping } from './nemesis.arb.ts';
export { buildKeyspace } from './keyspace.ts';
export { programInfoOf } from './programInfo.ts';
export { writeProgramFile, readProgramFile } from './programFile.ts';
export { WorkerCursor, type Step, type StepOutcome } from './workerCursor.ts';
export { fullSize, shrinkablePrefix } from './shrinkable.ts';
