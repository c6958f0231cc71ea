// The forensics details show under the verdict, escaped, with the evidence path; nothing when forensics found nothing.
import { describe, expect, it } from 'vitest';
import { forensicsSection } from './render-forensics.ts';
import type { ReportData } from './run-data.ts';

const data = (forensics: unknown): ReportData => ({ dir: 'r', generatedAt: 'now', program: null, histories: [], problems: [], verdict: { valid: false, forensics } as ReportData['verdict'] });
const html = (x: ReturnType<typeof forensicsSection>) => (typeof x === 'string' ? x : x.html);

describe('forensicsSection', () => {
  it('shows the causes, the hanging transactions and where the evidence is', () => {
    const text = html(forensicsSection(data({
      mode: 'auto', file: 'kafka/forensics.json', evidence: 'kafka/evidence', shortKeys: [2], causes: { 'hanging-transaction': 2, '<b>': 1 }, hangingTransactions: 1, detectorPolls: 30, overheadSeconds: 1.5,
      summary: "key 2 (t1/0) read up to 19 of 25 acknowledged: ... a hanging transaction.",
    })));
    expect(text).toContain('2 hanging-transaction, 1 &lt;b&gt;');
    expect(text).toContain('1 hanging transaction(s)');
    expect(text).toContain('kafka/evidence/');
    expect(text).not.toContain('read up to 19'); // the banner shows the summary, not this part
  });

  it('renders nothing when forensics found nothing or did not run', () => {
    expect(forensicsSection(data(undefined))).toBe('');
    expect(forensicsSection(data({ mode: 'auto', file: 'kafka/forensics.json', shortKeys: [], causes: {}, hangingTransactions: 0, detectorPolls: 9, overheadSeconds: 0 }))).toBe('');
  });
});
