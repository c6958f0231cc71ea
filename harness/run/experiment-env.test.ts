import { describe, expect, it } from 'vitest';
import { experimentEnvAssignments } from './experiment-env.ts';
import { reproCommand, type RunSettings } from './settings.ts';

const settings: RunSettings = {
  seed: 7, target: 'kafka', timeLimitSeconds: 60, nemesis: ['partition'], mutate: null, kafkaVersion: '4.4.0',
  txnVersion: 2, rateHz: undefined, workers: undefined, nemesisIntervalSeconds: undefined, out: undefined,
  clientFixes: [], workload: 'standard',
};

describe('the repro line carries the drivers\' experiment settings', () => {
  it('sets nothing when none is set, so ordinary repro lines stay as they were', () => {
    expect(reproCommand(settings, {})).toBe('npx kafka-eos run --seed 7 --target kafka --time-limit 60 --nemesis partition');
  });

  it('puts each set variable before the command, in a fixed order, blank ones left out', () => {
    const env = { KAFKA_EOS_JAVA_OPTS: '-XX:TieredStopAtLevel=1', KAFKA_EOS_CLIENT_CONFIG: 'producer.delivery.timeout.ms=2000', HOME: '/root' };
    expect(reproCommand(settings, env)).toBe('KAFKA_EOS_CLIENT_CONFIG=producer.delivery.timeout.ms=2000 '
      + 'KAFKA_EOS_JAVA_OPTS=-XX:TieredStopAtLevel=1 npx kafka-eos run --seed 7 --target kafka --time-limit 60 --nemesis partition');
    expect(experimentEnvAssignments({ KAFKA_EOS_CLIENT_CONFIG: '  ' })).toEqual([]);
    expect(experimentEnvAssignments({ KAFKA_EOS_LEADER_MOVE_LAG_MS: '1500' })).toEqual(['KAFKA_EOS_LEADER_MOVE_LAG_MS=1500']);
  });

  it('quotes a value a shell would split or expand', () => {
    expect(experimentEnvAssignments({ KAFKA_EOS_JAVA_OPTS: "-Xmx256m -Dx='$HOME'" }))
      .toEqual([`KAFKA_EOS_JAVA_OPTS='-Xmx256m -Dx='\\''$HOME'\\'''`]);
  });
});
