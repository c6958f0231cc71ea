// Which harness produced a verdict: its package version and the git commit of its sources. Written into
// verdict.json, campaign.json, JUnit and the report so that a figure can always be traced back to code.
// The commit is read from the checkout's .git without spawning git (a worktree's .git is a file that
// points at its git dir); an installed copy without .git may name it in KAFKA_EOS_COMMIT.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface HarnessIdentity {
  version: string;
  /** 40 hex digits, or 'unknown' when neither .git nor KAFKA_EOS_COMMIT says. */
  commit: string;
}

let cached: HarnessIdentity | undefined;

export function harnessIdentity(): HarnessIdentity {
  if (!cached) {
    const root = packageRoot(path.dirname(fileURLToPath(import.meta.url)));
    cached = {
      version: (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version,
      commit: process.env['KAFKA_EOS_COMMIT'] ?? readCommit(root) ?? 'unknown',
    };
  }
  return cached;
}

/** The harness' own package directory, from wherever this code runs (the sources, or the check bundle in dist/). */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'kafka-eos-harness') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no kafka-eos-harness package.json above ${from}`);
  }
}

/** `kafka-eos --version`: `0.1.0 (commit 8b32315)`. */
export function versionLine(id: HarnessIdentity = harnessIdentity()): string {
  return `${id.version} (commit ${id.commit === 'unknown' ? 'unknown' : id.commit.slice(0, 12)})`;
}

export function readCommit(root: string): string | undefined {
  try {
    const gitDir = resolveGitDir(root);
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return isCommit(head) ? head : undefined;
    const ref = head.slice('ref: '.length);
    // A worktree keeps HEAD in its own git dir but refs in the common one.
    const common = commonDir(gitDir);
    for (const dir of [gitDir, common]) {
      const file = path.join(dir, ref);
      if (fs.existsSync(file)) return checked(fs.readFileSync(file, 'utf8').trim());
    }
    const packed = path.join(common, 'packed-refs');
    if (!fs.existsSync(packed)) return undefined;
    const line = fs.readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(` ${ref}`));
    return checked(line?.split(' ')[0]);
  } catch {
    return undefined;
  }
}

function resolveGitDir(root: string): string {
  const dotGit = path.join(root, '.git');
  if (fs.statSync(dotGit).isDirectory()) return dotGit;
  const pointer = /^gitdir: (.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1];
  if (!pointer) throw new Error('.git is neither a directory nor a gitdir pointer');
  return path.resolve(root, pointer.trim());
}

function commonDir(gitDir: string): string {
  const file = path.join(gitDir, 'commondir');
  return fs.existsSync(file) ? path.resolve(gitDir, fs.readFileSync(file, 'utf8').trim()) : gitDir;
}

const isCommit = (s: string): boolean => /^[0-9a-f]{40}$/.test(s);
const checked = (s: string | undefined): string | undefined => (s !== undefined && isCommit(s) ? s : undefined);
