// Two instances of one transactional id whose InitProducerIds were under way at once: the history fixes
// neither order (each was answered after the other was invoked), and the replay first takes the order of
// completion. When Kafka then fences the instance the replay took as the newer, the other's init landed
// last: the replay moves it there (replay-explain.ts, overlappingInits). Seen live: franz-go v1.22.1 under
// pause,leader-move, copier-0's processes 7 (init 6.6 to 7.0 s) and 10 (6.8 to 6.85 s); Kafka fenced 7.
import { describe, expect, it } from 'vitest';
import type { ClientEvent, HistoryEvent } from '../history.ts';
import { replayAgainstModel } from './replay.ts';

function history(rows: Array<[number, number, ClientEvent['type'], ClientEvent['f'], ClientEvent['value'], Partial<ClientEvent>?]>): HistoryEvent[] {
  return [...rows].sort((a, b) => a[0] - b[0])
    .map(([t, process, type, f, value, extra], index) => ({ index, time: Math.round(t * 1e9), process, type, f, value, ...extra }));
}
const T = { txnId: 'T' };
const fenced = { error: 'INVALID_PRODUCER_EPOCH: Producer attempted an operation with an old epoch' };
const workers = [{ transactionalId: 'T', assign: [0] }];

/** Process 2's init runs from 1.0 to 1.1 s; process 3's from `otherFrom` to `otherTo`; Kafka fences process 2 at 2 s. */
const twoInits = (otherFrom: number, otherTo: number) => history([
  [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
  [otherFrom, 3, 'invoke', 'assign', [0]], [otherTo, 3, 'ok', 'assign', [0]],
  [2, 2, 'invoke', 'txn', [['send', 0, 1]], T], [2.1, 2, 'fail', 'txn', [['send', 0, [null, 1]]], { ...T, ...fenced }],
  [3, 3, 'invoke', 'txn', [['send', 0, 2]], T], [3.1, 3, 'ok', 'txn', [['send', 0, [0, 2]]], T],
] as Parameters<typeof history>[0]);

describe('overlapping InitProducerIds: the order Kafka\'s answers force', () => {
  for (const txnVersion of [1, 2] as const) {
    it(`explains the fence by the other instance's init landing last, and that instance then writes (Java client, TV${txnVersion})`, () => {
      const r = replayAgainstModel(twoInits(1.05, 1.08), { workers, client: 'java', txnVersion });
      expect(r).toMatchObject({ conforms: true, inconclusive: [] });
      expect(r.explanations).toEqual([expect.stringMatching(/^process 3's InitProducerId for T \(invoked at 1\.1 s, answered at 1\.1 s\) landed after process 2's \(invoked at 1\.0 s, answered at 1\.1 s\): the two were under way at once, and only that order fences op \d+$/)]);
    });
  }

  it('kafkajs too', () => {
    expect(replayAgainstModel(twoInits(1.05, 1.08), { workers })).toMatchObject({ conforms: true, inconclusive: [] });
  });

  it('prefers that order to an abandoned instance\'s late init, which would fence the instance Kafka kept (java campaign seed 19)', () => {
    const withZombie = history([
      [0.5, 1, 'invoke', 'assign', [0]], [10.5, 1, 'info', 'assign', [0], { error: 'timeout: assign took longer than 10000 ms' }],
      [1, 2, 'invoke', 'assign', [0]], [1.1, 2, 'ok', 'assign', [0]],
      [1.05, 3, 'invoke', 'assign', [0]], [1.08, 3, 'ok', 'assign', [0]],
      [2, 2, 'invoke', 'txn', [['send', 0, 1]], T], [2.1, 2, 'fail', 'txn', [['send', 0, [null, 1]]], { ...T, ...fenced }],
      [3, 3, 'invoke', 'txn', [['send', 0, 2]], T], [3.1, 3, 'ok', 'txn', [['send', 0, [0, 2]]], T],
    ] as Parameters<typeof history>[0]);
    const r = replayAgainstModel(withZombie, { workers, client: 'java', txnVersion: 2 });
    expect(r).toMatchObject({ conforms: true, inconclusive: [] });
    expect(r.explanations).toEqual([expect.stringMatching(/^process 3's InitProducerId for T .* landed after process 2's/)]);
  });

  it('takes an init answered the instant the other was invoked as under way at once, not a moment earlier', () => {
    expect(replayAgainstModel(twoInits(0.9, 1.0), { workers, client: 'java', txnVersion: 2 })).toMatchObject({ conforms: true, inconclusive: [] });
    expect(replayAgainstModel(twoInits(0.9, 0.999999), { workers, client: 'java', txnVersion: 2 }).divergence).toMatchObject({ process: 2, kind: 'error' });
  });

  it('proves a divergence when the other init was answered before this one was invoked: real time fixes the order', () => {
    const r = replayAgainstModel(twoInits(0.5, 0.6), { workers, client: 'java', txnVersion: 2 });
    expect(r.inconclusive).toEqual([]);
    expect(r.divergence).toMatchObject({ process: 2, kind: 'error', key: 0 });
    expect(r.divergence!.explanation).toMatch(/Kafka answered INVALID_PRODUCER_EPOCH.*but the model accepts it/);
  });
});
