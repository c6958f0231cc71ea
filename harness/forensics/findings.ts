// Forensics findings in the words the verdict and the report use: the `hanging-transaction` anomaly,
// and the one sentence per short key a person can act on. Pure.
import type { Anomaly } from '../../jepsen-style/anomaly.ts';
import type { Key } from '../../jepsen-style/history.ts';
import type { Attribution, Cause } from './attribution.ts';
import type { HangingTransaction } from './hanging.ts';
import type { KeyFacts } from './history-facts.ts';
import { CAUSE_LABEL, HANGING_TRANSACTION } from './verdict-effects.ts';

export interface KeyLookup {
  keyOf: (topic: string, partition: number) => Key | undefined;
  facts: ReadonlyMap<Key, KeyFacts>;
  /** Wall clock (ms) of the history's time zero. */
  runStartMs: number;
}

const seconds = (ms: number, zero: number) => `${((ms - zero) / 1000).toFixed(1)} s`;

export function hangingAnomaly(h: HangingTransaction, lookup: KeyLookup): Anomaly {
  const key = lookup.keyOf(h.topic, h.partition);
  const write = key === undefined ? undefined : lookup.facts.get(key)?.writes.get(h.startOffset);
  const c = h.coordinator;
  const coordinator = c
    ? `its coordinator${c.coordinatorId !== undefined ? ` (node ${c.coordinatorId})` : ''} reports ${c.transactionalId} ${c.state} at epoch ${c.producerEpoch ?? '?'}${c.holdsPartition ? ` with ${h.topic}-${h.partition} in it` : `, without ${h.topic}-${h.partition}`}`
    : 'no coordinator has its producer id in an open transaction';
  const where = key === undefined ? `${h.topic}-${h.partition}` : `key ${key} (${h.topic}/${h.partition})`;
  const writer = write ? ` (written by op ${write.op}, value ${write.value}, ${write.type})` : '';
  const held = `producer ${h.producerId} epoch ${h.producerEpoch} held a transaction open from offset ${h.startOffset}${writer} ` +
    `since ${seconds(h.sinceMs, lookup.runStartMs)}, still open at ${seconds(h.lastSeenMs, lookup.runStartMs)}`;
  const why = h.kind === 'orphaned'
    ? `${coordinator}: the coordinator has moved on, the partition's marker is lost and nothing will end the transaction`
    : `${(h.faultFreeOpenMs / 1000).toFixed(1)} s of it without faults, longer than its ${h.timeoutMs / 1000} s timeout + abort interval + slack (${h.thresholdMs / 1000} s); ${coordinator}`;
  return {
    type: HANGING_TRANSACTION,
    allowed: false,
    ops: write ? [write.op] : [],
    ...(key !== undefined ? { key } : {}),
    offsets: [h.startOffset],
    ...(write ? { values: [write.value] } : {}),
    explanation: `${where}: ${held}; ${why}`,
  };
}

/** Severity order: a proven Kafka fault first, then what blocks reads, then the harness' own. */
const ORDER: Cause[] = ['absent-from-log', 'aborted-in-log', 'hanging-transaction', 'read-past', 'leader-unavailable', 'open-transaction', 'read-never-reached', 'unattributed'];

export interface ShortKeyExplanation {
  key: Key;
  topic: string;
  partition: number;
  lastRead: number;
  lastAcked: number;
  cause: Cause;
  evidence: string;
}

export function shortKeySentence(x: ShortKeyExplanation): string {
  const read = x.lastRead < 0 ? 'never read' : `read up to ${x.lastRead}`;
  return `key ${x.key} (${x.topic}/${x.partition}) ${read} of ${x.lastAcked} acknowledged: ${x.evidence}: ${CAUSE_LABEL[x.cause]}`;
}

/** The verdict's one sentence: the most serious short key first, the rest counted. */
export function summarySentence(shorts: readonly ShortKeyExplanation[], attributions: readonly Attribution[], hangingCount: number): string | null {
  if (shorts.length === 0 && attributions.length === 0 && hangingCount === 0) return null;
  const sorted = [...shorts].sort((a, b) => ORDER.indexOf(a.cause) - ORDER.indexOf(b.cause) || a.key - b.key);
  const first = sorted[0];
  const rest = sorted.length > 1 ? ` (and ${sorted.length - 1} more key(s): ${sorted.slice(1).map((s) => `${s.key} ${s.cause}`).join(', ')})` : '';
  if (first) return `${shortKeySentence(first)}${rest}.`;
  const byCause = countCauses(attributions);
  const causes = Object.entries(byCause).map(([c, n]) => `${n} ${CAUSE_LABEL[c as Cause]}`).join(', ');
  return `Every key's final reads reached its acknowledged offsets${causes ? `; attributed writes: ${causes}` : ''}${hangingCount > 0 ? `; ${hangingCount} hanging transaction(s) seen during the run` : ''}.`;
}

export function countCauses(attributions: readonly Attribution[]): Partial<Record<Cause, number>> {
  const out: Partial<Record<Cause, number>> = {};
  for (const a of attributions) out[a.cause] = (out[a.cause] ?? 0) + 1;
  return out;
}
