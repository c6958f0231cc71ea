// program.json on disk: the only I/O of the workload module.
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../cli/exit-codes.ts';
import type { Program } from './program.ts';
import { parseProgram, serializeProgram } from './serialize.ts';

/** Writes `<dir>/program.json` (creating dir) and returns its path. */
export function writeProgramFile(dir: string, program: Program): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'program.json');
  fs.writeFileSync(file, serializeProgram(program));
  return file;
}

/** Reads a program.json; a missing or unreadable file is a usage error naming it. */
export function readProgramFile(file: string): Program {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw usageError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a run directory that holds a program.json`);
  }
  return parseProgram(text, file);
}
