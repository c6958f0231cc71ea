// renderReport: ReportData (already read from disk) and the inlined assets in, one HTML page out.
// Pure. Every inline script is allowed by its hash in the page's Content-Security-Policy, so even a
// script element that slipped through escaping would not run, and `default-src 'none'` keeps the
// page from fetching anything.
import { createHash } from 'node:crypto';
import type { ReportAssets } from './assets.ts';
import { chartDataOf } from './chart-data.ts';
import { h, jsonForScript, trusted } from './escape.ts';
import { anomaliesSection, keyLabelOf } from './render-anomalies.ts';
import { historySection } from './render-history.ts';
import { comparisonSection, programSection, verdictSection } from './render-run.ts';
import { forensicsSection } from './render-forensics.ts';
import { headlineOf, type ReportData } from './run-data.ts';
import { versionLine } from '../harness/meta/version.ts';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function renderReport(d: ReportData, assets: ReportAssets): string {
  const hl = headlineOf(d);
  const charts = d.histories.flatMap((x) => (x.digest ? [chartDataOf(x.target, x.digest, undefined, x.verdict)] : []));
  const scripts = [assets.uplotJs, assets.clientJs];
  const csp = `default-src 'none'; script-src ${scripts.map(sha256).join(' ')}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  const title = `kafka-eos ${hl.outcome}${hl.seed !== null ? ` · seed ${hl.seed}` : ''}`;
  const nav = [
    h`<a href="#verdict">Verdict</a>`, h`<a href="#anomalies">Anomalies</a>`, h`<a href="#comparison">Model vs real</a>`,
    ...d.histories.map((x) => h`<a href="#history-${x.target}">${x.target === 'kafka' ? 'Kafka' : 'Model'} history</a>`),
    h`<a href="#program">Program</a>`,
  ];
  const page = h`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${trusted(assets.uplotCss)}</style><style>${trusted(assets.css)}</style>
</head><body><main>
<h1>kafka-eos run report <span class="mono">${d.dir}</span></h1>
${verdictSection(d, hl)}
${forensicsSection(d)}
${d.problems.length ? h`<div class="problems"><b>Files that could not be used:</b><ul>${d.problems.map((p) => h`<li>${p}</li>`)}</ul></div>` : ''}
<nav class="toc">${nav}</nav>
${anomaliesSection(d.histories, keyLabelOf(d.program))}
${comparisonSection(d)}
${d.histories.map((x) => historySection(x, charts.find((c) => c.id === x.target) ?? null))}
${programSection(d.program)}
<footer>Generated ${d.generatedAt} by <code>kafka-eos report</code> (harness ${versionLine()}) from <span class="mono">${d.dir}</span>. Charts: uPlot, inlined. This file is self-contained: it loads nothing from the network.</footer>
</main>
<script type="application/json" id="report-data">${trusted(jsonForScript({ charts }))}</script>
${scripts.map((s) => h`<script>${trusted(s)}</script>`)}
</body></html>
`;
  return page.html;
}
