// One history's section: run statistics, the three plots (drawn by the page's script from the
// embedded chart data), and the history excerpt as an anchored table with gaps marked.
import type { ChartData } from './chart-data.ts';
import type { ExcerptRow, HistoryDigest } from './digest.ts';
import { h, type SafeHtml } from './escape.ts';
import { opRef, rowId } from './render-anomalies.ts';
import type { HistoryReport } from './run-data.ts';
import { figuresOf } from './stats.ts';

const seconds = (ns: number) => `${(ns / 1e9).toFixed(3)} s`;
const ms = (ns: number) => (ns >= 1e9 ? `${(ns / 1e9).toFixed(2)} s` : `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`);
const stat = (k: string, v: string | number) => h`<div class="stat"><div class="v">${v}</div><div class="k">${k}</div></div>`;
const FAULT_SWATCH: Record<string, string> = { partition: 'rgba(121,80,242,.35)', kill: 'rgba(224,49,49,.3)', pause: 'rgba(25,113,194,.3)' };

function statistics(hr: HistoryReport, d: HistoryDigest): SafeHtml {
  const f = figuresOf(d);
  const logical = hr.target === 'model' ? 'logical ' : '';
  const s = hr.verdict?.stats;
  const lat = f.okLatency;
  return h`<div class="stats-grid">
${stat('events', d.events.toLocaleString('en'))}${stat('client ops', (s?.ops ?? d.ops.index.length).toLocaleString('en'))}
${stat('ok', (s?.ok ?? 0).toLocaleString('en'))}${stat('fail', (s?.fail ?? 0).toLocaleString('en'))}${stat('info', (s?.info ?? 0).toLocaleString('en'))}
${stat('processes', d.processes)}${stat(`${logical}duration`, seconds(f.durationNs))}${stat(`ok ops / ${logical}s`, f.okPerSecond.toFixed(1))}
${lat ? [stat(`${logical}latency p50`, ms(lat.p50)), stat(`${logical}latency p95`, ms(lat.p95)), stat(`${logical}latency p99`, ms(lat.p99)), stat(`${logical}latency max`, ms(lat.max))] : ''}
${stat('fault periods', f.faultPeriods)}${stat(`${logical}time under faults`, seconds(f.faultedNs))}
</div>
<table class="card" style="margin-top:12px"><thead><tr><th>op</th><th class="num">ok</th><th class="num">fail</th><th class="num">info</th></tr></thead>
<tbody>${f.byF.map((c) => h`<tr><td class="mono">${c.f}</td><td class="num">${c.ok}</td><td class="num">${c.fail}</td><td class="num">${c.info}</td></tr>`)}</tbody></table>`;
}

function charts(hr: HistoryReport, chart: ChartData): SafeHtml {
  const families = [...new Set(chart.faults.map((b) => b.family))];
  const legend = families.length === 0
    ? h`<p class="note">No fault was injected in this history.</p>`
    : h`<p class="legend-faults">Shaded: ${families.map((f) => h`<span><i style="background:${FAULT_SWATCH[f] ?? 'rgba(134,142,150,.35)'}"></i>${f}</span>`)}</p>`;
  const thinned = chart.stride > 1
    ? h`<p class="note">${chart.ops.index.length.toLocaleString('en')} of the ops are plotted (every ${chart.stride}th) to keep this file small; the statistics count all.</p>`
    : '';
  const box = (kind: string, title: string, note: string) =>
    h`<div class="chart-title">${title}</div><p class="note">${note}</p><div class="chart" data-chart="${kind}" data-history="${hr.target}"></div>`;
  const logical = chart.clock === 'logical';
  const clock = logical
    ? h`<p class="clock note"><b>Logical time.</b> The model runs on a simulated clock: its times and latencies are logical ticks shown as seconds, not measurements, and only their order means something.</p>`
    : '';
  const marks = chart.marks.length === 0 ? '' : h` Ops cited by anomalies are marked: a dark red diamond (invalidating) or a grey one (allowed) above the op.`;
  const clipped = chart.latencyTopMs === null ? '' : ` The axis stops at ${chart.latencyTopMs} ms (four times the 99th percentile) so that a few outliers do not squash the rest: slower ops are triangles on its top edge.`;
  return h`${clock}${legend}${thinned}
${families.length > 0 ? box('faults', 'Faults', 'One lane per fault family; each bar is one fault period, named with the nodes it hit (a partition: the sides, separated by |).') : ''}
${box('timeline', 'Timeline', 'One row per process; each bar runs from an op\'s invoke to its completion, green ok, red fail, orange info (outcome unknown); an op that never completed runs to the end.')}${marks}
${box('latency', 'Latency', `Each op at the time it was invoked, by how long it took (log scale${logical ? ', logical' : ''}), coloured by how it completed; the ops invalidating anomalies cite are ringed.${clipped} Drag to zoom, double-click to reset.`)}
${box('rate', 'Throughput', `Completions per ${logical ? 'logical ' : ''}second in ${chart.throughput.bucketS} s buckets, by how they completed.`)}`;
}

function row(target: string, r: ExcerptRow, hits: ReadonlySet<number>, shown: ReadonlySet<number>): SafeHtml {
  const cls = `${r.process === 'nemesis' ? 'nemesis ' : ''}t-${r.type}${hits.has(r.index) ? ' hit' : ''}`;
  return h`<tr id="${rowId(target, r.index)}" class="${cls}"><td class="idx num"><a href="#${rowId(target, r.index)}">${r.index}</a></td>
<td class="num">${(r.timeNs / 1e9).toFixed(6)}</td><td>${r.process}</td><td class="type">${r.type}</td><td>${r.f}</td>
<td class="value">${r.value}</td><td class="err">${r.error ?? ''}</td><td>${r.pair !== undefined ? opRef(target, r.pair, shown) : ''}</td></tr>`;
}

function excerpt(hr: HistoryReport, d: HistoryDigest): SafeHtml {
  const hits = new Set(Object.values(hr.verdict?.anomalies ?? {}).flatMap((list) => list.flatMap((a) => a.ops)));
  const shown = new Set(d.rows.map((r) => r.index));
  const body: SafeHtml[] = [];
  let next = 0;
  for (const r of d.rows) {
    if (r.index > next) body.push(h`<tr class="gap"><td colspan="8">… ${r.index - next} event(s) not shown …</td></tr>`);
    body.push(row(hr.target, r, hits, shown));
    next = r.index + 1;
  }
  if (d.events > next) body.push(h`<tr class="gap"><td colspan="8">… ${d.events - next} event(s) not shown …</td></tr>`);
  return h`<p class="note">Shows ${d.rows.length.toLocaleString('en')} of ${d.events.toLocaleString('en')} events: every anomaly's ops (highlighted) with the events around them, the end, the faults and the start. Values longer than a few hundred characters are cut.${d.rowsCapped > 0 ? ` ${d.rowsCapped} more wanted events were left out to keep the file small (the start and the faults go first, never the cited ops or the end).` : ''}</p>
<div class="history-wrap"><table class="history"><thead><tr><th class="num">index</th><th class="num">${hr.target === 'model' ? 'logical time (s)' : 'time (s)'}</th><th>process</th><th>type</th><th>f</th><th>value</th><th>error</th><th>pair</th></tr></thead>
<tbody>${body}</tbody></table></div>`;
}

export function historySection(hr: HistoryReport, chart: ChartData | null): SafeHtml {
  const d = hr.digest;
  const title = hr.target === 'kafka' ? 'Real Kafka history' : 'Model history';
  if (!d) return h`<section id="history-${hr.target}"><h2>${title}</h2><p>Could not be read: ${hr.error ?? 'unknown reason'}</p></section>`;
  return h`<section id="history-${hr.target}"><h2>${title} <span class="muted mono" style="font-size:14px">${hr.path}</span></h2>
${hr.error ? h`<p class="incomplete">Reading stopped early: ${hr.error}</p>` : ''}
${hr.warnings.length ? h`<ul class="note">${hr.warnings.map((w) => h`<li>${w}</li>`)}</ul>` : ''}
<h3>Statistics</h3>${statistics(hr, d)}
<h3>Plots</h3>${chart ? charts(hr, chart) : ''}
<h3>History <label class="jump">jump to event <input type="number" min="0" max="${d.events - 1}" data-jump="${hr.target}" placeholder="index"></label></h3>${excerpt(hr, d)}</section>`;
}
