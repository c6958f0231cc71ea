// Escaping is the report's only defence line for text from histories (besides the CSP hashes):
// prove that arbitrary strings stay text in markup and stay inside a <script> as data.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { h, html, jsonForScript, trusted, truncate } from './escape.ts';

const nasty = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('</script>', '<!--', '<script>', '\u2028\u2029', '"\'&<>', '</SCRIPT >'));

describe('html', () => {
  it('escapes the five markup characters', () => {
    expect(html(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  test.prop([nasty], { numRuns: 300 })('leaves no markup character, and decodes back to the original', (s) => {
    const out = html(s);
    expect(out).not.toMatch(/[<>"']/);
    const decoded = out.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
    expect(decoded).toBe(s);
  });
});

describe('jsonForScript', () => {
  test.prop([fc.jsonValue(), nasty], { numRuns: 300 })('cannot close a script element and parses back to the same value', (v, s) => {
    const value = { v, s };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)));
  });
});

describe('h', () => {
  it('escapes interpolated text and arrays, keeps its own markup and trusted markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const out = h`<p title="${evil}">${evil}${[evil, h`<b>${evil}</b>`]}${trusted('<i>ok</i>')}${null}${undefined}${false}${0}</p>`.html;
    expect(out).toBe(`<p title="${html(evil)}">${html(evil)}${html(evil)}<b>${html(evil)}</b><i>ok</i>0</p>`);
    expect(out).not.toContain('<img');
  });
});

describe('truncate', () => {
  it('keeps short text and says how much it cut', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcdef', 2)).toBe('ab… (4 more characters)');
  });
});
