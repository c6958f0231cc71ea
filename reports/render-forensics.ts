// The forensics' sentence under the verdict (harness/forensics, docs/forensics.md): why a key's reads fell
// short, what the brokers said, and where the evidence is. Nothing when forensics had nothing to say.
import { h, type SafeHtml } from './escape.ts';
import type { ReportData } from './run-data.ts';

export function forensicsSection(d: ReportData): SafeHtml | '' {
  const f = d.verdict?.forensics;
  if (!f || (f.sentence === null && !f.unavailable && f.hangingTransactions === 0)) return '';
  const causes = Object.entries(f.causes ?? {}).map(([c, n]) => `${n} ${c}`).join(', ');
  return h`<section id="forensics" class="card"><h2>Forensics</h2>
${f.sentence ? h`<p class="forensics-sentence">${f.sentence}</p>` : ''}
${causes ? h`<p>Causes of the unseen and lost writes: ${causes}.</p>` : ''}
${f.hangingTransactions > 0 ? h`<p>${f.hangingTransactions} hanging transaction(s): see the <code>hanging-transaction</code> anomalies.</p>` : ''}
${f.unavailable ? h`<p class="note">Forensics could not run in full: ${f.unavailable}</p>` : ''}
<p class="muted">Details: <span class="mono">${f.file}</span>${f.evidence ? h`; the brokers' logs and segment dumps: <span class="mono">${f.evidence}/</span>` : ''}.</p>
</section>`;
}
