// The anomalies section: per history, each anomaly type with its count, whether it invalidates the
// history, and examples whose ops link to their rows in the history table.
import type { Anomaly } from '../jepsen-style/anomaly.ts';
import { allowanceSentence, meaningOf } from '../jepsen-style/anomaly-meanings.ts';
import type { Verdict } from '../jepsen-style/checker.ts';
import type { Program } from '../harness/workload/program.ts';
import { h, type SafeHtml } from './escape.ts';
import type { HistoryReport } from './run-data.ts';

/** A key as the report shows it: with its topic-partition when program.json says which. */
export type KeyLabel = (key: number) => string;

export function keyLabelOf(program: Program | null): KeyLabel {
  const tp = new Map((program?.keys ?? []).map((k) => [k.key, `${k.topic}/${k.partition}`]));
  return (key) => (tp.has(key) ? `${key} (${tp.get(key)})` : String(key));
}

/** Op references separated by commas: run together, 36195 and 36197 read as one number. */
export function opRefs(target: string, indices: readonly number[], shown: ReadonlySet<number>): SafeHtml {
  return h`${indices.map((i, n) => h`${n > 0 ? ', ' : ''}${opRef(target, i, shown)}`)}`;
}

/** Examples listed per anomaly type; the checker keeps more, the count says how many in all. */
const EXAMPLES_SHOWN = 12;

export const rowId = (target: string, index: number): string => `${target}-e-${index}`;

/** A link to an event's row when the table has it; plain text when the excerpt left it out. */
export function opRef(target: string, index: number, shown: ReadonlySet<number>): SafeHtml {
  return shown.has(index)
    ? h`<a class="op" href="#${rowId(target, index)}">${index}</a>`
    : h`<span class="op mono" title="outside the history excerpt embedded in this report">${index}</span>`;
}

function example(target: string, a: Anomaly, shown: ReadonlySet<number>, keyLabel: KeyLabel): SafeHtml {
  const meta: SafeHtml[] = [];
  if (a.ops.length > 0) meta.push(h`ops ${opRefs(target, a.ops, shown)}`);
  if (a.key !== undefined) meta.push(h`key <b>${keyLabel(a.key)}</b>`);
  if (a.offsets?.length) meta.push(h`offsets ${a.offsets.join(', ')}`);
  if (a.values?.length) meta.push(h`values ${a.values.join(', ')}`);
  if (a.skipped?.length) meta.push(h`skipped ${a.skipped.join(', ')}`);
  if (a.delta !== undefined) meta.push(h`delta ${a.delta}`);
  const cycle = a.cycle?.length
    ? h`<div class="anomaly-meta">cycle: ${a.cycle.map((s, i) => h`${i > 0 ? ' → ' : ''}${opRef(target, s.from, shown)} <i>${s.rel}${s.key !== undefined ? ` key ${keyLabel(s.key)}` : ''}</i>`)} → ${opRef(target, a.cycle[a.cycle.length - 1]!.to, shown)}</div>`
    : '';
  const sep = meta.map((m, i) => h`${i > 0 ? ' · ' : ''}${m}`);
  return h`<li><span class="explanation">${a.explanation}</span><div class="anomaly-meta">${sep}</div>${cycle}</li>`;
}

/** What the type means and whether it is allowed, in one sentence each (a name this report does not know says so). */
export function meaningLine(type: string): SafeHtml {
  const m = meaningOf(type);
  return m
    ? h`<p class="meaning">${m.meaning} <span class="allowance">${allowanceSentence(m)}</span></p>`
    : h`<p class="meaning muted">A name this report does not know; the checker's verdict says whether it is allowed.</p>`;
}

function typeCard(target: string, verdict: Verdict, type: string, shown: ReadonlySet<number>, keyLabel: KeyLabel): SafeHtml {
  const list = verdict.anomalies[type] ?? [];
  const count = verdict.anomalyCounts?.[type] ?? list.length;
  const invalid = verdict.invalidTypes?.includes(type) ?? !list.every((a) => a.allowed);
  const hidden = count - Math.min(list.length, EXAMPLES_SHOWN);
  return h`<div class="card anomaly-type${invalid ? '' : ' allowed'}" id="${target}-anomaly-${type}" data-anomaly="${type}">
<h3><code>${type}</code> <span class="badge ${invalid ? 'bad' : 'allowed'}">${invalid ? 'invalidates the history' : 'allowed here'}</span> <span class="muted">${count} found</span></h3>
${meaningLine(type)}
<ol class="examples">${list.slice(0, EXAMPLES_SHOWN).map((a) => example(target, a, shown, keyLabel))}</ol>
${hidden > 0 ? h`<p class="note">${hidden} more not listed${list.length < count ? ' (the checker keeps a bounded number of examples per type)' : ''}.</p>` : ''}
</div>`;
}

export function anomaliesSection(histories: HistoryReport[], keyLabel: KeyLabel = String): SafeHtml {
  const parts = histories.map((hr) => {
    const v = hr.verdict;
    if (!v) return h`<h3>${hr.path}</h3><p class="note">Not checked: ${hr.error ?? 'unknown reason'}</p>`;
    const shown = new Set(hr.digest?.rows.map((r) => r.index) ?? []);
    const invalid = new Set(v.invalidTypes ?? []);
    const types = [...v.anomalyTypes].sort((a, b) => Number(invalid.has(b)) - Number(invalid.has(a)) || a.localeCompare(b));
    const summary = v.valid
      ? h`<span class="badge okb">valid</span> no anomaly that invalidates the history`
      : h`<span class="badge bad">invalid</span> ${invalid.size} anomaly type(s) invalidate the history`;
    return h`<h3>${hr.target === 'kafka' ? 'Real Kafka' : 'Model'} history <span class="muted mono">${hr.path}</span></h3>
<p>${summary}${hr.checkedByReport ? h` <span class="muted">(checked by this report: verdict.json had no result for it)</span>` : ''}</p>
${types.length === 0 ? h`<p class="muted">The checker found nothing to report.</p>` : types.map((t) => typeCard(hr.target, v, t, shown, keyLabel))}`;
  });
  return h`<section id="anomalies"><h2>Anomalies</h2>${histories.length === 0 ? h`<p class="muted">No history was recorded.</p>` : parts}</section>`;
}
