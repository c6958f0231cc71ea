// DIR/index.html of a campaign: one self-contained page (no script, no network): a summary, then
// sections. Each section is a function of campaign.json, so another view of the seeds (counts per
// anomaly type, a seed x type matrix) is one more entry in INDEX_SECTIONS. Every piece of text goes
// through the reports' escaping template (`h`), so an error message holding markup stays text.
// What differs between two runs of the same seeds (start time, durations) is marked class="timing",
// and a merged campaign's list of shards class="provenance": all else is the seeds' own result.
import { anomalyMatrix } from '../../reports/campaign-matrix.ts';
import { h, type SafeHtml } from '../../reports/escape.ts';
import type { CampaignResult, SeedResult } from './result.ts';
import { tally, tallyWords } from './result.ts';
import { formatSeeds, formatShard } from './seeds.ts';

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

/** A section of the page below the summary; '' when it has nothing to show for this campaign. */
export type IndexSection = (c: CampaignResult) => SafeHtml | '';

export const STATUS_LABEL = { valid: 'valid', invalid: 'anomalies', inconclusive: 'inconclusive', error: 'could not run' } as const;

export const verdictLabel = (r: SeedResult): string =>
  r.status === 'invalid' && r.anomalyTypes.length === 0 ? 'model divergence' : STATUS_LABEL[r.status];

function row(r: SeedResult) {
  const ops = Object.entries(r.ops).map(([target, n]) => `${target} ${n}`).join(', ');
  const reasons = r.inconclusive ?? [];
  return h`<tr id="seed-${r.seed}"><td>${r.seed}</td><td class="${r.status}">${verdictLabel(r)}</td>
<td>${r.anomalyTypes.join(', ')}${r.error ? h`<div class="error">${r.error}</div>` : ''}${reasons.map((why) => h`<div class="inconclusive">${why}</div>`)}</td>
<td class="timing">${formatDuration(r.durationSeconds)}</td><td>${ops}</td>
<td>${r.report ? h`<a href="${r.report}">report</a>` : h`<span class="note">none</span>`}</td><td><code>${r.repro}</code></td></tr>`;
}

const anomalyTypesFound: IndexSection = (c) => {
  const types = tally(c).anomalyTypes;
  return types.length > 0 ? h`<p>anomaly types found: <span class="invalid">${types.join(', ')}</span></p>` : '';
};

const seedTable: IndexSection = (c) => h`<table><thead><tr><th>seed</th><th>verdict</th><th>anomalies</th><th>duration</th><th>ops</th><th>report</th><th>repro</th></tr></thead>
<tbody>${c.runs.map(row)}</tbody></table>`;

/** The page's sections, in order. Add a view here (a function of campaign.json); keep each one pure. */
export const INDEX_SECTIONS: IndexSection[] = [anomalyTypesFound, seedTable, anomalyMatrix];

/** "seeds 1..10", a shard's "seeds 1,3 (shard 0/2 of 1..4)". */
function seedsTitle(c: CampaignResult): string {
  const mine = c.seeds.length > 0 ? formatSeeds(c.seeds) : '(none)';
  return c.shard ? `seeds ${mine} (shard ${formatShard(c.shard)} of ${c.seedSpec})` : `seeds ${mine}`;
}

function provenance(c: CampaignResult) {
  if (!c.shards) return '';
  const count = c.shards[0]?.shard.count ?? '?';
  const shards = c.shards.map((s) => h`<li>shard ${formatShard(s.shard)} from <code>${s.dir}</code>: ${s.runs} seed(s), started ${s.startedAt}, \
${formatDuration(s.durationSeconds)}${s.complete ? '' : ' (stopped early)'}</li>`);
  const missing = (c.missingShards ?? []).map((i) => h`<li class="error">shard ${i}/${count} missing: its seeds did not run</li>`);
  return h`<div class="provenance"><p>merged from ${c.shards.length} shard(s):</p><ul>${shards}${missing}</ul></div>`;
}

function headline(c: CampaignResult) {
  const t = tally(c);
  if (t.invalid > 0) return h`<span class="invalid">${t.invalid} seed(s) found anomalies</span>`;
  if (t.error > 0) return h`<span class="error">${t.error} seed(s) could not run</span>`;
  if (t.inconclusive > 0) return h`<span class="inconclusive">${t.inconclusive} seed(s) inconclusive</span>`;
  return c.runs.length > 0 ? h`<span class="valid">all seeds valid</span>` : h`<span class="note">no seeds run</span>`;
}

export function renderCampaignIndex(c: CampaignResult, sections: readonly IndexSection[] = INDEX_SECTIONS): string {
  const t = tally(c);
  const title = seedsTitle(c);
  return h`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kafka-eos campaign, ${title}</title><style>${STYLE}</style></head>
<body><h1>kafka-eos campaign: ${title}</h1>
<p class="summary">${headline(c)} <span>${c.runs.length} of ${c.seeds.length} seeds run${c.complete ? '' : ' (stopped early)'}</span>
<span>${tallyWords(t)}</span><span class="timing">${formatDuration(c.durationSeconds)}</span></p>
<p>target ${c.target}; started <span class="timing">${c.startedAt}</span>; arguments: <code>${c.args.join(' ')}</code>${c.harness ? h`; harness ${c.harness.version} (commit ${c.harness.commit.slice(0, 12)})` : ''}</p>
${provenance(c)}
${sections.map((section) => section(c))}
<p class="note">Also in this directory: campaign.json (the same data), junit.xml (one test case per seed).</p>
</body></html>
`.html;
}
