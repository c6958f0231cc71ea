// junit.xml for CI systems: one <testcase> per seed; <failure> for a seed that found anomalies (with the
// types and the repro line), <error> for a seed that could not run, <skipped> for an inconclusive one
// (the run finished but could not judge: neither a pass nor a finding; the reasons are the message). Text from runs (error messages) is
// escaped, and characters XML 1.0 forbids are dropped, so the file always parses.
import type { CampaignResult, SeedResult } from './result.ts';
import { tally } from './result.ts';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xml(text: unknown): string {
  return String(text).replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

const seconds = (s: number) => s.toFixed(3);

function testcase(r: SeedResult): string {
  const open = `  <testcase classname="kafka-eos.campaign" name="seed ${r.seed}" time="${seconds(r.durationSeconds)}">`;
  const body = [`seed ${r.seed}: outcome ${r.outcome}`, `repro: ${r.repro}`, `run directory: ${r.dir}`];
  if (r.status === 'invalid') {
    const what = r.anomalyTypes.length > 0 ? `anomalies: ${r.anomalyTypes.join(', ')}` : `model divergence (${r.divergences})`;
    return `${open}\n    <failure type="${xml(r.outcome)}" message="${xml(what)}">${xml([what, ...body].join('\n'))}</failure>\n  </testcase>`;
  }
  if (r.status === 'inconclusive') {
    // JUnit has no "undecided": skipped, with the reason, keeps it out of both passes and failures.
    const what = `inconclusive: ${(r.inconclusive ?? []).join(' ') || 'the harness could not decide'}`;
    return `${open}\n    <skipped message="${xml(what)}">${xml([what, ...body].join('\n'))}</skipped>\n  </testcase>`;
  }
  if (r.status === 'error') {
    const what = r.error ?? 'the run did not complete';
    return `${open}\n    <error type="harness-error" message="${xml(what)}">${xml([what, ...body].join('\n'))}</error>\n  </testcase>`;
  }
  return `${open}</testcase>`;
}

export function renderJunit(c: CampaignResult): string {
  const t = tally(c);
  const attrs = `name="kafka-eos campaign" tests="${c.runs.length}" failures="${t.invalid}" errors="${t.error}" skipped="${t.inconclusive}" time="${seconds(c.durationSeconds)}"`;
  const harness = c.harness ? [`  <properties>`, `   <property name="harness.version" value="${xml(c.harness.version)}"/>`,
    `   <property name="harness.commit" value="${xml(c.harness.commit)}"/>`, `  </properties>`] : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs}>`,
    ` <testsuite ${attrs} timestamp="${xml(c.startedAt.replace(/\.\d+Z$/, ''))}">`,
    ...harness,
    ...c.runs.map(testcase),
    ' </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
