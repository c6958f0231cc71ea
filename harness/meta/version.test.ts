// The commit recorded in every verdict is read from .git without git: a plain checkout, a worktree (whose
// .git is a pointer file and whose refs live in the common dir), packed refs and a detached HEAD.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCommit } from './version.ts';

const A = 'a'.repeat(40), B = 'b'.repeat(40), C = 'c'.repeat(40);

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-eos-git-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('readCommit', () => {
  it('follows HEAD to a loose ref, or to packed-refs', () => {
    expect(readCommit(tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${A}\n` }))).toBe(A);
    expect(readCommit(tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/packed-refs': `# pack-refs\n${B} refs/heads/other\n${C} refs/heads/main\n` }))).toBe(C);
  });

  it('a detached HEAD is the commit itself; garbage is no commit', () => {
    expect(readCommit(tree({ '.git/HEAD': `${B}\n` }))).toBe(B);
    expect(readCommit(tree({ '.git/HEAD': 'not a commit\n' }))).toBeUndefined();
    expect(readCommit(tree({}))).toBeUndefined();
  });

  it('a worktree: .git points at its git dir, whose commondir holds the refs', () => {
    const root = tree({
      'repo/.git/refs/heads/feature': `${C}\n`,
      'repo/.git/worktrees/wt/HEAD': 'ref: refs/heads/feature\n',
      'repo/.git/worktrees/wt/commondir': '../..\n',
    });
    fs.mkdirSync(path.join(root, 'wt'));
    fs.writeFileSync(path.join(root, 'wt', '.git'), `gitdir: ${path.join(root, 'repo/.git/worktrees/wt')}\n`);
    expect(readCommit(path.join(root, 'wt'))).toBe(C);
  });
});
