import { describe, expect, it } from 'vitest';
import { extraJvmFlags } from './java.ts';

describe('the Java driver JVM flags for experiments (KAFKA_EOS_JAVA_OPTS)', () => {
  it('are split on any whitespace, empty pieces dropped', () => {
    expect(extraJvmFlags({ KAFKA_EOS_JAVA_OPTS: '  -XX:TieredStopAtLevel=1\t-Xmx256m  ' }))
      .toEqual(['-XX:TieredStopAtLevel=1', '-Xmx256m']);
  });

  it('are none when the variable is unset or blank', () => {
    expect(extraJvmFlags({})).toEqual([]);
    expect(extraJvmFlags({ KAFKA_EOS_JAVA_OPTS: '   ' })).toEqual([]);
  });
});
