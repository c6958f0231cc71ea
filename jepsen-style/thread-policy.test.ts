// When a check uses worker threads (thread-policy.ts): only for a large enough input, and only when a
// core is idle (more than one core, and a one-minute load average below the cores less half a core);
// KAFKA_EOS_CHECK_THREADS=1 forces them for any input, 0 forbids them, any other value is ignored.
import { afterEach, describe, expect, it, vi } from 'vitest';

const machine = vi.hoisted(() => ({ cores: 4, load: 0 }));
vi.mock('node:os', async (original) => ({
  ...(await original<typeof import('node:os')>()),
  availableParallelism: () => machine.cores,
  loadavg: () => [machine.load, 99, 99],
}));
const { threadsPay } = await import('./thread-policy.ts');

const pays = (large: boolean, cores: number, load: number, env?: string): boolean => {
  machine.cores = cores;
  machine.load = load;
  if (env === undefined) delete process.env.KAFKA_EOS_CHECK_THREADS;
  else process.env.KAFKA_EOS_CHECK_THREADS = env;
  return threadsPay(large);
};

const saved = process.env.KAFKA_EOS_CHECK_THREADS;
afterEach(() => {
  if (saved === undefined) delete process.env.KAFKA_EOS_CHECK_THREADS;
  else process.env.KAFKA_EOS_CHECK_THREADS = saved;
});

describe('threadsPay', () => {
  it('pays for a large input while a core is idle (the one-minute load below the cores less half a core)', () => {
    expect(pays(true, 4, 0)).toBe(true);
    expect(pays(true, 4, 3.49)).toBe(true);
    expect(pays(true, 4, 3.5)).toBe(false);
    expect(pays(true, 2, 1.49)).toBe(true);
    expect(pays(true, 2, 1.5)).toBe(false);
    expect(pays(true, 2, 9)).toBe(false);
  });

  it('never pays for a small input, nor on one core', () => {
    expect(pays(false, 4, 0)).toBe(false);
    expect(pays(true, 1, 0)).toBe(false);
  });

  it('is forced by KAFKA_EOS_CHECK_THREADS=1 or 0 whatever the input and the machine; other values are ignored', () => {
    expect(pays(false, 1, 9, '1')).toBe(true);
    expect(pays(true, 4, 0, '0')).toBe(false);
    for (const other of ['', '2', 'true', 'yes']) {
      expect(pays(true, 4, 0, other), other).toBe(true);
      expect(pays(false, 4, 0, other), other).toBe(false);
    }
  });
});
