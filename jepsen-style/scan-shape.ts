// How the fast scanner (fast-scan.ts) encodes a line's value, and the check that the value's shape
// suits the event (history-format.md §1). A scanned `value` is a list of numbers: SEND_PLAIN k v,
// SEND_PAIR k offset v (offset NaN when null), POLL, or POLL_MAP nKeys then per key: k nPairs
// offset value offset value ...; assign and subscribe values are their keys.

export const SEND_PLAIN = 1, SEND_PAIR = 2, POLL = 3, POLL_MAP = 4;
/** `value` kinds. */
export const V_MISSING = 0, V_NULL = 1, V_MOPS = 2, V_KEYS = 3, V_EMPTY = 4;
export const TYPE_NAMES = ['invoke', 'ok', 'fail', 'info'] as const;
export const F_NAMES = ['send', 'poll', 'txn', 'assign', 'subscribe', 'crash'] as const;
const F_SEND = 0, F_POLL = 1, F_ASSIGN = 3, F_SUBSCRIBE = 4, F_CRASH = 5;

/** Whether a value of this kind (its numbers in s[0, length)) may be the value of an `f` event. */
export function shapeFits(f: number, invoke: boolean, kind: number, s: Float64Array, length: number): boolean {
  if (f === F_CRASH) return kind === V_NULL;
  if (f === F_ASSIGN || f === F_SUBSCRIBE) return kind === V_KEYS || kind === V_EMPTY;
  if (kind === V_EMPTY) return true;
  if (kind === V_NULL) return !invoke;
  if (kind !== V_MOPS) return false;
  for (let i = 0; i < length;) {
    const m = s[i]!;
    if (m === SEND_PLAIN || m === SEND_PAIR) {
      if (f === F_POLL || (invoke && m === SEND_PAIR)) return false;
      i += m === SEND_PLAIN ? 3 : 4;
    } else {
      if (f === F_SEND || (invoke && m === POLL_MAP)) return false;
      if (m === POLL) { i++; continue; }
      const keys = s[i + 1]!;
      i += 2;
      for (let k = 0; k < keys; k++) i += 2 + 2 * s[i + 1]!;
    }
  }
  return true;
}
