import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../jepsen-style/history.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { conformanceDivergences, readEvents, replayProtocol } from './divergences.ts';

// A real history: `kafka-eos run --seed 3 --target kafka --time-limit 20 --nemesis kill --nemesis-interval 3`.
// Op 237 is a txn whose client gave up (info) while brokers were being killed; Kafka committed it, and
// the replay, which cannot know when the abandoned requests arrived, fences it in the model.
const fixture = new URL('./fixtures/kill-seed3.history.jsonl', import.meta.url).pathname;
const program = JSON.parse(fs.readFileSync(new URL('./fixtures/kill-seed3.program-info.json', import.meta.url), 'utf8')) as ProgramInfo;

describe('conformance divergences', () => {
  it('replays a kill run whose info op Kafka committed: the op ran before the new instance fenced it', () => {
    // The replay used to fence op 237 in the model (it ran a later instance first) and could only leave a note.
    expect(conformanceDivergences(readEvents(fixture), program)).toMatchObject({ divergences: [], inconclusive: [] });
  });

  it('a refusal of what Kafka did is a proved divergence, with the op, the model\'s answer and Kafka\'s', () => {
    // Op 237's writes were read; here its commit is answered as fenced, which nothing in the history explains.
    const events = readEvents(fixture).map((e): HistoryEvent => {
      if (e.index !== 237) return e;
      return { ...e, type: 'fail', error: 'commit: INVALID_PRODUCER_EPOCH: Producer attempted an operation with an old epoch' } as HistoryEvent;
    });
    const { divergences, inconclusive } = conformanceDivergences(events, program);
    expect(inconclusive).toEqual([]);
    expect(divergences.map((d) => [d.kind, d.ops])).toEqual([['model-conformance-error', [237]]]);
    expect(divergences[0]!.explanation).toMatch(/^op 237 \(process \d+, fail txn\): Kafka answered INVALID_PRODUCER_EPOCH.*to the commit, but the model accepts it/);
  });
});

// Another real history (its assign events left out and the rest renumbered): `kafka-eos campaign --seeds
// 3..3 --target kafka --nemesis partition,kill,pause --time-limit 30 --client-fix abort-filter`. Copier op
// 634 timed out (info) after writing values 483, 484 and 490 of key 7 at offsets 49, 51 and 62; Kafka
// aborted it, and op 856 copied the same values again at 65, 67 and 78. Readers saw them there only.
describe('conformance of a copier that wrote the same values again', () => {
  const recopy = new URL('./fixtures/recopy-seed3.history.jsonl', import.meta.url).pathname;
  const recopyProgram = JSON.parse(fs.readFileSync(new URL('./fixtures/recopy-seed3.program-info.json', import.meta.url), 'utf8')) as ProgramInfo;

  it('replays without divergence: a read at another offset does not prove the aborted copy committed', () => {
    expect(conformanceDivergences(readEvents(recopy), recopyProgram)).toMatchObject({ divergences: [], inconclusive: [] });
  });
});

describe('the modelled client a run is held to', () => {
  it('is the run\'s client, with the transaction version it ran (the cluster\'s when it never said)', () => {
    expect(replayProtocol({})).toEqual({ client: 'kafkajs', txnVersion: 1 });
    expect(replayProtocol({ client: 'kafkajs', txnVersion: null, clusterTxnVersion: 2 })).toEqual({ client: 'kafkajs', txnVersion: 1 });
    expect(replayProtocol({ client: 'java', txnVersion: 1, clusterTxnVersion: 2 })).toEqual({ client: 'java', txnVersion: 1 });
    expect(replayProtocol({ client: 'franz-go', txnVersion: null, clusterTxnVersion: 2 })).toEqual({ client: 'java', txnVersion: 2 });
    expect(() => replayProtocol({ client: 'sarama' })).toThrow(/no modelled client for "sarama"/);
  });
});
