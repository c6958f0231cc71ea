// History output shared by the model and Kafka runners.
export { realClock, LogicalClock, type Clock } from './clock.ts';
export { HistoryWriter, openHistory, type OpenHistoryOptions } from './writer.ts';
export { AckedOffsets } from './ackedOffsets.ts';
