// One 60 s run per client under all four fault families (partition, kill, pause, leader-move), end to end through the command line: the
// same seed and fault schedule for kafkajs (with its known read_committed bug fixed, docs/bug-finding.md),
// the Java client and franz-go. Each must come out valid, complete, with its client, version and the
// transaction version it ran recorded in verdict.json and on the repro line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunVerdict } from '../../harness/run/verdict-file.ts';

const CLI = 'bin/kafka-eos.js';

describe('a 60 s run per client under partition, kill, pause and leader-move', () => {
  it.each([
    ['kafkajs', ['--client-fix', 'abort-filter'], 'kafkajs', 1],
    ['java', [], 'java@4.4.0', 2],
    ['franz-go', [], 'franz-go@v1.22.3', 2],
  ] as const)('%s: valid, its client and transaction version recorded', (client, extra, pinned, txnVersion) => {
    const out = join(mkdtempSync(join(tmpdir(), `kafka-eos-client-${client}-`)), 'run');
    const run = spawnSync('node', [CLI, 'run', '--seed', '2', '--target', 'kafka', '--time-limit', '60', '--nemesis', 'partition,kill,pause,leader-move',
      '--client', client, ...extra, '--out', out], { encoding: 'utf8' });
    const verdict = JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8')) as RunVerdict;
    expect({ status: run.status, outcome: verdict.outcome, anomalies: verdict.anomalyTypes }, run.stderr.slice(-2000)).toEqual({ status: 0, outcome: 'valid', anomalies: [] });
    expect(verdict).toMatchObject({ complete: true, clientName: client, clientTxnVersion: txnVersion });
    expect(verdict.histories.kafka!.verdict.stats.ok).toBeGreaterThan(100);
    if (client !== 'kafkajs') expect(verdict.repro).toContain(`--client ${pinned}`);
    expect(run.stdout).toContain(`repro:   ${verdict.repro}`);
  });
});
