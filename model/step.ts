// Pure stepping without xstate's per-call setup. `transition(machine, snapshot, event)` builds a throwaway
// actor for every call (createInertActorScope), which costs more than the step itself; here that inert
// scope is built once per machine and reused. It only receives actions, and every action of the model is
// an `assign` that xstate applies inside the transition, so the result is exactly `transition`'s.
import {
  type AnyActorScope, type AnyStateMachine, type EventFromLogic, type InputFrom, type SnapshotFrom, createActor,
} from 'xstate';

export interface Stepper<M extends AnyStateMachine> {
  initial(input: InputFrom<M>): SnapshotFrom<M>;
  step(snapshot: SnapshotFrom<M>, event: EventFromLogic<M>): SnapshotFrom<M>;
}

const noop = () => {};

export function stepperFor<M extends AnyStateMachine>(machine: M, sampleInput: InputFrom<M>): Stepper<M> {
  const self = createActor(machine, { input: sampleInput });
  const scope = {
    self, defer: noop, id: '', logger: noop, sessionId: '', stopChild: noop, system: self.system, emit: noop,
    actionExecutor: noop,
  } as unknown as AnyActorScope;
  return {
    initial: (input) => machine.getInitialSnapshot(scope, input) as SnapshotFrom<M>,
    step: (snapshot, event) => machine.transition(snapshot, event, scope) as SnapshotFrom<M>,
  };
}
