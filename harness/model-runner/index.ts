// The model runner: a program executed against the simulated cluster, recorded as model/history.jsonl.
export { runModel, type RunModelOptions, type RunModelResult, type RunProgress } from './runModel.ts';
export { RunStats } from './stats.ts';
