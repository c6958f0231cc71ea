// DIR/index.html of a multi-client run: the clients' verdicts side by side, each anomaly marked with
// the clients that showed it (one not all of them showed is theirs), and links to each client's report.
import fs from 'node:fs';
import path from 'node:path';
import { html } from '../../reports/escape.ts';
import type { RunVerdict } from '../run/verdict-file.ts';

export function renderComparePage(v: RunVerdict): string {
  const clients = v.clients ?? [];
  const specific = clientSpecificAnomalies(v);
  const types = Object.keys(v.anomalyClients ?? {}).sort();
  const head = `<tr><th>client</th><th>outcome</th><th>transaction version</th><th>ops ok / fail / info</th>${types.map((t) => `<th>${html(t)}</th>`).join('')}<th>report</th></tr>`;
  const rows = clients.map((c) => {
    const cells = types.map((t) => {
      const seen = c.anomalyTypes.includes(t);
      return `<td class="${seen ? 'bad' : 'ok'}">${seen ? (specific[t] ? 'seen, this client only' : 'seen') : '—'}</td>`;
    }).join('');
    const ops = c.ops ? `${c.ops.ok} / ${c.ops.fail} / ${c.ops.info}` : 'no history';
    return `<tr><td>${html(c.client)}</td><td class="${c.outcome === 'valid' ? 'ok' : 'bad'}">${html(c.outcome)}${c.complete ? '' : ' (incomplete)'}</td>` +
      `<td>${c.clientTxnVersion ?? 'unknown'}</td><td>${ops}</td>${cells}<td><a href="${html(c.dir)}/index.html">${html(c.dir)}</a></td></tr>`;
  }).join('\n');
  const findings = types.length === 0 ? '<p>No client showed an anomaly.</p>' : `<ul>${types.map((t) => {
    const cs = v.anomalyClients![t]!;
    return `<li><b>${html(t)}</b>: ${specific[t] ? `only ${html(cs.join(', '))}: the client's, not Kafka's` : `every client (${html(cs.join(', '))})`}</li>`;
  }).join('')}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kafka-eos seed ${v.seed}: ${html(v.outcome)} (${clients.length} clients)</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.bad{background:#fde2e1}.ok{background:#e3f6e5}code{background:#f4f4f4;padding:0 .2em}</style>
</head><body>
<h1>Seed ${v.seed}: ${html(v.outcome.toUpperCase())}, ${clients.length} clients side by side</h1>
<p>The same program and fault schedule ran once per client, each on a fresh cluster (Kafka ${html(v.kafkaVersion ?? '?')}, nemesis ${html(v.nemesis.join(', ') || 'none')}, ${v.timeLimitSeconds} s).</p>
<table>${head}
${rows}</table>
<h2>Anomalies</h2>${findings}
<p>Repro: <code>${html(v.repro)}</code></p>
</body></html>
`;
}

export function writeComparePage(outDir: string, v: RunVerdict): string {
  const file = path.join(outDir, 'index.html');
  fs.writeFileSync(file, renderComparePage(v));
  return file;
}

/** The anomaly types some clients showed and others did not: `{type: [clients that showed it]}`. */
export function clientSpecificAnomalies(v: Pick<RunVerdict, 'clients' | 'anomalyClients'>): Record<string, string[]> {
  const all = (v.clients ?? []).length;
  return Object.fromEntries(Object.entries(v.anomalyClients ?? {}).filter(([, cs]) => cs.length < all));
}

/** Writes DIR/index.html when DIR holds a multi-client verdict; null otherwise. */
export function comparePageIfMultiClient(outDir: string): string | null {
  const file = path.join(outDir, 'verdict.json');
  if (!fs.existsSync(file)) return null;
  const v = JSON.parse(fs.readFileSync(file, 'utf8')) as RunVerdict;
  return v.clients ? writeComparePage(outDir, v) : null;
}
