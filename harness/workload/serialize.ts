// program.json: canonical JSON (object keys sorted at every level, `version` first, arrays in order), so the same
// program always gives the same bytes whatever order its objects were built in. Small values stay on
// one line (one op or fault per line) so the file reads and diffs well despite tens of thousands of ops.
import { usageError } from '../cli/exit-codes.ts';
import { PROGRAM_VERSION, type Program } from './program.ts';

const INLINE_MAX = 160;

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    // `version` first so that a reader (or a person) sees it before anything else.
    const keys = Object.keys(v).sort((a, b) => Number(b === 'version') - Number(a === 'version') || (a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

function layout(v: unknown, indent: string): string {
  const flat = JSON.stringify(v);
  if (flat.length <= INLINE_MAX || v === null || typeof v !== 'object') return flat;
  const inner = indent + '  ';
  const items = Array.isArray(v)
    ? v.map((x) => inner + layout(x, inner))
    : Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${layout(x, inner)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

/** The bytes of program.json (with a final newline). */
export function serializeProgram(p: Program): string {
  return layout(canonical(p), '') + '\n';
}

/** Reads program.json back; refuses unknown versions with a message naming the fix. */
export function parseProgram(text: string, source = 'program.json'): Program {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw usageError(`${source} is not valid JSON (${(e as Error).message}); regenerate it with kafka-eos run --seed N`);
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== PROGRAM_VERSION) {
    throw usageError(`${source} has version ${JSON.stringify(version)}, this harness reads version ${PROGRAM_VERSION}; regenerate it from its seed`);
  }
  return data as Program;
}
