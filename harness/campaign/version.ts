// Which harness made a campaign: package.json's version plus the git commit when the harness runs from
// a checkout (CI always does). Shards of one campaign must come from the same code, or their verdicts
// are not comparable; `kafka-eos merge` refuses them otherwise. The version alone would not do: it
// stays 0.1.0 across hundreds of commits.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
let cached: string | undefined;

function gitCommit(): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    return /^[0-9a-f]{40}$/.test(out.trim()) ? out.trim().slice(0, 12) : null;
  } catch {
    return null; // not a checkout (an npm-installed harness), or no git: the version alone
  }
}

export function harnessVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const commit = gitCommit();
    cached = commit ? `${pkg.version}+${commit}` : pkg.version;
  }
  return cached;
}
