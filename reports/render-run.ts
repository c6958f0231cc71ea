// The parts of the page about the run as a whole: the verdict banner with the repro line, the
// model-vs-real comparison, and the program's shape.
import type { Program } from '../harness/workload/program.ts';
import { h, type SafeHtml } from './escape.ts';
import type { Headline, ReportData } from './run-data.ts';

const OUTCOME_TEXT: Record<Headline['outcome'], [string, string]> = {
  valid: ['Valid', 'No anomaly that breaks exactly-once was found.'],
  anomalies: ['Anomalies found', 'The checker found anomalies that break Kafka\'s exactly-once promise.'],
  'model-divergence': ['Model divergence', 'The real cluster and the model disagree on what this program may observe.'],
  inconclusive: ['Inconclusive', 'Nothing proves a violation, but the harness could not decide either; the reasons are below.'],
  'harness-error': ['Harness error', 'The harness could not do its job: this is not a verdict on Kafka.'],
};

/** With --mutate the client was broken on purpose: what the run found is the mutation's doing. */
function mutationSentence(hl: Headline): SafeHtml | '' {
  if (!hl.mutate) return '';
  return hl.outcome === 'anomalies' || hl.outcome === 'model-divergence'
    ? h`<p class="mutation">This run's client was broken on purpose (<code>--mutate ${hl.mutate}</code>): the mutation broke exactly-once, not Kafka. The anomalies show what the checker catches when an application makes this mistake.</p>`
    : h`<p class="mutation">This run's client was broken on purpose (<code>--mutate ${hl.mutate}</code>), yet nothing was caught: the mutation's damage did not show in this run.</p>`;
}

/** An anomaly name linked to its card in the first history (Kafka before the model) that has it. */
function typeLink(d: ReportData, type: string): SafeHtml {
  const where = [...d.histories].sort((a, b) => (a.target === 'kafka' ? -1 : b.target === 'kafka' ? 1 : 0))
    .find((x) => x.verdict?.anomalyTypes.includes(type));
  return where ? h`<a href="#${where.target}-anomaly-${type}"><code>${type}</code></a>` : h`<code>${type}</code>`;
}

export function verdictSection(d: ReportData, hl: Headline): SafeHtml {
  const [title, sentence] = OUTCOME_TEXT[hl.outcome] ?? [hl.outcome, 'verdict.json names an outcome this report does not know.'];
  const fact = (k: string, v: string | number | null) => h`<div><dt>${k}</dt><dd>${v === null || v === '' ? '—' : v}</dd></div>`;
  const v = d.verdict;
  const incomplete = hl.complete ? '' : h`<div class="incomplete" id="incomplete"><strong>Incomplete run.</strong> ${hl.incompleteReasons.length ? h`<ul>${hl.incompleteReasons.map((r) => h`<li>${r}</li>`)}</ul>` : ''}</div>`;
  return h`<section id="verdict" class="verdict ${hl.outcome}" data-outcome="${hl.outcome}">
<p class="outcome">${title}${hl.complete ? '' : ' (incomplete)'}</p>
<p class="summary">${sentence}${hl.anomalyTypes.length ? h` Invalid: ${hl.anomalyTypes.map((t, i) => h`${i ? ', ' : ''}${typeLink(d, t)}`)}.` : ''}</p>
${mutationSentence(hl)}
${hl.inconclusive.length ? h`<div class="card inconclusive-reasons" id="inconclusive"><b>Could not decide:</b><ul>${hl.inconclusive.map((r) => h`<li>${r}</li>`)}</ul></div>` : ''}
${hl.harnessError ? h`<p class="card"><b>Error:</b> <span class="mono">${hl.harnessError}</span></p>` : ''}
${hl.forensics ? h`<p class="card forensics" id="forensics"><b>Forensics:</b> ${hl.forensics}</p>` : ''}
<dl class="facts">
${fact('seed', hl.seed)}${fact('target', hl.target)}${fact('Kafka version', hl.kafkaVersion ?? (hl.target === 'model' ? 'model only' : null))}
${fact('client', hl.client)}${fact('nemesis', hl.nemesis.length ? hl.nemesis.join(', ') : 'none')}${fact('mutation', hl.mutate ?? 'none')}
${fact('transaction version', v?.txnVersion ?? d.program?.txnVersion ?? null)}${fact('time limit', typeof v?.timeLimitSeconds === 'number' ? `${v.timeLimitSeconds} s` : d.program ? `${d.program.options.timeLimitMs / 1000} s` : null)}
${fact('started', typeof v?.startedAt === 'string' ? v.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : null)}${fact('took', typeof v?.durationSeconds === 'number' ? `${v.durationSeconds.toFixed(1)} s` : null)}
${fact('harness', hl.harness)}
</dl>
${hl.repro ? h`<div class="repro"><pre id="repro"><code>${hl.repro}</code></pre><button type="button" data-copy="repro">copy</button></div>` : h`<p class="note">No repro command: neither verdict.json nor program.json is there.</p>`}
</section>${incomplete}`;
}

export function comparisonSection(d: ReportData): SafeHtml {
  const checked = d.histories.filter((x) => x.verdict);
  const types = [...new Set(checked.flatMap((x) => x.verdict!.anomalyTypes))].sort();
  const divergences = d.verdict?.divergences ?? [];
  // Allowed here: found, and no example of it invalidates a history (G1c and poll-skip can be either).
  const invalid = new Set(checked.flatMap((x) => x.verdict!.invalidTypes ?? []));
  const status = (t: string) => (invalid.has(t) ? h`<span class="badge bad">invalidates</span>` : h`<span class="badge allowed">allowed</span>`);
  const table = checked.length === 0 ? '' : h`<table class="card comparison"><thead><tr><th>anomaly</th><th>status</th>${checked.map((x) => h`<th class="num">${x.target}</th>`)}</tr></thead><tbody>
<tr><td><b>verdict</b></td><td></td>${checked.map((x) => h`<td class="num">${x.verdict!.valid ? h`<span class="badge okb">valid</span>` : h`<span class="badge bad">invalid</span>`}</td>`)}</tr>
${types.map((t) => h`<tr data-type="${t}" class="${invalid.has(t) ? 'invalid' : 'allowed'}"><td><code>${t}</code></td><td>${status(t)}</td>${checked.map((x) => h`<td class="num">${x.verdict!.anomalyCounts?.[t] ?? x.verdict!.anomalies[t]?.length ?? 0}</td>`)}</tr>`)}
</tbody></table>
${types.some((t) => !invalid.has(t)) ? h`<p class="note">Allowed types are reported but do not make a history invalid (Kafka does not isolate writes; a poll promises no snapshot): each card above says why.</p>` : ''}`;
  const divergenceList = !d.verdict
    ? h`<p class="note">No verdict.json, so the model and the real cluster were not compared.</p>`
    : divergences.length === 0
      ? h`<p>${d.verdict.target === 'both' ? 'No divergence: the real cluster behaved as the model allows.' : `Only the ${d.verdict.target ?? 'one target'} was run, so there is nothing to compare.`}</p>`
      : h`<ul class="divergences">${divergences.map((x) => h`<li><b>${x.kind}</b>: ${x.explanation}${x.ops?.length ? h` <span class="anomaly-meta">ops ${x.ops.join(', ')}</span>` : ''}</li>`)}</ul>`;
  return h`<section id="comparison"><h2>Model vs real Kafka</h2>${table}<h3>Divergences</h3>${divergenceList}</section>`;
}

export function programSection(p: Program | null): SafeHtml {
  if (!p) return h`<section id="program"><h2>Program</h2><p class="note">No usable program.json in this directory.</p></section>`;
  const roles = ['idempotent', 'transactional', 'copier'].map((r) => `${p.workers.filter((w) => w.role === r).length} ${r}`).join(', ');
  const ops = p.workers.reduce((n, w) => n + w.ops.length, 0);
  const schedule = [...p.nemesis.schedule, ...p.nemesis.finalHeal];
  return h`<section id="program"><h2>Program</h2>
<dl class="facts card">
<div><dt>workers</dt><dd>${roles}</dd></div><div><dt>planned ops</dt><dd>${ops}</dd></div>
<div><dt>keys (topic-partitions)</dt><dd>${p.keys.length} over ${p.topics.length} topics</dd></div><div><dt>brokers</dt><dd>${p.nodes.join(', ')}</dd></div>
<div><dt>pacing</dt><dd>${p.pacing.rateHz} Hz total</dd></div><div><dt>main phase</dt><dd>${p.phases.timeLimitMs / 1000} s + ${p.phases.recoveryMs / 1000} s recovery</dd></div>
</dl>
<h3>Fault schedule</h3>
${schedule.length === 0 ? h`<p class="muted">No faults scheduled.</p>` : h`<table class="card"><thead><tr><th class="num">at (s)</th><th>op</th><th>value</th></tr></thead><tbody>${schedule.slice(0, 200).map((e) => h`<tr><td class="num">${(e.atMs / 1000).toFixed(3)}</td><td class="mono">${e.op.f}</td><td class="mono">${JSON.stringify(e.op.value)}</td></tr>`)}</tbody></table>${schedule.length > 200 ? h`<p class="note">${schedule.length - 200} more not shown.</p>` : ''}`}
<h3>Keys</h3><p class="mono">${p.keys.map((k, i) => `${i ? ', ' : ''}${k.key} = ${k.topic}/${k.partition}`).join('')}</p></section>`;
}
