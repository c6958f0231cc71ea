// DIR/index.html of a campaign: one self-contained page (no script, no network) with a row per seed:
// verdict, anomaly types, duration, ops, the repro line and a link to the seed's own report. Every
// piece of text goes through the reports' escaping template (`h`), so an error message holding markup
// stays text.
import { h } from '../../reports/escape.ts';
import type { CampaignResult, SeedResult } from './result.ts';
import { tally } from './result.ts';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}code{font-size:12px;word-break:break-all}.valid{color:#11691f}.invalid{color:#b3001b;font-weight:600}
.error{color:#8a5a00;font-weight:600}.inconclusive{color:#5b3f99;font-weight:600}.summary span{margin-right:1.5rem}.note{color:#555}`;

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const LABEL = { valid: 'valid', invalid: 'anomalies', inconclusive: 'inconclusive', error: 'could not run' } as const;

function row(r: SeedResult) {
  const ops = Object.entries(r.ops).map(([target, n]) => `${target} ${n}`).join(', ');
  const verdict = r.status === 'invalid' && r.anomalyTypes.length === 0 ? 'model divergence' : LABEL[r.status];
  return h`<tr id="seed-${r.seed}"><td>${r.seed}</td><td class="${r.status}">${verdict}</td>
<td>${r.anomalyTypes.join(', ')}${r.error ? h`<div class="error">${r.error}</div>` : ''}${(r.inconclusive ?? []).map((why) => h`<div class="inconclusive">${why}</div>`)}</td>
<td>${formatDuration(r.durationSeconds)}</td><td>${ops}</td>
<td>${r.report ? h`<a href="${r.report}">report</a>` : h`<span class="note">none</span>`}</td><td><code>${r.repro}</code></td></tr>`;
}

export function renderCampaignIndex(c: CampaignResult): string {
  const t = tally(c);
  const headline = t.invalid > 0 ? h`<span class="invalid">${t.invalid} seed(s) found anomalies</span>`
    : t.error > 0 ? h`<span class="error">${t.error} seed(s) could not run</span>`
    : t.inconclusive > 0 ? h`<span class="inconclusive">${t.inconclusive} seed(s) inconclusive</span>` : h`<span class="valid">all seeds valid</span>`;
  const range = c.seeds.length > 0 ? `${c.seeds[0]}..${c.seeds[c.seeds.length - 1]}` : '(none)';
  return h`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kafka-eos campaign, seeds ${range}</title><style>${STYLE}</style></head>
<body><h1>kafka-eos campaign: seeds ${range}</h1>
<p class="summary">${headline} <span>${c.runs.length} of ${c.seeds.length} seeds run${c.complete ? '' : ' (stopped early)'}</span>
<span>valid ${t.valid} · anomalies ${t.invalid} · inconclusive ${t.inconclusive} · could not run ${t.error}</span><span>${formatDuration(c.durationSeconds)}</span></p>
<p>target ${c.target}; started ${c.startedAt}; arguments: <code>${c.args.join(' ')}</code>${c.harness ? h`; harness ${c.harness.version} (commit ${c.harness.commit.slice(0, 12)})` : ''}</p>
${t.anomalyTypes.length > 0 ? h`<p>anomaly types found: <span class="invalid">${t.anomalyTypes.join(', ')}</span></p>` : ''}
<table><thead><tr><th>seed</th><th>verdict</th><th>anomalies</th><th>duration</th><th>ops</th><th>report</th><th>repro</th></tr></thead>
<tbody>${c.runs.map(row)}</tbody></table>
<p class="note">Also in this directory: campaign.json (the same data), junit.xml (one test case per seed).</p>
</body></html>
`.html;
}
