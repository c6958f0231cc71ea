// The `abort-filter` client fix: on any partition log of interleaved transactions, and a fetch from any
// offset, it returns exactly the records of committed transactions, whatever order the broker lists the
// aborted transactions in. The same property finds a counterexample for kafkajs' stock filter, so the
// property can fail; and the fix really reaches kafkajs' Batch when installed before kafkajs loads.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedAbortFilter } from './client-fixes.ts';

const require = createRequire(import.meta.url);
type Filter = typeof fixedAbortFilter;
const stockFilter = require('kafkajs/src/consumer/filterAbortedMessages.js') as Filter;

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);

interface Entry { offset: string; key: Buffer | null; batchContext: { producerId: string; inTransaction: boolean }; committed: boolean }

/** A log from steps: each step lets one producer write a record (opening a transaction) or end its transaction. */
function logOf(steps: Array<{ producer: number; end: 'none' | 'commit' | 'abort' }>) {
  const log: Entry[] = [];
  const open = new Map<number, number[]>(); // producer -> offsets of its open transaction's records
  const aborted: Array<{ producerId: string; firstOffset: string; lastOffset: number }> = [];
  const end = (producer: number, how: 'commit' | 'abort') => {
    const records = open.get(producer);
    if (!records) return;
    open.delete(producer);
    for (const o of records) log[o]!.committed = how === 'commit';
    if (how === 'abort') aborted.push({ producerId: `P${producer}`, firstOffset: String(records[0]), lastOffset: log.length });
    log.push({ offset: String(log.length), key: how === 'abort' ? ABORT : COMMIT, batchContext: { producerId: `P${producer}`, inTransaction: true }, committed: true });
  };
  for (const { producer, end: how } of steps) {
    if (how !== 'none') { end(producer, how); continue; }
    if (!open.has(producer)) open.set(producer, []);
    open.get(producer)!.push(log.length);
    log.push({ offset: String(log.length), key: null, batchContext: { producerId: `P${producer}`, inTransaction: true }, committed: false });
  }
  for (const producer of [...open.keys()]) end(producer, 'abort');
  return { log, aborted };
}

const caseArb = fc.record({
  steps: fc.array(fc.record({ producer: fc.integer({ min: 0, max: 2 }), end: fc.constantFrom('none', 'none', 'commit', 'abort') as fc.Arbitrary<'none' | 'commit' | 'abort'> }), { minLength: 1, maxLength: 30 }),
  from: fc.nat(),
  shuffle: fc.boolean(),
});

/** What read_committed must return from `from` on: the committed records, never an aborted one. */
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function filtersExactly(filter: Filter, c: Case): boolean {
  const { log, aborted } = logOf(c.steps);
  const from = c.from % log.length;
  const fetched = log.slice(from);
  // The broker lists the aborted transactions that overlap the fetched range; the order is not promised.
  const listed = aborted.filter((t) => t.lastOffset >= from).map(({ producerId, firstOffset }) => ({ producerId, firstOffset }));
  if (c.shuffle) listed.reverse();
  const kept = filter({ messages: fetched, abortedTransactions: listed }).filter((m) => m.key === null).map((m) => m.offset);
  const expected = fetched.filter((m) => m.key === null && m.committed).map((m) => m.offset);
  return JSON.stringify(kept) === JSON.stringify(expected);
}

describe('client fix abort-filter', () => {
  it('returns exactly the committed records for any interleaving and fetch offset', () => {
    fc.assert(fc.property(caseArb, (c) => filtersExactly(fixedAbortFilter, c)), { numRuns: 500 });
  });

  it("the same property fails for kafkajs' stock filter (the bug the fix is for)", () => {
    const outcome = fc.check(fc.property(caseArb, (c) => filtersExactly(stockFilter, c)), { numRuns: 500, seed: 1 });
    expect(outcome.failed).toBe(true);
  });

  it('reaches kafkajs Batch when installed first, only while enabled', () => {
    const script = `
      import { installClientFixes, enableClientFixes } from './harness/kafka-runner/client-fixes.ts';
      import { createRequire } from 'node:module';
      installClientFixes();
      const Batch = createRequire(import.meta.url)('kafkajs/src/consumer/batch.js');
      const rec = (offset, producerId, key = null) => ({ offset: String(offset), key, batchContext: { producerId, inTransaction: true } });
      const partition = { partition: 0, highWatermark: '4', abortedTransactions: [{ producerId: 'A', firstOffset: '111' }, { producerId: 'B', firstOffset: '112' }],
        messages: [rec(112, 'B'), rec(113, 'A', Buffer.from([0, 0, 0, 0])), rec(114, 'B', Buffer.from([0, 0, 0, 0]))] };
      const kept = () => new Batch('t', '112', partition).messages.filter((m) => m.key === null).map((m) => m.offset);
      const stock = kept();
      enableClientFixes(['abort-filter']);
      const fixed = kept();
      enableClientFixes([]);
      console.log(JSON.stringify({ stock, fixed, stockAgain: kept() }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ stock: ['112'], fixed: [], stockAgain: ['112'] });
  });
});
