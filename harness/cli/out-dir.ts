// Never lose a run: a directory that already holds files is refused before anything in it is touched,
// and a default directory that happens to exist (two runs in the same second) gets a fresh name.
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from './exit-codes.ts';

/** The absolute directory a command may write into: `requested` (refused when it holds files), else a fresh one. */
export function claimOutDir(command: string, requested: string | undefined, defaultDir: () => string): string {
  if (requested !== undefined) {
    const dir = path.resolve(requested);
    const held = entriesOf(dir);
    if (held === 'not-a-directory') throw usageError(`${command}: --out ${requested} is a file, not a directory; give a new directory`);
    if (held.length > 0) {
      const shown = held.slice(0, 3).join(', ') + (held.length > 3 ? ', ...' : '');
      throw usageError(`${command}: --out ${requested} already holds files (${shown}); nothing was written. Give a new directory, or remove that one yourself`);
    }
    return dir;
  }
  const base = path.resolve(defaultDir());
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    if (!fs.existsSync(dir)) return dir;
  }
}

function entriesOf(dir: string): string[] | 'not-a-directory' {
  try {
    return fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') return 'not-a-directory';
    throw error;
  }
}

/** `20261207T141552`: a directory-name timestamp. */
export function timestamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
}
