// A strict little XML reader for tests: enough of XML 1.0 to prove junit.xml well formed (balanced
// tags, quoted attributes, known entities, no stray `<` or `&`, only allowed characters) and to read
// it back as a tree. Not a general parser: no DTDs, CDATA, comments or namespaces (junit.xml has none).
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(raw: string, where: string): string {
  if (FORBIDDEN.test(raw)) throw new Error(`character not allowed in XML in ${where}`);
  if (raw.includes('<')) throw new Error(`raw '<' in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (m, name: string | undefined) => {
    if (name === undefined || !(name in ENTITIES)) throw new Error(`bad entity '${m}' in ${where}`);
    return ENTITIES[name]!;
  });
}

export function parseXml(text: string): XmlElement {
  let i = 0;
  const prolog = /^<\?xml [^?]*\?>\s*/.exec(text);
  if (prolog) i = prolog[0].length;
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    stack[stack.length - 1]!.text += decode(chunk, `text before offset ${lt}`);
    if (lt === -1) break;
    const gt = text.indexOf('>', lt);
    if (gt === -1) throw new Error(`unclosed tag at offset ${lt}`);
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${open?.name}> at offset ${lt}`);
      continue;
    }
    const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"]*")*)\s*(\/?)$/.exec(tag);
    if (!m) throw new Error(`malformed tag <${tag}> at offset ${lt}`);
    const attrs: Record<string, string> = {};
    for (const [, k, v] of m[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (k! in attrs) throw new Error(`duplicate attribute ${k} at offset ${lt}`);
      attrs[k!] = decode(v!, `attribute ${k}`);
    }
    const el: XmlElement = { name: m[1]!, attrs, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    if (m[3] !== '/') stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('a document has exactly one root element');
  return root.children[0]!;
}
