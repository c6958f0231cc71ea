// Guards checker speed work: records what `kafka-eos check FILE --json` prints for a corpus of
// histories, then compares later runs byte for byte. The corpus: the bench histories, every
// history.jsonl found on the machine (deduplicated by content), the repo's fixture histories, and
// bad variants made from a small history (torn tail, a bad line in the middle, an empty line, a
// broken rule), so that error messages and warnings are compared too.
//
//   npx tsx scripts/verdict-corpus.ts record [--dir D] [--cli [--bin PATH]]   # before a change
//   npx tsx scripts/verdict-corpus.ts compare [--dir D] [--cli]  # after it: lists every difference
//
// Without --cli each file is checked in this process through checkHistoryFile (what `check` calls;
// quick), with --cli through a fresh `node bin/kafka-eos.js check FILE --json` (what a user runs:
// stdout, stderr and exit code; --bin PATH takes another checkout's launcher, e.g. to record with the
// code before a change). Records of the two modes are kept apart. KAFKA_EOS_CHECK_THREADS=1 (or 0)
// in the environment makes every check use the checker's worker threads (or none), whatever its size. `record` copies every
// history into D/files (named by content), so a later compare reads the same bytes even if the
// original was rewritten or removed meanwhile; `compare` checks exactly the recorded list (a later
// `record` reuses that list too: delete D/files.txt to collect the corpus afresh).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkHistoryFile } from '../jepsen-style/check-file.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dir: { type: 'string', default: join(tmpdir(), 'verdict-corpus') }, cli: { type: 'boolean', default: false }, bin: { type: 'string' } } });
const mode = positionals[0];
if (mode !== 'record' && mode !== 'compare') {
  console.error('usage: npx tsx scripts/verdict-corpus.ts record|compare [--dir D] [--cli]');
  process.exit(2);
}
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = values.dir;
const records = join(dir, values.cli ? 'cli' : 'in-process');
mkdirSync(records, { recursive: true });

const sha = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');

function findFiles(): string[] {
  const found = new Set<string>();
  const bench = join(tmpdir(), 'kafka-eos-bench');
  if (existsSync(bench)) for (const f of readdirSync(bench)) if (f.endsWith('.jsonl')) found.add(join(bench, f));
  const find = (args: string[]) => execFileSync('find', args, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
  const safeFind = (args: string[]) => { try { return find(args); } catch (e) { return ((e as { stdout?: string }).stdout ?? '').split('\n').filter(Boolean); } };
  for (const f of safeFind([repo, '-path', '*/node_modules', '-prune', '-o', '-name', '*.jsonl', '-print'])) found.add(f);
  for (const f of safeFind(['/', '-path', '/proc', '-prune', '-o', '-name', 'history.jsonl', '-size', '+1k', '-print'])) found.add(f);
  // One file per content; the path kept is the first in sorted order, so the list is stable.
  const byContent = new Map<string, string>();
  for (const f of [...found].sort()) {
    if (f.startsWith(join(dir, 'files')) || f.startsWith(join(dir, 'variants'))) continue;
    const key = `${statSync(f).size}:${sha(readFileSync(f))}`;
    if (!byContent.has(key)) byContent.set(key, f);
  }
  return [...byContent.values()];
}

/** Bad and torn variants of one small valid history, written once into the corpus directory. */
function variants(source: string): string[] {
  const lines = readFileSync(source, 'utf8').split('\n').filter(Boolean);
  const at = Math.floor(lines.length / 2);
  const out: Record<string, string> = {
    'torn-tail': lines.join('\n') + '\n' + lines[at]!.slice(0, 17),
    'torn-tail-no-newline': lines.slice(0, -1).join('\n') + '\n' + lines.at(-1)!.slice(0, -3),
    'bad-middle': [...lines.slice(0, at), '{"index": oops', ...lines.slice(at)].join('\n') + '\n',
    'empty-middle': [...lines.slice(0, at), '', ...lines.slice(at)].join('\n') + '\n',
    'index-gap': [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n') + '\n',
    'reformatted': lines.map((l) => JSON.stringify(JSON.parse(l), null, 0).replace(/,/g, ', ')).join('\n') + '\n',
  };
  const vdir = join(dir, 'variants');
  mkdirSync(vdir, { recursive: true });
  return Object.entries(out).map(([name, text]) => {
    const path = join(vdir, `${name}.jsonl`);
    writeFileSync(path, text);
    return path;
  });
}

async function outcome(path: string): Promise<string> {
  if (values.cli) {
    const r = spawnSync(process.execPath, [values.bin ?? join(repo, 'bin', 'kafka-eos.js'), 'check', path, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    return JSON.stringify({ status: r.status, stderr: r.stderr }) + '\n' + r.stdout;
  }
  try {
    const { verdict, warnings } = await checkHistoryFile(path);
    return JSON.stringify({ warnings }) + '\n' + JSON.stringify(verdict);
  } catch (error) {
    return JSON.stringify({ error: String(error) });
  }
}

const list = join(dir, 'files.txt');
let all: string[];
if (mode === 'record' && !existsSync(list)) {
  const files = findFiles();
  const small = files.find((f) => f.includes('seed1/model') || statSync(f).size > 100_000) ?? files[0]!;
  mkdirSync(join(dir, 'files'), { recursive: true });
  all = [...files.map((f) => {
    const copy = join(dir, 'files', `${sha(f).slice(0, 12)}-${f.split('/').slice(-3).join('_')}`);
    copyFileSync(f, copy);
    return copy;
  }), ...variants(small)];
  writeFileSync(list, all.join('\n') + '\n');
} else all = readFileSync(list, 'utf8').split('\n').filter(Boolean);
let same = 0;
const differ: string[] = [];
for (const [i, f] of all.entries()) {
  const out = await outcome(f);
  const name = `${sha(f).slice(0, 12)}.out`;
  const file = join(records, name);
  if (mode === 'record') writeFileSync(file, out);
  else if (!existsSync(file)) differ.push(`${f}: no record (run record first)`);
  else if (readFileSync(file, 'utf8') === out) same++;
  else {
    differ.push(f);
    writeFileSync(file + '.new', out);
  }
  if ((i + 1) % 50 === 0) console.error(`${i + 1}/${all.length}`);
}
if (mode === 'record') console.log(`recorded ${all.length} histories in ${records}`);
else {
  console.log(`${all.length} histories: ${same} identical, ${differ.length} different`);
  for (const d of differ) console.log(`  DIFFERENT: ${d} (new output next to the record, .out.new)`);
  process.exitCode = differ.length === 0 ? 0 : 1;
}
