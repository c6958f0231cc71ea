// The campaign index's anomaly section (harness/campaign/index-page.ts calls it): how many of each
// anomaly type the campaign found, in how many seeds, what each means; and a seed × type matrix whose
// cells link into that seed's report, at the type's card. Inconclusive seeds show their reasons. Pure
// markup through `h`, like the rest of the page: nothing from a run becomes markup.
import { allowanceSentence, meaningOf } from '../jepsen-style/anomaly-meanings.ts';
import type { CampaignResult, SeedResult } from '../harness/campaign/result.ts';
import { h, type SafeHtml } from './escape.ts';

export const MATRIX_STYLE = `table.matrix{width:auto}.matrix td.cell{text-align:center;font-variant-numeric:tabular-nums;min-width:2.4rem}.matrix td.bad{background:#ffe3e3}
.matrix td.allowed{background:#f1f3f5;color:#666}.matrix th.type{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;vertical-align:bottom}
.badge{display:inline-block;border-radius:999px;padding:0 8px;font-size:12px;font-weight:600}.badge.bad{background:#ffe3e3;color:#c92a2a}.badge.allowed{background:#e9ecef;color:#495057}`;

/** Per seed, name → count: the seed's counts when campaign.json has them, else 1 for each invalid name it lists. */
const countsOf = (r: SeedResult): Record<string, number> =>
  r.anomalyCounts ?? Object.fromEntries(r.anomalyTypes.map((t) => [t, 1]));

/** The history whose card a link should open: the real one when the seed ran Kafka. */
const historyOf = (r: SeedResult) => (r.ops.kafka !== undefined ? 'kafka' : 'model');

interface TypeTotal { type: string; seeds: number; count: number; invalid: boolean }

function totals(c: CampaignResult): TypeTotal[] {
  const byType = new Map<string, TypeTotal>();
  for (const r of c.runs) {
    for (const [type, n] of Object.entries(countsOf(r))) {
      const t = byType.get(type) ?? { type, seeds: 0, count: 0, invalid: false };
      t.seeds++;
      t.count += n;
      t.invalid ||= r.anomalyTypes.includes(type);
      byType.set(type, t);
    }
  }
  return [...byType.values()].sort((a, b) => Number(b.invalid) - Number(a.invalid) || b.seeds - a.seeds || a.type.localeCompare(b.type));
}

function cell(r: SeedResult, t: TypeTotal): SafeHtml {
  const n = countsOf(r)[t.type];
  if (n === undefined) return h`<td class="cell"></td>`;
  const invalid = r.anomalyTypes.includes(t.type);
  const text = r.anomalyCounts ? String(n) : '✕';
  const link = r.report ? h`<a href="${r.report}#${historyOf(r)}-anomaly-${t.type}" title="seed ${r.seed}: ${n} ${t.type}">${text}</a>` : text;
  return h`<td class="cell ${invalid ? 'bad' : 'allowed'}">${link}</td>`;
}

const OUTCOME: Record<string, string> = { valid: 'valid', anomalies: 'anomalies', 'model-divergence': 'model divergence', inconclusive: 'inconclusive', 'harness-error': 'could not run' };

export function anomalyMatrix(c: CampaignResult): SafeHtml {
  const types = totals(c);
  const undecided = c.runs.filter((r) => r.status === 'inconclusive');
  const counts = types.length === 0
    ? h`<p class="note">No anomaly of any type in ${c.runs.length} seed(s).</p>`
    : h`<table class="counts"><thead><tr><th>anomaly</th><th>status</th><th>seeds</th><th>found</th><th>what it means</th></tr></thead><tbody>
${types.map((t) => {
    const m = meaningOf(t.type);
    return h`<tr data-type="${t.type}"><td><code>${t.type}</code></td><td><span class="badge ${t.invalid ? 'bad' : 'allowed'}">${t.invalid ? 'invalidates' : 'allowed'}</span></td>
<td>${t.seeds} of ${c.runs.length}</td><td>${t.count}</td><td>${m ? `${m.meaning} ${allowanceSentence(m)}` : ''}</td></tr>`;
  })}</tbody></table>`;
  const matrix = types.length === 0 && undecided.length === 0 ? '' : h`<h2 id="matrix">Seeds × anomaly types</h2>
<p class="note">A cell counts that type in the seed's histories and links to its card in the seed's report; red cells invalidate the seed, grey ones are allowed.${c.runs.some((r) => !r.anomalyCounts) ? ' ✕: found (this campaign.json predates per-type counts).' : ''}</p>
<table class="matrix"><thead><tr><th>seed</th><th>outcome</th>${types.map((t) => h`<th class="type"><code>${t.type}</code></th>`)}</tr></thead><tbody>
${c.runs.map((r) => h`<tr data-seed="${r.seed}"><td>${r.report ? h`<a href="${r.report}">${r.seed}</a>` : r.seed}</td><td class="${r.status}">${OUTCOME[r.outcome] ?? r.outcome}${(r.inconclusive ?? []).map((why) => h`<div class="inconclusive">${why}</div>`)}</td>${types.map((t) => cell(r, t))}</tr>`)}
</tbody></table>`;
  return h`<style>${MATRIX_STYLE}</style><h2 id="anomaly-counts">Anomalies by type</h2>${counts}${matrix}`;
}
