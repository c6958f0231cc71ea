// The leader-move family's pure parts: the election script's retry and exit, and where it may run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electionCandidates, laggingFollower, laggingFollowerMs, preferredElectionScript } from './leader-move.ts';

/** Runs the script with a fake Kafka tool that fails `failures` times, then succeeds. */
function runWithFakeTool(failures: number, tries: number): { code: number; output: string; calls: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elect-'));
  const counter = path.join(dir, 'calls');
  fs.writeFileSync(counter, '0');
  const tool = path.join(dir, 'kafka-run-class.sh');
  fs.writeFileSync(tool, `#!/bin/sh\nn=$(($(cat ${counter})+1)); echo $n > ${counter}\necho "args: $*"\n[ $n -gt ${failures} ] || { echo "1 replica(s) could not be elected"; exit 1; }\necho "Successfully completed leader election (PREFERRED)"\n`);
  fs.chmodSync(tool, 0o755);
  const script = preferredElectionScript('localhost:9092', [], tries, 0).replaceAll('/opt/kafka/bin/kafka-run-class.sh', tool);
  let code = 0;
  let output: string;
  try {
    output = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
  } catch (error) {
    code = (error as { status: number }).status;
    output = (error as { stdout: string }).stdout;
  }
  const calls = Number(fs.readFileSync(counter, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  return { code, output, calls };
}

describe('the preferred-leader election script', () => {
  it('asks Kafka\'s tool for a preferred election of every partition, and tries again while a replica is not in sync', () => {
    const r = runWithFakeTool(2, 5);
    expect(r).toMatchObject({ code: 0, calls: 3 });
    expect(r.output).toContain('elected on try 3');
    expect(r.output).toContain('org.apache.kafka.tools.LeaderElectionCommand --bootstrap-server localhost:9092 --election-type PREFERRED --all-topic-partitions');
  });

  it('fails, with the tool\'s last words, when no try elected every partition', () => {
    const r = runWithFakeTool(9, 3);
    expect(r).toMatchObject({ code: 1, calls: 3 });
    expect(r.output).toMatch(/no full preferred-leader election in 3 tries; the last said:\n.*\n1 replica\(s\) could not be elected/);
  });
});

it('waits for the started nodes\' listeners first, and bounds every try', () => {
  const script = preferredElectionScript('localhost:9092', ['kafka-2:9092']);
  expect(script).toMatch(/^i=0; until bash -c '<\/dev\/tcp\/kafka-2\/9092'/);
  expect(script).toContain('timeout 20 /opt/kafka/bin/kafka-run-class.sh');
});

describe('where the election runs', () => {
  it('on a live node that was up all along, else on any live one', () => {
    expect(electionCandidates([1, 2, 3], new Set([2]), [1])).toEqual([3]);
    expect(electionCandidates([1, 2, 3], new Set([2, 3]), [1])).toEqual([1]);
    expect(electionCandidates([1, 2, 3], new Set([1, 2, 3]), [])).toEqual([]);
  });
});

describe('the lagging follower knob', () => {
  it('is off unless set, and refuses what would get the follower fenced', () => {
    expect(laggingFollowerMs({})).toBe(0);
    expect(laggingFollowerMs({ KAFKA_EOS_LEADER_MOVE_LAG_MS: '1500' })).toBe(1500);
    expect(() => laggingFollowerMs({ KAFKA_EOS_LEADER_MOVE_LAG_MS: '9000' })).toThrow(/0 to 8000 \(a follower frozen 9 s is fenced\), got '9000'/);
    expect(() => laggingFollowerMs({ KAFKA_EOS_LEADER_MOVE_LAG_MS: 'soon' })).toThrow(/got 'soon'/);
  });

  it('is the next live node after the one shut down', () => {
    expect(laggingFollower([1, 2, 3], 3, new Set())).toBe(1);
    expect(laggingFollower([1, 2, 3], 1, new Set([2]))).toBe(3);
    expect(laggingFollower([1, 2, 3], 1, new Set([2, 3]))).toBeUndefined();
  });
});
