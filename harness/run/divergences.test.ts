import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../jepsen-style/history.ts';
import type { ProgramInfo } from '../../jepsen-style/program-info.ts';
import { conformanceDivergences, readEvents } from './divergences.ts';

// A real history: `kafka-eos run --seed 3 --target kafka --time-limit 20 --nemesis kill --nemesis-interval 3`.
// Op 237 is a txn whose client gave up (info) while brokers were being killed; Kafka committed it, and
// the replay, which cannot know when the abandoned requests arrived, fences it in the model.
const fixture = new URL('./fixtures/kill-seed3.history.jsonl', import.meta.url).pathname;
const program = JSON.parse(fs.readFileSync(new URL('./fixtures/kill-seed3.program-info.json', import.meta.url), 'utf8')) as ProgramInfo;

describe('conformance divergences', () => {
  it('an info op the model refuses is only a note: its timing is unknown', () => {
    const { divergences, note } = conformanceDivergences(readEvents(fixture), program);
    expect(divergences).toEqual([]);
    expect(note).toMatch(/stopped at op 237, an info op whose timing the history does not fix/);
  });

  it('the same refusal of an op that completed ok is a divergence', () => {
    const events = readEvents(fixture).map((e): HistoryEvent => {
      if (e.index !== 237) return e;
      const { error: _error, ...rest } = e;
      return { ...rest, type: 'ok' } as HistoryEvent;
    });
    const { divergences } = conformanceDivergences(events, program);
    expect(divergences.map((d) => [d.kind, d.ops])).toEqual([['model-conformance-refused', [237]]]);
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
    expect(conformanceDivergences(readEvents(recopy), recopyProgram)).toEqual({ divergences: [] });
  });
});
