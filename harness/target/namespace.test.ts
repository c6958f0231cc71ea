import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { generateProgram } from '../workload/index.ts';
import { checkNamespacePrefix, namespaced, newNamespace } from './namespace.ts';

describe('a run namespace', () => {
  const program = generateProgram(7, { timeLimitMs: 2_000 });

  it('prefixes every Kafka name of the program and changes nothing else', () => {
    const ns = newNamespace('kafka-eos-', 7, 1_700_000_000_000, 'abc123');
    expect(ns).toBe('kafka-eos-7-loyw3v28-abc123-');
    const p = namespaced(program, ns);
    expect(p.topics.every((t) => t.name.startsWith(ns))).toBe(true);
    expect(p.keys.every((k) => k.topic.startsWith(ns))).toBe(true);
    expect(p.workers.every((w) => w.groupId.startsWith(ns) && (w.transactionalId === null || w.transactionalId.startsWith(ns)))).toBe(true);
    const plain = (x: typeof p) => ({ ...x, topics: x.topics.map((t) => ({ ...t, name: '' })), keys: x.keys.map((k) => ({ ...k, topic: '' })),
      workers: x.workers.map((w) => ({ ...w, groupId: '', transactionalId: w.transactionalId === null ? null : '' })) });
    expect(plain(p)).toEqual(plain(program));
    expect(program.topics[0]!.name).toBe('t0'); // the program itself keeps its plain names
  });

  test.prop([fc.nat(), fc.nat(), fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.stringMatching(/^[0-9a-f]{6}$/), fc.stringMatching(/^[0-9a-f]{6}$/), fc.constantFrom('t0', 'copier-0', 'probe', 'run-final')])(
    'one namespace is never a prefix of another\'s names, so deleting by prefix cannot touch a neighbour',
    (seedA, seedB, timeA, timeB, randA, randB, name) => {
      const a = newNamespace('kafka-eos-', seedA, timeA, randA);
      const b = newNamespace('kafka-eos-', seedB, timeB, randB);
      fc.pre(a !== b);
      expect((b + name).startsWith(a)).toBe(false);
    });

  it('refuses prefixes that cannot start a topic name', () => {
    expect(checkNamespacePrefix('team-a.')).toBeNull();
    expect(checkNamespacePrefix('a b')).toMatch(/letters, digits/);
    expect(checkNamespacePrefix('x'.repeat(101))).toMatch(/longer than 100/);
  });
});
