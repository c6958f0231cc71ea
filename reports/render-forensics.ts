// The forensics' details under the verdict banner (harness/forensics, docs/forensics.md): the banner shows
// `forensics.summary`, the one sentence; this part adds the causes found, the hanging transactions and
// where the brokers' evidence is. Nothing when forensics found nothing.
import { h, type SafeHtml } from './escape.ts';
import type { ReportData } from './run-data.ts';

export function forensicsSection(d: ReportData): SafeHtml | '' {
  const f = d.verdict?.forensics;
  const causes = Object.entries(f?.causes ?? {}).map(([c, n]) => `${n} ${c}`).join(', ');
  if (!f || (!causes && !f.unavailable && !f.hangingTransactions && !f.evidence)) return '';
  return h`<section id="forensics-details" class="card"><h2>Forensics</h2>
${causes ? h`<p>Why acknowledged writes were not read: ${causes} (docs/forensics.md).</p>` : ''}
${f.hangingTransactions ? h`<p>${f.hangingTransactions} hanging transaction(s): see the <code>hanging-transaction</code> anomalies.</p>` : ''}
${f.unavailable ? h`<p class="note">Forensics could not run in full: ${f.unavailable}</p>` : ''}
<p class="muted">Details: <span class="mono">${f.file}</span>${f.evidence ? h`; the brokers' logs and segment dumps: <span class="mono">${f.evidence}/</span>` : ''}.</p>
</section>`;
}
