// The program is a function of (seed, options) alone: same inputs, same program.json bytes; another
// seed, another program. Runs use short time limits so each program is small and the suite stays fast.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProgram, MAX_SEED, parseProgram, readProgramFile, serializeProgram, writeProgramFile } from '../harness/workload/index.ts';

const seed = fc.integer({ min: 0, max: MAX_SEED });
const small = { timeLimitMs: 2_000, nemesis: ['partition', 'kill', 'pause'] } as const;
const opts = { ...small, nemesis: [...small.nemesis] };

describe('program generation', () => {
  test.prop([seed], { numRuns: 15 })('same seed, same bytes', (s) => {
    expect(serializeProgram(generateProgram(s, opts))).toBe(serializeProgram(generateProgram(s, opts)));
  });

  test.prop([seed, seed], { numRuns: 15 })('different seeds, different programs', (a, b) => {
    fc.pre(a !== b);
    expect(serializeProgram(generateProgram(a, opts))).not.toBe(serializeProgram(generateProgram(b, opts)));
  });

  test.prop([seed], { numRuns: 10 })('program.json round-trips and its key order does not depend on construction order', (s) => {
    const p = generateProgram(s, opts);
    const text = serializeProgram(p);
    expect(text.startsWith('{\n  "version": 1,')).toBe(true);
    const reparsed = parseProgram(text);
    expect(reparsed).toEqual(p);
    // Rebuild every object with its keys reversed: the bytes must not change.
    const reversed = JSON.parse(text, (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(serializeProgram(reversed)).toBe(text);
  });

  test('a program.json of another version is refused with a usage error naming the fix', () => {
    const text = serializeProgram(generateProgram(1, opts)).replace('"version": 1', '"version": 99');
    expect(() => parseProgram(text)).toThrow(/version 99.*regenerate/);
    expect(() => parseProgram('{nope')).toThrow(/not valid JSON/);
  });

  test('program.json written to disk reads back equal, and a missing one is a usage error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-program-'));
    try {
      const p = generateProgram(5, opts);
      const file = writeProgramFile(path.join(dir, 'run'), p);
      expect(fs.readFileSync(file, 'utf8')).toBe(serializeProgram(p));
      expect(readProgramFile(file)).toEqual(p);
      expect(() => readProgramFile(path.join(dir, 'nope.json'))).toThrow(/cannot read .*ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('seeds outside fast-check’s 32 bits are refused rather than aliased', () => {
    expect(() => generateProgram(MAX_SEED + 1)).toThrow(/seed must be an integer/);
    expect(() => generateProgram(-1)).toThrow(/seed must be an integer/);
  });
});
