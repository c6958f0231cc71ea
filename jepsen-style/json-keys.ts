// Repeated keys in a JSON object. JSON.parse keeps the last of them without a word, so a poll map
// `{"3": [[0, 1]], "3": [[1, 2]]}` would lose the first list of reads and the checker would judge a
// history that is not what the client recorded. Only lines that take the JSON.parse path need this
// (the fast scanner refuses repeated keys itself), and only once JSON.parse has accepted the line,
// so the text is known to be valid JSON and a small tokenizer suffices.

export interface RepeatedKey {
  key: string;
  /** Where the object sits in the event: '' for the event itself, else a path such as `value[0][1]`. */
  path: string;
}

interface Frame { keys: Set<string> | null; path: string; index: number; lastKey: string }

/** The first key that appears twice in one object of `text` (valid JSON), or undefined. */
export function repeatedKey(text: string): RepeatedKey | undefined {
  const stack: Frame[] = [];
  // Stryker disable next-line EqualityOperator: at i = text.length charCodeAt is NaN, which no branch takes
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) { // a string: a key when an object expects one and a colon follows
      // Stryker disable next-line BooleanLiteral: JSON.parse of a key without escapes gives the key as written
      let j = i + 1, escaped = false;
      while (text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? ((escaped = true), 2) : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && nextNonSpace(text, j + 1) === 58) {
        const raw = text.slice(i + 1, j);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return { key, path: top.path };
        top.keys.add(key);
        top.lastKey = key;
      }
      i = j;
    } else if (c === 123 || c === 91) { // { [
      const parent = stack[stack.length - 1];
      const path = !parent ? '' : parent.keys ? join(parent.path, parent.lastKey) : `${parent.path}[${parent.index}]`;
      // Stryker disable next-line StringLiteral: lastKey is read only for a container inside an object, which always comes after its key
      stack.push({ keys: c === 123 ? new Set() : null, path, index: 0, lastKey: '' });
    } else if (c === 125 || c === 93) { // } ]
      stack.pop();
    } else if (c === 44) { // , (always inside a list or an object; an object's index is never read)
      stack[stack.length - 1]!.index++;
    }
  }
  return undefined;
}

const join = (path: string, key: string) => (path === '' ? key : /^[A-Za-z_]\w*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

function nextNonSpace(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
  return c;
}
