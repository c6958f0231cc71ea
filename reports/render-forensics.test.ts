// The forensics sentence shows under the verdict, escaped, with the evidence path; nothing when forensics said nothing.
import { describe, expect, it } from 'vitest';
import { forensicsSection } from './render-forensics.ts';
import type { ReportData } from './run-data.ts';

const data = (forensics: unknown): ReportData => ({ dir: 'r', generatedAt: 'now', program: null, histories: [], problems: [], verdict: { valid: false, forensics } as ReportData['verdict'] });

describe('forensicsSection', () => {
  it('shows the sentence, the causes and where the evidence is', () => {
    const html = forensicsSection(data({
      mode: 'auto', file: 'kafka/forensics.json', evidence: 'kafka/evidence', shortKeys: [2], causes: { 'hanging-transaction': 2 }, hangingTransactions: 1, detectorPolls: 30, overheadSeconds: 1.5,
      sentence: "key 2 (t1/0) read up to 19 of 25 acknowledged: t1/0's LSO is held at 20 <by> producer 2: a hanging transaction.",
    }));
    const text = typeof html === 'string' ? html : html.html;
    expect(text).toContain('key 2 (t1/0) read up to 19 of 25 acknowledged');
    expect(text).toContain('&lt;by&gt;');
    expect(text).toContain('2 hanging-transaction');
    expect(text).toContain('kafka/evidence/');
  });

  it('renders nothing when forensics had nothing to say or did not run', () => {
    expect(forensicsSection(data(undefined))).toBe('');
    expect(forensicsSection(data({ mode: 'auto', file: 'kafka/forensics.json', sentence: null, shortKeys: [], causes: {}, hangingTransactions: 0, detectorPolls: 9, overheadSeconds: 0 }))).toBe('');
  });
});
