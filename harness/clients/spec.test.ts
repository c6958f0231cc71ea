// `--client` parsing, its place in the repro line, and the combined verdict of a multi-client run.
import { describe, expect, it } from 'vitest';
import { parseRunFlags } from '../cli/run.ts';
import { reproCommand } from '../run/settings.ts';
import type { RunVerdict } from '../run/verdict-file.ts';
import { combineVerdicts } from './compare.ts';
import { clientSpecificAnomalies, renderComparePage } from './compare-page.ts';
import { parseClientSpecs, recordedClients } from './spec.ts';

describe('--client', () => {
  it('reads names, versions and lists; franz-go versions get their v', () => {
    expect(parseClientSpecs('java')).toEqual([{ name: 'java', version: '4.4.0' }]);
    expect(parseClientSpecs('java@3.9.1,franz-go@1.22.1,kafkajs')).toEqual([
      { name: 'java', version: '3.9.1' }, { name: 'franz-go', version: 'v1.22.1' }, { name: 'kafkajs', version: 'installed' }]);
  });

  it('reads +carry-on for franz-go, and keeps it in the repro line', () => {
    expect(parseClientSpecs('franz-go@v1.22.1+carry-on')).toEqual([{ name: 'franz-go', version: 'v1.22.1', carryOn: true }]);
    const p = parseRunFlags('run', ['--target', 'kafka', '--client', 'franz-go@1.22.1+carry-on']);
    expect(reproCommand(p)).toContain('--client franz-go@v1.22.1+carry-on');
  });

  it.each([
    ['java+carry-on', /\+carry-on is for franz-go/],
    ['franz-go+retry', /unknown client mode '\+retry'/],
    ['rust', /unknown client 'rust'/],
    ['java@4.x', /'4.x' is not a java version/],
    ['kafkajs@2.2.4', /kafkajs takes no version/],
    ['java,java@4.4.0', /java@4.4.0 is named twice/],
    ['java@1@2', /unknown client/],
  ])('refuses %s before anything starts (exit 2)', (raw, message) => {
    expect(() => parseRunFlags('run', ['--client', raw, '--target', 'kafka'])).toThrow(message);
    try {
      parseRunFlags('run', ['--client', raw, '--target', 'kafka']);
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it('round-trips through the repro line with the version pinned', () => {
    const p = parseRunFlags('run', ['--seed', '4', '--target', 'kafka', '--client', 'java,franz-go@v1.22.1']);
    const line = reproCommand(p);
    expect(line).toContain('--client java@4.4.0,franz-go@v1.22.1');
    expect(parseRunFlags('run', line.split(' ').slice(3))).toEqual(p);
    expect(reproCommand(parseRunFlags('run', ['--target', 'kafka', '--client', 'kafkajs']))).not.toContain('--client');
  });

  it('refuses combinations that cannot apply', () => {
    expect(() => parseRunFlags('run', ['--target', 'model', '--client', 'java'])).toThrow(/--target model runs none/);
    expect(() => parseRunFlags('run', ['--target', 'kafka', '--client', 'franz-go', '--client-fix', 'abort-filter'])).toThrow(/fixes kafkajs bugs only/);
  });
});

const verdictOf = (client: string, name: string, anomalies: string[]): RunVerdict => ({
  valid: anomalies.length === 0, outcome: anomalies.length ? 'anomalies' : 'valid', complete: true, seed: 3, target: 'kafka', nemesis: ['kill'],
  mutate: null, txnVersion: 2, timeLimitSeconds: 20, kafkaVersion: '4.4.0', kafkaImage: null, client, clientName: name, clientVersion: '1',
  clientTxnVersion: name === 'kafkajs' ? 1 : 2, repro: 'npx kafka-eos run --seed 3', startedAt: '', durationSeconds: 30, histories: {},
  anomalyTypes: anomalies, divergences: [], inconclusive: [], harness: { version: '0', commit: 'x' },
} as RunVerdict);

describe('a multi-client verdict', () => {
  const combined = combineVerdicts([
    { dir: 'kafkajs', verdict: verdictOf('kafkajs 2.2.4', 'kafkajs', ['G1a', 'lost-write']) },
    { dir: 'java-4.4.0', verdict: verdictOf('java (kafka-clients) 4.4.0', 'java', ['lost-write']) },
  ]);

  it('is invalid when any client was, and marks an anomaly one client alone showed as that client\'s', () => {
    expect(combined).toMatchObject({ valid: false, outcome: 'anomalies', anomalyTypes: ['G1a', 'lost-write'] });
    expect(clientSpecificAnomalies(combined)).toEqual({ G1a: ['kafkajs 2.2.4'] });
    expect(recordedClients(combined)).toEqual([{ name: 'kafkajs', version: 'installed' }, { name: 'java', version: '1' }]);
    const page = renderComparePage(combined);
    expect(page).toContain("only kafkajs 2.2.4: the client's, not Kafka's");
    expect(page).toContain('every client (kafkajs 2.2.4, java (kafka-clients) 4.4.0)');
  });

  it('is valid only when every client was, and complete only when every client ran', () => {
    const ok = [{ dir: 'a', verdict: verdictOf('a', 'java', []) }, { dir: 'b', verdict: verdictOf('b', 'franz-go', []) }];
    expect(combineVerdicts(ok).valid).toBe(true);
    expect(combineVerdicts(ok.slice(0, 1), 2)).toMatchObject({ valid: false, complete: false });
  });
});
