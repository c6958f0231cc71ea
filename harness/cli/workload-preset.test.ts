// `--workload endtxn-race` (the KAFKA-17754 hunt) changes the program the way its comment promises, and
// only through the seed's program: the repro line carries it, an unknown preset is a usage error.
import { describe, expect, it } from 'vitest';
import { parseRunFlags } from './run.ts';
import { programFor, reproCommand } from '../run/settings.ts';
import { EXIT } from './exit-codes.ts';

const race = (extra: string[] = []) => parseRunFlags('run', ['--seed', '5', '--target', 'model', '--time-limit', '30', '--workload', 'endtxn-race', ...extra]);

describe('--workload endtxn-race', () => {
  it('runs transactional workers only, aborts half, pauses and isolates the client from one node at a time', () => {
    const program = programFor(race());
    const clients = program.workers.filter((w) => w.copier === null);
    expect(clients.length).toBeGreaterThan(0);
    expect(clients.every((w) => w.transactionalId !== null)).toBe(true);
    expect(program.options.abortP).toBe(0.5);
    expect([...program.options.nemesis].sort()).toEqual(['partition', 'pause']);
    const starts = program.nemesis.schedule.map((e) => e.op).filter((op) => op.f === 'start-partition' || op.f === 'pause');
    expect(new Set(starts.map((op) => op.f))).toEqual(new Set(['start-partition', 'pause']));
    for (const op of starts) if (op.f === 'start-partition') expect((op.value as { kind: string }).kind).toBe('client-isolation');
  });

  it('the standard workload differs: idempotent workers too, no faults unless asked', () => {
    const program = programFor(parseRunFlags('run', ['--seed', '5', '--target', 'model', '--time-limit', '30']));
    expect(program.workers.some((w) => w.copier === null && w.transactionalId === null)).toBe(true);
    expect(program.nemesis.schedule).toEqual([]);
  });

  it('an explicit --nemesis wins, and the repro line keeps the preset', () => {
    const p = race(['--nemesis', 'pause']);
    expect(programFor(p).options.nemesis).toEqual(['pause']);
    expect(reproCommand(p)).toContain('--workload endtxn-race');
  });

  it('an unknown preset is a usage error naming the choices', () => {
    expect(() => parseRunFlags('run', ['--workload', 'fast'])).toThrow(expect.objectContaining({ exitCode: EXIT.usage, message: expect.stringContaining('standard, endtxn-race') }));
  });
});
