// Recorded histories kept as checker fixtures (test/fixtures/checker/<name>/: history.jsonl,
// program-info.json, expected.json). Each is a false alarm once fixed or a real finding: the checker's
// verdict must stay what expected.json says, so a fixed false alarm cannot come back unnoticed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistoryFile } from './check-file.ts';
import type { ProgramInfo } from './program-info.ts';

const root = new URL('../test/fixtures/checker/', import.meta.url).pathname;
const dirs = fs.readdirSync(root).map((d) => path.join(root, d)).filter((d) => fs.existsSync(path.join(d, 'history.jsonl'))).sort();

describe('recorded histories re-checked', () => {
  it('finds the fixtures', () => expect(dirs.length).toBeGreaterThanOrEqual(1));
  for (const dir of dirs) {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { valid: boolean; invalidTypes: string[] };
    it(`${path.basename(dir)}: ${expected.valid ? 'valid' : expected.invalidTypes.join(', ')}`, async () => {
      const infoFile = path.join(dir, 'program-info.json');
      const program = fs.existsSync(infoFile) ? JSON.parse(fs.readFileSync(infoFile, 'utf8')) as ProgramInfo : undefined;
      const { verdict } = await checkHistoryFile(path.join(dir, 'history.jsonl'), program ? { program } : {});
      expect({ valid: verdict.valid, invalidTypes: [...verdict.invalidTypes].sort() }).toEqual({ valid: expected.valid, invalidTypes: expected.invalidTypes });
    });
  }
});
