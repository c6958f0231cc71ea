import { describe, expect, it } from 'vitest';
import type { ProgramOp, Worker } from './program.ts';
import { WorkerCursor } from './workerCursor.ts';

const worker = (ops: ProgramOp[], extra: Partial<Worker> = {}): Worker => ({
  id: 3, role: 'transactional', transactionalId: 'txn-w3', groupId: 'g', copier: null, startAfter: null, stopWhenFenced: false, ops, ...extra,
});
const assign: ProgramOp = { f: 'assign', value: [0, 1] };
const poll: ProgramOp = { f: 'poll', value: [['poll']] };
const txn: ProgramOp = { f: 'txn', value: [['send', 0, 1]], abort: false };

describe('WorkerCursor', () => {
  it('walks the ops, replaces the process after info and re-issues the assignment first', () => {
    const c = new WorkerCursor(worker([assign, poll, txn, poll]));
    let fresh = 100;
    expect(c.ensureProcess(() => fresh++)).toEqual({ process: 3, started: true });
    expect(c.peek()).toEqual({ op: assign, extra: false });
    c.complete(c.peek()!, { type: 'ok' });
    expect(c.complete(c.peek()!, { type: 'info' })).toEqual({ processEnded: true });
    expect(c.process).toBeNull();
    expect(c.ensureProcess(() => fresh++)).toEqual({ process: 100, started: true });
    const reissued = c.peek()!;
    expect(reissued).toEqual({ op: assign, extra: true });
    c.complete(reissued, { type: 'ok' });
    expect(c.completedOps).toBe(2);
    expect(c.peek()).toEqual({ op: txn, extra: false });
    // A definite failure that still ends the process (e.g. out of order sequence).
    c.complete(c.peek()!, { type: 'fail', endProcess: true });
    expect(c.ensureProcess(() => fresh++).process).toBe(101);
    c.complete(c.peek()!, { type: 'ok' });
    c.complete(c.peek()!, { type: 'ok' });
    expect(c.done).toBe(true);
    expect(c.peek()).toBeNull();
    expect(c.processes).toEqual([3, 100, 101]);
  });

  it('does not re-issue the assignment when the next op assigns anyway', () => {
    const c = new WorkerCursor(worker([assign, { f: 'crash', value: null }, { f: 'assign', value: [2] }, poll]));
    c.ensureProcess(() => 9);
    c.complete(c.peek()!, { type: 'ok' });
    c.complete(c.peek()!, { type: 'info' });
    c.ensureProcess(() => 9);
    expect(c.peek()).toEqual({ op: { f: 'assign', value: [2] }, extra: false });
  });

  it('stops a stopWhenFenced worker once fenced, and only then', () => {
    const c = new WorkerCursor(worker([assign, { f: 'copy', abort: false }, { f: 'copy', abort: false }], { stopWhenFenced: true }));
    c.ensureProcess(() => 9);
    c.complete(c.peek()!, { type: 'ok' });
    c.complete(c.peek()!, { type: 'fail', endProcess: true, fenced: true });
    expect(c.done).toBe(true);
    const d = new WorkerCursor(worker([assign, txn, txn]));
    d.ensureProcess(() => 9);
    d.complete(d.peek()!, { type: 'ok' });
    d.complete(d.peek()!, { type: 'fail', endProcess: true, fenced: true });
    expect(d.done).toBe(false);
  });

  it('holds a gated worker until the other has completed enough ops', () => {
    const old = new WorkerCursor(worker([assign, txn, txn], { id: 0 }));
    const twin = new WorkerCursor(worker([assign, txn], { id: 1, startAfter: { worker: 0, completedOps: 2 } }));
    const all = [old, twin];
    old.ensureProcess(() => 9);
    expect(twin.released(all)).toBe(false);
    old.complete(old.peek()!, { type: 'ok' });
    expect(twin.released(all)).toBe(false);
    old.complete(old.peek()!, { type: 'fail' });
    expect(twin.released(all)).toBe(true);
    expect(old.released(all)).toBe(true);
  });
});
