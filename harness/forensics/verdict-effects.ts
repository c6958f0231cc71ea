// What forensics change in a checked history's verdict: each unseen and lost-write carries its cause;
// an unseen that forensics cannot pin on Kafka (an incomplete final read, a leader that never answered,
// no forensics at all) stops counting as proof and becomes an inconclusive reason; every hanging
// transaction is an invalid `hanging-transaction` anomaly. Pure: a verdict in, a new verdict out.
import type { Anomaly } from '../../jepsen-style/anomaly.ts';
import type { Verdict } from '../../jepsen-style/checker.ts';
import { INCOMPLETE_FINAL_READ, UNPROVEN, type Attribution, type Cause } from './attribution.ts';

export const HANGING_TRANSACTION = 'hanging-transaction' as const;

export const CAUSE_LABEL: Record<Cause, string> = {
  'hanging-transaction': 'a hanging transaction',
  'open-transaction': 'a transaction still within its timeout (incomplete final read)',
  'leader-unavailable': 'leader unavailable',
  'read-never-reached': 'read never reached (incomplete final read, harness)',
  'read-past': 'read past by the reading client',
  'absent-from-log': 'absent from the log (true loss)',
  'aborted-in-log': 'aborted in the log although acknowledged (true loss)',
  'unattributed': 'no cause found',
};

export interface VerdictEffects {
  verdict: Verdict;
  /** One sentence per unseen that no longer counts against Kafka. */
  inconclusive: string[];
}

export function applyForensics(verdict: Verdict, attributions: readonly Attribution[], hanging: readonly Anomaly[]): VerdictEffects {
  const anomalies: Record<string, Anomaly[]> = { ...verdict.anomalies };
  const inconclusive: string[] = [];
  for (const type of ['unseen', 'lost-write'] as const) {
    if (!anomalies[type]) continue;
    anomalies[type] = anomalies[type]!.map((a) => {
      const mine = attributions.filter((x) => x.anomaly === type && x.key === a.key && (a.values ?? []).includes(x.value));
      if (mine.length === 0) return a;
      const causes = [...new Set(mine.map((x) => x.cause))];
      const unproven = type === 'unseen' && causes.every((c) => UNPROVEN.has(c));
      const incomplete = causes.every((c) => INCOMPLETE_FINAL_READ.has(c));
      const because = causes.map((c) => `${CAUSE_LABEL[c]}: ${mine.find((x) => x.cause === c)!.evidence}`).join('; ');
      if (unproven) {
        inconclusive.push(`key ${a.key}: ${a.count ?? mine.length} acknowledged write(s) never read${incomplete ? ' (an incomplete final read)' : ''}, and forensics cannot pin it on Kafka: ${because}`);
      }
      return { ...a, allowed: a.allowed || unproven, explanation: `${a.explanation}. Forensics: ${because}` };
    });
  }
  if (hanging.length > 0) anomalies[HANGING_TRANSACTION] = [...(anomalies[HANGING_TRANSACTION] ?? []), ...hanging];
  const anomalyCounts = { ...verdict.anomalyCounts };
  if (hanging.length > 0) anomalyCounts[HANGING_TRANSACTION] = (anomalyCounts[HANGING_TRANSACTION] ?? 0) + hanging.length;
  const invalidTypes = Object.entries(anomalies).filter(([, list]) => list.some((a) => !a.allowed)).map(([t]) => t).sort();
  // Counts beyond the listed examples keep their earlier judgement.
  for (const t of verdict.invalidTypes) {
    if (!invalidTypes.includes(t) && (verdict.anomalyCounts[t] ?? 0) > (verdict.anomalies[t]?.length ?? 0)) invalidTypes.push(t);
  }
  invalidTypes.sort();
  const anomalyTypes = [...new Set([...verdict.anomalyTypes, ...Object.keys(anomalies)])].sort();
  return { verdict: { ...verdict, anomalies, anomalyCounts, anomalyTypes, invalidTypes, valid: invalidTypes.length === 0 }, inconclusive };
}
