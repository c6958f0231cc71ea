// The job summary of a night (GitHub renders $GITHUB_STEP_SUMMARY as Markdown): per leg, the verdict
// line and a table of the seeds (verdict, anomaly types or reasons, duration, repro line), and which
// failing seeds are carried to the next night. Text from runs is escaped, so an error message cannot
// break the table or turn into markup.
import { versionLine } from '../../meta/version.ts';
import { formatDuration, verdictLabel } from '../index-page.ts';
import { tally, tallyWords, type CampaignResult, type SeedResult } from '../result.ts';
import { formatSeeds } from '../seeds.ts';
import type { StateChange } from './nightly-state.ts';

const MAX_ROWS = 60;
const ICON = { valid: '✅', invalid: '❌', inconclusive: '❔', error: '⚠️' } as const;

/** Table-cell text: one line, no markup, no column breaks, not endless. */
export function cell(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const cut = line.length > max ? `${line.slice(0, max)}…` : line;
  return cut.replace(/[\\`*_[\]<>&|#~]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** A code span that stays one cell: backticks and pipes cannot end it or the column. */
const code = (text: string) => `\`${text.replace(/\s+/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')}\``;

function row(r: SeedResult): string {
  const what = [...r.anomalyTypes, ...(r.inconclusive ?? []), ...(r.error ? [r.error] : [])].join('; ');
  return `| ${r.seed} | ${ICON[r.status]} ${verdictLabel(r)} | ${cell(what)} | ${formatDuration(r.durationSeconds)} | ${code(r.repro)} |`;
}

export function headline(c: CampaignResult): string {
  const t = tally(c);
  if (t.invalid > 0) return `❌ ${t.invalid} seed(s) found anomalies${t.anomalyTypes.length > 0 ? ` (${cell(t.anomalyTypes.join(', '))})` : ''}`;
  if (t.error > 0 || !c.complete) return `⚠️ ${t.error} seed(s) could not run${c.complete ? '' : ', campaign incomplete'}`;
  if (t.inconclusive > 0) return `❔ ${t.inconclusive} seed(s) inconclusive`;
  return c.runs.length > 0 ? '✅ all seeds valid' : 'no seeds run';
}

export function renderLegSummary(leg: string, c: CampaignResult | null): string {
  if (c === null) return `## ${cell(leg)}\n\n⚠️ no merged campaign: every shard of this leg was lost (see the jobs above)\n`;
  const t = tally(c);
  const missing = (c.missingShards ?? []).length > 0 ? ` · shards missing: ${c.missingShards!.join(', ')}` : '';
  // Seeds that did not pass come first, so that a long night still shows them.
  const ordered = [...c.runs.filter((r) => r.status !== 'valid'), ...c.runs.filter((r) => r.status === 'valid')];
  const shown = ordered.slice(0, MAX_ROWS);
  return [
    `## ${cell(leg)}: ${headline(c)}`,
    '',
    `${c.runs.length} of ${c.seeds.length} seeds run · ${tallyWords(t)} · ${formatDuration(c.durationSeconds)}${missing}`,
    '',
    `seeds ${code(formatSeeds(c.seeds))} · target ${cell(c.target)} · harness ${cell(c.harness ? versionLine(c.harness) : 'unknown')} · flags ${code(c.args.join(' '))}`,
    '',
    '| seed | verdict | anomalies / reason | duration | repro |',
    '|---:|---|---|---:|---|',
    ...shown.map(row),
    ...(ordered.length > shown.length ? [`| … | ${ordered.length - shown.length} more valid seeds | | | |`] : []),
    '',
  ].join('\n');
}

export function renderCarriedSummary(change: StateChange): string {
  const { carried } = change.state;
  const lines = ['## Seeds carried to the next night', ''];
  if (carried.length === 0) lines.push('none: every seed passed');
  else {
    lines.push('| seed | failing since | last seen |', '|---:|---|---|');
    for (const c of carried) {
      const last = Object.entries(c.last).map(([leg, what]) => `${leg}: ${what}`).join('; ');
      lines.push(`| ${c.seed} | ${c.since} | ${cell(last) || 'not run on every leg yet'} |`);
    }
  }
  if (change.resolved.length > 0) lines.push('', `Passed again on every leg, no longer carried: ${change.resolved.map((c) => `${c.seed} (failing since ${c.since})`).join(', ')}`);
  if (change.dropped.length > 0) lines.push('', `⚠️ Over the cap, not carried: ${change.dropped.map((c) => c.seed).join(', ')} (their campaigns above still hold the repro lines)`);
  return `${lines.join('\n')}\n`;
}
