// Java's .properties syntax, the format every Kafka client's configuration is written in: `key=value`,
// `key: value` or `key value`; `#` and `!` comments; a line ending in an odd number of backslashes goes
// on; `\t`, `\n`, `\\`, `\=` escapes. Pure. Each entry keeps its first line number for messages.

export interface PropertyEntry {
  key: string;
  value: string;
  line: number;
}

export function parseProperties(text: string): PropertyEntry[] {
  const out: PropertyEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let logical = lines[i]!.replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (endsWithContinuation(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1);
    const { key, value } = splitEntry(logical);
    out.push({ key: unescape(key), value: unescape(value), line: first });
  }
  return out;
}

function endsWithContinuation(line: string): boolean {
  const slashes = /\\*$/.exec(line)![0].length;
  return slashes % 2 === 1;
}

function splitEntry(line: string): { key: string; value: string } {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') { i++; continue; }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') {
      let j = i;
      while (j < line.length && /[ \t\f]/.test(line[j]!)) j++;
      if ((line[j] === '=' || line[j] === ':') && (c === ' ' || c === '\t' || c === '\f')) j++;
      else if (c === '=' || c === ':') j = i + 1;
      while (j < line.length && /[ \t\f]/.test(line[j]!)) j++;
      return { key: line.slice(0, i), value: line.slice(j) };
    }
  }
  return { key: line, value: '' };
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e);
}
