// The checker's public surface: read a history (streaming or in memory), check it, explain it.
export { checkHistory, checkOpTable, checkOpTableInParallel, findAnomalies, type CheckOptions, type Verdict } from './checker.ts';
export { JEPSEN_ANOMALIES, PROJECT_ANOMALIES, type Anomaly, type AnomalyType, type CycleStep } from './anomaly.ts';
export type { CopierInfo, ProgramInfo } from './program-info.ts';
export { HistoryFormatError, HistoryRules } from './rules.ts';
export { HistoryLineParser, parseHistoryText, readHistoryFile, type ReadSummary } from './reader.ts';
export { checkHistoryFile, type CheckFileOptions } from './check-file.ts';
export { replayAgainstModel, type Divergence, type ReplayOptions, type ReplayResult } from './conformance/replay.ts';
export { compareRuns, type KeyDifference, type OutcomeDifference, type RunComparison } from './conformance/compare-runs.ts';
export { ProgramFileError, programInfoOfJson, readProgramInfoFile } from './program-file.ts';
