// The formal model's public surface: the simulated cluster (createSim) for runners and checkers, and the
// machines themselves for properties and coverage. See model/README.md.
export { createSim } from './sim.ts';
export type { ClientModel, FaultEvent, ModelVariant, Outcome, Sim, SimConfig, SimInspection, StepObserver, TxnView } from './sim.types.ts';
export type { ClientRequest, InFlight, Message, Protocol } from './network.ts';
export type { Delivery } from './schedule.ts';
export { BROKER_RULES } from './broker-rules.ts';
export type { BrokerRule } from './broker-rules.ts';
export type {
  AbortedTxn, BatchMetadata, KafkaError, Key, LogEntry, Offset, ProducerStateEntry, TxnPartition, TxnState, TxnVersion, Value,
} from './types.ts';
export { TXN_STATES, NUM_BATCHES_TO_RETAIN, dataPartition, groupPartition, keyOfPartition } from './types.ts';
export { partitionMachine, highWatermark, lastStableOffset } from './partition.machine.ts';
export type { PartitionContext, PartitionEvent, PartitionReply } from './partition.machine.ts';
export { coordinatorMachine } from './coordinator.machine.ts';
export { completeTransit, endTxnVerdict, fenceTransit } from './coordinator.rules.ts';
export type { Transit } from './coordinator.rules.ts';
export type { CoordinatorContext, CoordinatorEvent, CoordinatorReply } from './coordinator.machine.ts';
export { producerMachine, MAX_RETRIES } from './producer.machine.ts';
export { javaProducerMachine } from './java-producer.machine.ts';
export type { ProducerContext, ProducerEvent } from './producer.machine.ts';
export { consumerMachine } from './consumer.machine.ts';
export type { ConsumerContext, ConsumerEvent } from './consumer.machine.ts';
export { groupMachine } from './group.machine.ts';
export type { GroupContext, GroupEvent } from './group.machine.ts';
export { fetchFrom, isAbortedRecord } from './fetch.ts';
export type { FetchResult } from './fetch.ts';
