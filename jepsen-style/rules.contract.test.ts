// The history contract's rules (docs/contract/history-format.md §1, /work/shared/history-format.md), one
// by one, on the validator itself (rules.ts): what each broken rule is refused with (the line, the rule
// and the fix, word for word: the message is what a user reads), what the contract allows and must not
// be refused, and the fast path (`acceptClient`, for events the scanner already read) agreeing with the
// general one on every sequence of invokes and completions.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { HistoryFormatError, HistoryRules, got } from './rules.ts';

type Raw = Record<string, unknown>;
const UNSAFE = 'beyond 2^53 - 1 = 9007199254740991, the largest integer a JSON reader holds exactly (larger ones are rounded, so two different ones could be taken for the same): renumber them';

/** Events as the file lists them, with index and time filled in order; lines are 1-based plus `first`. */
function events(...partial: Raw[]): Raw[] {
  return partial.map((e, i) => ({ index: i, time: 10 * i, ...e }));
}
const inv = (process: unknown, f: string, value: unknown, extra: Raw = {}): Raw => ({ process, type: 'invoke', f, value, ...extra });
const done = (process: unknown, type: string, f: string, value: unknown, extra: Raw = {}): Raw => ({ process, type, f, value, ...extra });

/** The message the validator refuses the events with (undefined: accepted), from line `first` on. */
function refusal(list: Raw[], first = 1): string | undefined {
  const rules = new HistoryRules();
  try {
    list.forEach((e, i) => rules.accept(e, first + i));
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryFormatError);
    expect((error as HistoryFormatError).name).toBe('HistoryFormatError');
    return (error as Error).message;
  }
  return undefined;
}

const sendInvoke = inv(0, 'send', [['send', 0, 1]]);
const pollInvoke = inv(0, 'poll', [['poll']]);
const completedPoll = (polled: unknown) => events(pollInvoke, done(0, 'ok', 'poll', [['poll', polled]]));

describe('a broken rule is refused with its line, the rule and the fix', () => {
  const cases: [string, Raw[] | unknown[], string][] = [
    ['not an object', [[1, 2]], 'line 1: an event must be a JSON object'],
    ['null', [null], 'line 1: an event must be a JSON object'],
    ['a string', ['event'], 'line 1: an event must be a JSON object'],
    ['index not an integer', [{ ...events(pollInvoke)[0], index: 0.5 }], 'line 1: "index" must be an integer, got 0.5'],
    ['index beyond 2^53', [{ ...events(pollInvoke)[0], index: 2 ** 60 }], `line 1: "index" must be an integer, got 1152921504606846976, ${UNSAFE}`],
    ['negative time', [{ ...events(pollInvoke)[0], time: -1 }], 'line 1: "time" must be a non-negative integer, got -1'],
    ['time as a string', [{ ...events(pollInvoke)[0], time: '0' }], 'line 1: "time" must be a non-negative integer, got "0"'],
    ['an index gap', [events(sendInvoke)[0], { ...events(sendInvoke, done(0, 'ok', 'send', null))[1], index: 2 }],
      'line 2: "index" is 2 but 1 was expected (indices start at 0 and have no gaps)'],
    ['an index not starting at 0', [{ ...events(sendInvoke)[0], index: 1 }], 'line 1: "index" is 1 but 0 was expected (indices start at 0 and have no gaps)'],
    ['time going backwards', [{ ...events(sendInvoke)[0], time: 5 }, { ...events(sendInvoke, done(0, 'ok', 'send', null))[1], time: 4 }],
      'line 2: "time" 4 is earlier than the previous event\'s 5 (time never decreases)'],
    ['an unknown type', events({ ...pollInvoke, type: 'start' }), 'line 1: "type" must be one of invoke, ok, fail, info; got "start"'],
    ['a type that is not a string', events({ ...pollInvoke, type: 1 }), 'line 1: "type" must be one of invoke, ok, fail, info; got 1'],
    ['f not a string', events({ ...pollInvoke, f: 3 }), 'line 1: "f" must be a string, got 3'],
    ['error not a string', events({ ...pollInvoke, error: 5 }), 'line 1: "error", when present, must be a string, got 5'],
    ['txnId not a string', events({ ...pollInvoke, txnId: 5 }), 'line 1: "txnId", when present, must be a string, got 5'],
    ['a negative process', events({ ...pollInvoke, process: -1 }), 'line 1: "process" must be a non-negative integer or "nemesis", got -1'],
    ['a process that is not a number', events({ ...pollInvoke, process: 'p1' }), 'line 1: "process" must be a non-negative integer or "nemesis", got "p1"'],
    ['an unknown client f', events(inv(0, 'produce', [])), 'line 1: client op "f" must be one of send, poll, txn, assign, subscribe, crash; got "produce"'],
    ['a missing value', events({ process: 0, type: 'invoke', f: 'send' }), 'line 1: "value" is missing (a send event has one; a completion that learned nothing may give null)'],
    ['a crash without value', events({ process: 0, type: 'invoke', f: 'crash' }), 'line 1: "value" is missing (a crash event has one: null)'],
    ['a crash invoke with a value', events(inv(0, 'crash', [])), 'line 1: a crash invoke must have "value": null'],
    ['an assign of non-keys', events(inv(0, 'assign', [0, -1])), 'line 1: assign value must be an array of non-negative integer keys, got [0,-1]'],
    ['a subscribe that is no array', events(inv(0, 'subscribe', 3)), 'line 1: subscribe value must be an array of non-negative integer keys, got 3'],
    ['an assign of a key beyond 2^53', events(inv(0, 'assign', [2 ** 60])), `line 1: assign value must be an array of non-negative integer keys, got [1152921504606847000] (1152921504606846976 is ${UNSAFE})`],
    ['a send invoke without mops', events(inv(0, 'send', null)), 'line 1: send value must be an array of micro-operations, got null'],
    ['a txn completion that is no array', events(inv(0, 'txn', []), done(0, 'ok', 'txn', 7)), 'line 2: txn value must be an array of micro-operations, got 7'],
    ['a mop that is no array', events(inv(0, 'txn', ['send'])), 'line 1: txn micro-operation "send" must be an array'],
    ['a poll op holding a send', events(inv(0, 'poll', [['send', 0, 1]])), 'line 1: a poll op may hold only ["poll"] micro-operations'],
    ['a send op holding a poll', events(inv(0, 'send', [['poll']])), 'line 1: a send op may hold only ["send", k, v] micro-operations'],
    ['a poll invoke with a result', events(inv(0, 'poll', [['poll', {}]])), 'line 1: bad poll micro-operation ["poll",{}]'],
    ['a poll completion with too much', events(pollInvoke, done(0, 'ok', 'poll', [['poll', {}, {}]])), 'line 2: bad poll micro-operation ["poll",{},{}]'],
    ['an unknown mop', events(inv(0, 'txn', [['get', 0]])), 'line 1: unknown micro-operation ["get",0]: expected ["send", k, v] or ["poll"]'],
    ['a send mop without value', events(inv(0, 'send', [['send', 0]])), 'line 1: bad send micro-operation ["send",0]: expected ["send", key, value]'],
    ['a send mop with a negative key', events(inv(0, 'send', [['send', -1, 1]])), 'line 1: bad send micro-operation ["send",-1,1]: expected ["send", key, value]'],
    ['a send mop with a null key', events(inv(0, 'send', [['send', null, 1]])), 'line 1: bad send micro-operation ["send",null,1]: expected ["send", key, value]'],
    ['an assign of a null key', events(inv(0, 'assign', [null])), 'line 1: assign value must be an array of non-negative integer keys, got [null]'],
    ['a send mop with one too many', events(inv(0, 'send', [['send', 0, 1, 2]])), 'line 1: bad send micro-operation ["send",0,1,2]: expected ["send", key, value]'],
    ['an invoke sending [offset, value]', events(inv(0, 'send', [['send', 0, [0, 1]]])), 'line 1: bad send micro-operation ["send",0,[0,1]]: the value must be an integer'],
    ['a completion with a negative offset', events(sendInvoke, done(0, 'ok', 'send', [['send', 0, [-2, 1]]])),
      'line 2: bad send micro-operation ["send",0,[-2,1]]: the value must be an integer or [offset, value] with an integer offset ≥ 0, or null (or -1) when unknown'],
    ['a completion with a fractional value', events(sendInvoke, done(0, 'ok', 'send', [['send', 0, [0, 1.5]]])),
      'line 2: bad send micro-operation ["send",0,[0,1.5]]: the value must be an integer or [offset, value] with an integer offset ≥ 0, or null (or -1) when unknown'],
    ['a completion with a three-part value', events(sendInvoke, done(0, 'ok', 'send', [['send', 0, [0, 1, 2]]])),
      'line 2: bad send micro-operation ["send",0,[0,1,2]]: the value must be an integer or [offset, value] with an integer offset ≥ 0, or null (or -1) when unknown'],
    ['a completion with a string offset', events(sendInvoke, done(0, 'ok', 'send', [['send', 0, ['0', 1]]])),
      'line 2: bad send micro-operation ["send",0,["0",1]]: the value must be an integer or [offset, value] with an integer offset ≥ 0, or null (or -1) when unknown'],
    ['a poll result that is no object', completedPoll([]), 'line 2: a completed poll holds an object {"key": [[offset, value], ...]}'],
    ['a null poll result', completedPoll(null), 'line 2: a completed poll holds an object {"key": [[offset, value], ...]}'],
    ['a poll result that is a number', completedPoll(3), 'line 2: a completed poll holds an object {"key": [[offset, value], ...]}'],
    ['a polled key with a leading zero', completedPoll({ '01': [] }), 'line 2: polled key "01" must be a decimal integer string'],
    ['a negative polled key', completedPoll({ '-1': [] }), 'line 2: polled key "-1" must be a decimal integer string'],
    ['a polled key beyond 2^53', completedPoll({ '9007199254740993': [] }), `line 2: polled key 9007199254740993 is ${UNSAFE}`],
    ['polled pairs that are no array', completedPoll({ 0: 5 }), 'line 2: polled key 0 must map to an array of [offset, value] pairs'],
    ['a polled pair of one', completedPoll({ 0: [[1]] }), 'line 2: polled key 0 holds [1]; expected [offset, value] with integer offset ≥ 0 and value'],
    ['a polled pair of three', completedPoll({ 0: [[1, 2, 3]] }), 'line 2: polled key 0 holds [1,2,3]; expected [offset, value] with integer offset ≥ 0 and value'],
    ['a polled pair with a negative offset', completedPoll({ 0: [[-1, 1]] }), 'line 2: polled key 0 holds [-1,1]; expected [offset, value] with integer offset ≥ 0 and value'],
    ['a polled pair with a fractional value', completedPoll({ 0: [[0, 0.5]] }), 'line 2: polled key 0 holds [0,0.5]; expected [offset, value] with integer offset ≥ 0 and value'],
    ['a polled pair that is no array', completedPoll({ 0: [5] }), 'line 2: polled key 0 holds 5; expected [offset, value] with integer offset ≥ 0 and value'],
    ['an invoke while another is pending', events(sendInvoke, pollInvoke), 'line 2: process 0 invoked poll while its send from line 1 has no completion yet (one client is single-threaded)'],
    ['a completion without invoke', events(done(3, 'ok', 'poll', null)), 'line 1: process 3 completed poll (ok) without a pending invoke'],
    ['a completion of another f', events(sendInvoke, done(0, 'fail', 'poll', null)), 'line 2: process 0 completed "poll" but invoked "send" on line 1'],
    ['an invoke after info', events(sendInvoke, done(0, 'info', 'send', null), pollInvoke), 'line 3: process 0 invoked again after its info completion on line 2; a fresh process id must take its place'],
    ['a crash completing ok', events(inv(0, 'crash', null), done(0, 'ok', 'crash', null)), 'line 2: a crash always completes "info"'],
    ['a crash completing fail', events(inv(0, 'crash', null), done(0, 'fail', 'crash', null)), 'line 2: a crash always completes "info"'],
  ];
  it.each(cases)('%s', (_name, list, message) => {
    expect(refusal(list as Raw[])).toBe(message);
  });

  it('names the line of the pending invoke or the info, however far back', () => {
    const far = events(sendInvoke, done(0, 'info', 'send', null), inv(1, 'txn', []), inv(1, 'poll', [['poll']]));
    expect(refusal(far, 1000)).toBe('line 1003: process 1 invoked poll while its txn from line 1002 has no completion yet (one client is single-threaded)');
    expect(refusal([...far.slice(0, 2), { ...sendInvoke, index: 2, time: 20 }], 1000)).toBe('line 1002: process 0 invoked again after its info completion on line 1001; a fresh process id must take its place');
    expect(refusal([...events(inv(7, 'subscribe', [0])), { ...done(7, 'ok', 'assign', [0]), index: 1, time: 1 }], 4097)).toBe('line 4098: process 7 completed "assign" but invoked "subscribe" on line 4097');
  });

  it('shows what a field held: nothing when missing, the number when too large, at most 120 characters', () => {
    expect(got(undefined)).toBe('nothing (the field is missing)');
    expect(got(2 ** 60)).toBe(`1152921504606846976, ${UNSAFE}`);
    expect(got(1.5)).toBe('1.5');
    expect(got('x'.repeat(200))).toBe(`"${'x'.repeat(119)}...`);
    expect(got('x'.repeat(118))).toBe(`"${'x'.repeat(118)}"`);
    expect(got({ a: [1] })).toBe('{"a":[1]}');
  });
});

describe('what the contract allows is accepted', () => {
  const allowed: [string, Raw[]][] = [
    ['time that stays the same', [{ ...sendInvoke, index: 0, time: 5 }, { ...done(0, 'ok', 'send', null), index: 1, time: 5 }]],
    ['nemesis events of any f, type and value, in the index order', events({ process: 'nemesis', type: 'info', f: 'start-partition', value: { any: 1 } }, { process: 'nemesis', type: 'ok', f: 'kill', value: 3 }, sendInvoke)],
    ['a completion that learned nothing (null)', events(sendInvoke, done(0, 'ok', 'send', null), inv(0, 'txn', [['send', 0, 2]]), done(0, 'info', 'txn', null))],
    ['unknown offsets: null, or the Java client\'s -1', events(inv(0, 'send', [['send', 0, 1], ['send', 1, 2], ['send', 2, 3]]), done(0, 'ok', 'send', [['send', 0, [null, 1]], ['send', 1, [-1, 2]], ['send', 2, [0, 3]]]))],
    ['a completion whose send never returned', events(sendInvoke, done(0, 'info', 'send', [['send', 0, 1]]))],
    ['a poll that polled nothing, with or without a result', events(pollInvoke, done(0, 'ok', 'poll', [['poll'], ['poll', {}]]))],
    ['a transaction of sends and polls', events(inv(0, 'txn', [['send', 0, 1], ['poll']]), done(0, 'ok', 'txn', [['send', 0, [3, 1]], ['poll', { 0: [[0, 7], [1, 8]], 12: [] }]]))],
    ['an assign of no key, a subscribe of several', events(inv(0, 'assign', []), done(0, 'ok', 'assign', []), inv(0, 'subscribe', [0, 9]), done(0, 'ok', 'subscribe', [0, 9]))],
    ['a crash, and the next process taking over', events(inv(0, 'crash', null), done(0, 'info', 'crash', null), inv(1, 'poll', [['poll']]))],
    ['a process invoking again after a fail', events(sendInvoke, done(0, 'fail', 'send', null, { error: 'timeout' }), pollInvoke)],
    ['an error and a transactional id', events(inv(2, 'txn', [], { txnId: 'tx-1' }), done(2, 'fail', 'txn', [], { txnId: 'tx-1', error: 'fenced' }))],
    ['the largest exact integers', events(inv(2 ** 53 - 1, 'send', [['send', 2 ** 53 - 1, 2 ** 53 - 1]]), done(2 ** 53 - 1, 'ok', 'send', [['send', 2 ** 53 - 1, [2 ** 53 - 1, -(2 ** 53 - 1)]]]))],
    ['negative values', events(inv(0, 'send', [['send', 0, -5]]), done(0, 'ok', 'send', [['send', 0, [0, -5]]]))],
  ];
  it.each(allowed)('%s', (_name, list) => {
    expect(refusal(list)).toBeUndefined();
  });

  it('returns each event as it was read', () => {
    const e = events(sendInvoke)[0]!;
    expect(new HistoryRules().accept(e, 1)).toBe(e);
  });

  it('lists the invokes left without completion in the order they were invoked', () => {
    const rules = new HistoryRules();
    events(inv(5, 'send', []), inv(2, 'poll', [['poll']]), inv(9, 'txn', []), done(2, 'ok', 'poll', null), inv(3, 'crash', null))
      .forEach((e, i) => rules.accept(e, i + 1));
    expect(rules.unfinished()).toEqual([5, 9, 3]);
  });
});

describe('the fast path (events the scanner read) keeps the same rules', () => {
  const TYPES = ['invoke', 'ok', 'fail', 'info'], FS = ['send', 'poll', 'txn', 'assign', 'subscribe', 'crash'];
  const VALUE: Record<string, unknown> = { send: [], poll: [], txn: [], assign: [], subscribe: [], crash: null };
  // Mostly well-formed steps: few processes, index and time usually right.
  const step = fc.record({
    process: fc.nat(3), type: fc.nat(3), f: fc.constantFrom(0, 1, 2, 3, 4, 5, 5),
    indexOff: fc.constantFrom(0, 0, 0, 0, 0, 0, 1, -1), timeStep: fc.constantFrom(0, 1, 1, 1, 1, -1),
  });

  test.prop([fc.array(step, { minLength: 1, maxLength: 30 })], { numRuns: 300 })('each event is refused or accepted as the general path does, with the same message', (steps) => {
    const general = new HistoryRules(), fast = new HistoryRules();
    let time = 100; // never negative: the scanner has checked that already
    for (const [i, s] of steps.entries()) {
      time += s.timeStep;
      const line = i + 1, index = i + s.indexOff;
      const raw = { index, time, process: s.process, type: TYPES[s.type], f: FS[s.f], value: VALUE[FS[s.f]!] };
      const outcome = (f: () => unknown) => { try { f(); return 'accepted'; } catch (e) { return (e as Error).message; } };
      const a = outcome(() => general.accept(raw, line)), b = outcome(() => fast.acceptClient(index, time, s.process, s.type, s.f, line));
      expect(b).toBe(a);
      if (a !== 'accepted') break;
    }
    expect(fast.unfinished()).toEqual(general.unfinished());
  });
});
