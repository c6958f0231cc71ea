// Everything a report shows comes from files a run wrote: histories hold error strings from Kafka
// and clients, programs and verdicts hold names. None of it may become markup or script, so text
// goes through `html` and data for the page's script through `jsonForScript`.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function html(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become \u escapes so
 * that `</script>` or `<!--` in a string cannot end the element, and U+2028/9 are escaped because
 * older JavaScript parsers treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Cuts long text (a huge poll value) to `max` characters, saying how much was cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Markup that is already safe: built by `h` or by the report's own code. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

type Part = SafeHtml | string | number | boolean | null | undefined | readonly Part[];

function part(v: Part): string {
  if (v instanceof SafeHtml) return v.html;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === null || v === undefined || v === false) return '';
  return html(v);
}

/**
 * Template tag for markup: every interpolated value is escaped unless it is SafeHtml (made by `h`
 * itself), so text from a history cannot become markup by forgetting a call. Arrays are joined.
 */
export function h(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup (inlined assets); never pass text from a run through this. */
export const trusted = (markup: string): SafeHtml => new SafeHtml(markup);
