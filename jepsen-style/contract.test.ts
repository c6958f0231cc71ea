// The contract's JSON Schemas (docs/contract/schemas) against real outputs: the histories, verdict.json
// and `check --json` of model runs, and the campaign.json of a model campaign, all made here by the
// library functions the commands call. The schemas must also refuse what the contract forbids, or they
// would prove nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCampaign } from '../harness/campaign/campaign.ts';
import { modelRunDir, smallRun, tempDir } from '../harness/repro/testing.ts';
import { checkHistoryFile } from './check-file.ts';
import { HistoryBuilder, poll, polled, send, sent } from './testing/history-builder.ts';

const SCHEMAS = path.resolve('docs/contract/schemas');
const schema = (name: string) => JSON.parse(readFileSync(path.join(SCHEMAS, name), 'utf8')) as { $id: string };

const ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false, allowUnionTypes: true, allErrors: true });
// RFC 3339 date-times, as toISOString writes them (Ajv itself ships no formats).
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
for (const name of ['history-event.schema.json', 'verdict.schema.json', 'campaign.schema.json']) ajv.addSchema(schema(name), name);
const validator = (ref: string): ValidateFunction => ajv.getSchema(ref)!;
const historyEvent = validator('history-event.schema.json');
const verdict = validator('verdict.schema.json');
const checkOutput = validator('verdict.schema.json#/$defs/checkerVerdict');
const campaign = validator('campaign.schema.json');

/** Validates and fails with the validator's own words. */
function valid(v: ValidateFunction, data: unknown, what: string): void {
  const ok = v(data);
  expect(ok ? [] : v.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), what).toEqual([]);
}

const jsonLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);

describe('real outputs match the contract schemas', () => {
  const runs: string[] = [];
  beforeAll(async () => {
    // A valid run and one whose client reads uncommitted data (G1a, precommitted-read).
    runs.push(await modelRunDir(smallRun(1)), await modelRunDir(smallRun(3, 'read-uncommitted')));
  }, 120_000);

  it('every line of the model histories is a history event', () => {
    for (const dir of runs) {
      const events = jsonLines(path.join(dir, 'model', 'history.jsonl'));
      expect(events.length).toBeGreaterThan(50);
      for (const [i, e] of events.entries()) valid(historyEvent, e, `${dir} line ${i + 1}`);
    }
  });

  it('verdict.json of a valid run and of a run with anomalies', () => {
    const verdicts = runs.map((dir) => JSON.parse(readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as { outcome: string });
    expect(verdicts.map((v) => v.outcome)).toEqual(['valid', 'anomalies']);
    for (const [i, v] of verdicts.entries()) valid(verdict, v, runs[i]!);
  });

  it('`check --json` output (what checkHistoryFile returns, as JSON)', async () => {
    for (const dir of runs) {
      const { verdict: v } = await checkHistoryFile(path.join(dir, 'model', 'history.jsonl'));
      valid(checkOutput, JSON.parse(JSON.stringify(v)), dir);
    }
  });

  it('campaign.json of a model campaign', async () => {
    const out = path.join(tempDir('contract-campaign'), 'c');
    await runCampaign({ seeds: [1, 3], run: smallRun(1, 'read-uncommitted'), outDir: out, args: ['--seeds', '1..3'], renderReport: async () => null });
    const c = JSON.parse(readFileSync(path.join(out, 'campaign.json'), 'utf8')) as { runs: unknown[] };
    expect(c.runs).toHaveLength(2);
    valid(campaign, c, 'campaign.json');
  }, 120_000);

  it('every shape a history may hold: txnId, unknown offsets (null, -1), null completions, nemesis events', () => {
    const h = new HistoryBuilder();
    h.op(0, 'ok', 'txn', [send(0, 1), poll()], [sent(0, null, 1), polled({ 1: [], 2: [[3, 4]] })], { txnId: 'copier-0' });
    h.op(1, 'info', 'send', [send(3, 5)], null, { error: 'timeout' });
    h.op(5, 'ok', 'send', [send(3, 6)], [sent(3, -1, 6)]);
    h.nemesis('start-partition', 'info', { grudge: { 1: [2, 3] } });
    h.op(2, 'fail', 'poll', [poll()], [poll()]);
    h.op(3, 'ok', 'assign', [0, 1]);
    h.op(3, 'ok', 'subscribe', []);
    h.invoke(4, 'crash', null);
    h.complete(4, 'info', null);
    for (const e of h.events) valid(historyEvent, e, JSON.stringify(e));
  });
});

describe('the schemas refuse what the contract forbids', () => {
  const ok = { index: 0, time: 0, process: 0, type: 'invoke', f: 'send', value: [['send', 0, 1]] };
  it.each([
    ['a missing field', { ...ok, time: undefined }],
    ['a value beyond 2^53 - 1', { ...ok, value: [['send', 0, 2 ** 53]] }],
    ['a process id beyond 2^53 - 1', { ...ok, process: 2 ** 60 }],
    ['a negative key', { ...ok, value: [['send', -1, 1]] }],
    ['a send offset of -2', { ...ok, type: 'ok', value: [['send', 0, [-2, 1]]] }],
    ['a poll in a send op', { ...ok, value: [['poll']] }],
    ['an offset in an invoke', { ...ok, value: [['send', 0, [1, 1]]] }],
    ['a polled key that is not decimal', { ...ok, type: 'ok', f: 'poll', value: [['poll', { x: [] }]] }],
    ['a crash with a value', { ...ok, f: 'crash', value: [] }],
    ['an unknown client f', { ...ok, f: 'produce' }],
    ['a client event without value', { index: 0, time: 0, process: 0, type: 'invoke', f: 'poll' }],
  ])('history event: %s', (_name, e) => {
    expect(historyEvent(JSON.parse(JSON.stringify(e)))).toBe(false);
  });

  it('verdict.json: valid must agree with the outcome, outcomes are the five, and a missing field is refused', () => {
    const dir = tempDir('contract-verdict');
    return modelRunDir(smallRun(1), dir).then(() => {
      const v = JSON.parse(readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as Record<string, unknown>;
      valid(verdict, v, 'as written');
      expect(verdict({ ...v, outcome: 'anomalies' })).toBe(false);
      expect(verdict({ ...v, valid: false, outcome: 'inconclusive', inconclusive: ['an unseen write without an attributed cause'] })).toBe(true);
      expect(verdict({ ...v, valid: false, outcome: 'maybe' })).toBe(false);
      expect(verdict(JSON.parse(JSON.stringify({ ...v, repro: undefined })))).toBe(false);
      expect(verdict({ ...v, harness: { version: '0.1.0', commit: 'unknown' } })).toBe(true);
      expect(verdict({ ...v, harness: { version: '0.1.0' } })).toBe(false);
      expect(verdict(JSON.parse(JSON.stringify({ ...v, harness: undefined })))).toBe(false);
    });
  }, 60_000);
});
