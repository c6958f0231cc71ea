// `check --program FILE` reads program.json or program-info.json (docs/contract/history-format.md,
// "Program metadata") and refuses a file it cannot use, naming the file and the field (exit 2 in the
// CLI). Hand-made objects, no model run: program-file.test.ts checks the same reading against a real
// run's files (in a beforeAll, so it is left out of the mutation run: docs/testing.md).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgramFileError, programInfoOfJson, readProgramInfoFile } from './program-file.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'kafka-eos-program-fields-'));

/** The whole message a refusal gives (the file's name, a colon, the field and the rule). */
function refusal(data: unknown, file?: string): string {
  try {
    programInfoOfJson(data, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ProgramFileError);
    expect((e as ProgramFileError).name).toBe('ProgramFileError');
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(data)}`);
}

const copier = { transactionalId: 'copier-0', group: 'g0', inputKeys: [0, 1], outputKeys: [6, 7] };
const worker = (over: Record<string, unknown> = {}) => ({ id: 0, transactionalId: 'copier-0', groupId: 'g0', copier: { keyMap: [[0, 6], [1, 7]] }, ...over });
const program = (workers: unknown) => ({ version: 1, workers });

describe('program-info.json', () => {
  it('is read as written: copiers with or without processes, and the groups\' committed offsets', () => {
    const info = { copiers: [copier, { ...copier, transactionalId: 'copier-1', processes: [3, 9] }], groupOffsets: { g0: { 0: 812, 10: 0 }, g1: {} } };
    expect(programInfoOfJson(JSON.parse(JSON.stringify(info)))).toEqual(info);
    // A copier without processes has no `processes` field at all (the checker then attributes by keys).
    expect(Object.keys(programInfoOfJson({ copiers: [copier] }).copiers![0]!)).toEqual(['transactionalId', 'group', 'inputKeys', 'outputKeys']);
    expect(programInfoOfJson({})).toEqual({});
    expect(programInfoOfJson({ copiers: [] })).toEqual({ copiers: [] });
  });

  it('is a JSON object, with no field that neither file has', () => {
    for (const data of [null, [], 3, 'x', true]) expect(refusal(data)).toBe('program file: must be a JSON object (a program.json or a program-info.json)');
    expect(refusal({ copiers: [], version: 1 }, 'p.json')).toBe('p.json: has field "version", which neither program.json nor program-info.json has (program-info.json holds "copiers" and "groupOffsets")');
    expect(refusal({ valid: true, other: 1 })).toMatch(/^program file: has field "valid",/);
  });

  it('holds copiers as objects whose keys are non-negative integers, input key i copied to output key i', () => {
    expect(refusal({ copiers: {} })).toBe('program file: "copiers" must be an array');
    expect(refusal({ copiers: [copier, null] })).toBe('program file: copiers[1] must be an object');
    expect(refusal({ copiers: [7] })).toBe('program file: copiers[0] must be an object');
    for (const keys of [[0, -1], [1.5], ['1'], [2 ** 53], null, {}]) {
      expect(refusal({ copiers: [{ ...copier, inputKeys: keys }] })).toBe(`program file: copiers[0].inputKeys must be an array of non-negative integer keys, got ${JSON.stringify(keys)}`);
      expect(refusal({ copiers: [{ ...copier, outputKeys: keys }] })).toBe(`program file: copiers[0].outputKeys must be an array of non-negative integer keys, got ${JSON.stringify(keys)}`);
    }
    const { outputKeys: _, ...noOutput } = copier;
    expect(refusal({ copiers: [noOutput] })).toBe('program file: copiers[0].outputKeys must be an array of non-negative integer keys, got nothing (the field is missing)');
    expect(refusal({ copiers: [{ ...copier, outputKeys: [6] }] })).toBe('program file: copiers[0].inputKeys and copiers[0].outputKeys must have the same length (input key i is copied to output key i)');
    expect(programInfoOfJson({ copiers: [{ ...copier, inputKeys: [0, 2 ** 53 - 1] }] }).copiers![0]!.inputKeys).toEqual([0, 2 ** 53 - 1]);
  });

  it('names each copier by a string transactional id and group, and lists its processes as keys', () => {
    expect(refusal({ copiers: [{ ...copier, transactionalId: 3 }] })).toBe('program file: copiers[0].transactionalId must be a string, got 3');
    expect(refusal({ copiers: [{ ...copier, group: null }] })).toBe('program file: copiers[0].group must be a string, got null');
    const { group: _, ...noGroup } = copier;
    expect(refusal({ copiers: [noGroup] })).toBe('program file: copiers[0].group must be a string, got nothing (the field is missing)');
    expect(refusal({ copiers: [{ ...copier, processes: [1, -2] }] })).toBe('program file: copiers[0].processes must be an array of non-negative integer keys, got [1,-2]');
    expect(refusal({ copiers: [{ ...copier, processes: null }] })).toBe('program file: copiers[0].processes must be an array of non-negative integer keys, got null');
  });

  it('maps each group to decimal keys and non-negative integer offsets', () => {
    for (const bad of [[], null, 'g', 1]) expect(refusal({ groupOffsets: bad })).toBe('program file: "groupOffsets" must be an object: group → key → next offset to consume');
    for (const bad of [[], null, 4]) expect(refusal({ groupOffsets: { g: bad } })).toBe('program file: groupOffsets["g"] must be an object: key → next offset to consume');
    for (const key of ['01', '-1', 'a', '1.5', ' 1', '1 ', '']) {
      expect(refusal({ groupOffsets: { g: { [key]: 3 } } })).toBe(`program file: groupOffsets["g"][${JSON.stringify(key)}] must map a decimal key to a non-negative integer offset, got 3`);
    }
    for (const offset of [-1, 0.5, '3', null]) {
      expect(refusal({ groupOffsets: { g: { 2: offset } } })).toBe(`program file: groupOffsets["g"]["2"] must map a decimal key to a non-negative integer offset, got ${JSON.stringify(offset)}`);
    }
    expect(programInfoOfJson({ groupOffsets: { g: { 0: 0, 10: 5, 123: 2 ** 53 - 1 } } })).toEqual({ groupOffsets: { g: { 0: 0, 10: 5, 123: 2 ** 53 - 1 } } });
  });
});

describe('program.json', () => {
  it('gives its copiers (workers with a copier and a transactional id), without processes; other workers are no copier', () => {
    const data = program([worker(), worker({ id: 1, copier: null, transactionalId: 'txn-1', groupId: 'x' }), worker({ id: 2, transactionalId: null, copier: undefined }),
      worker({ id: 3, transactionalId: 'copier-1', groupId: 'g1', copier: { keyMap: [[2, 8]] } })]);
    expect(programInfoOfJson(data)).toEqual({ copiers: [copier, { transactionalId: 'copier-1', group: 'g1', inputKeys: [2], outputKeys: [8] }] });
  });

  it('is of this checker\'s version, with workers as an array of objects', () => {
    expect(refusal({ version: 2, workers: [] }, 'program.json')).toBe('program.json: is a program.json of version 2; this checker reads version 1');
    expect(refusal({ workers: [] })).toBe('program file: is a program.json of version undefined; this checker reads version 1');
    expect(refusal({ version: '1', workers: [] })).toBe('program file: is a program.json of version "1"; this checker reads version 1');
    expect(refusal(program({}))).toBe('program file: "workers" must be an array');
    expect(refusal(program([worker(), null]))).toBe('program file: workers[1] must be an object');
    expect(refusal(program(['w']))).toBe('program file: workers[0] must be an object');
  });

  it('gives a copier worker a key map of [inputKey, outputKey] pairs, a string group and transactional id (or null), a numeric id', () => {
    const keyMap = 'program file: workers[0].copier.keyMap must be an array of [inputKey, outputKey] pairs';
    for (const map of [undefined, {}, [[0, 6, 1]], [[0]], [0, 6], [[-1, 6]], [[0, 1.5]], [['0', 6]], [[0, 6], [1]], [[0, 6], [1, -7]]]) {
      expect(refusal(program([worker({ copier: { keyMap: map } })])), JSON.stringify(map)).toBe(keyMap);
    }
    expect(refusal(program([worker({ groupId: 5 })]))).toBe('program file: workers[0].groupId must be a string, got 5');
    expect(refusal(program([worker({ transactionalId: 7 })]))).toBe('program file: workers[0].transactionalId must be a string, got 7');
    expect(refusal(program([worker({ transactionalId: undefined })]))).toBe('program file: workers[0].transactionalId must be a string, got nothing (the field is missing)');
    expect(refusal(program([worker({ id: '0' })]))).toBe('program file: workers[0].id must be a number');
    // A copier worker without a transactional id is checked, then not a copier to the checker.
    expect(programInfoOfJson(program([worker({ transactionalId: null })]))).toEqual({ copiers: [] });
  });
});

describe('readProgramInfoFile', () => {
  it('reads a file, and refuses one that cannot be read or is not JSON, naming it', () => {
    const good = path.join(dir, 'program-info.json');
    writeFileSync(good, JSON.stringify({ copiers: [copier] }));
    expect(readProgramInfoFile(good)).toEqual({ copiers: [copier] });
    const missing = path.join(dir, 'missing.json');
    expect(() => readProgramInfoFile(missing)).toThrow(`${missing}: cannot be read (ENOENT); give a run's program.json or a history's program-info.json`);
    const folder = path.join(dir, 'folder.json');
    mkdirSync(folder);
    expect(() => readProgramInfoFile(folder)).toThrow(`${folder}: cannot be read (EISDIR); give`);
    const torn = path.join(dir, 'torn.json');
    writeFileSync(torn, '{"copiers": [');
    expect(() => readProgramInfoFile(torn)).toThrow(new RegExp(`^${torn.replace(/[.\\/]/g, '\\$&')}: is not valid JSON \\(.+\\)$`));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '[]');
    expect(() => readProgramInfoFile(bad)).toThrow(`${bad}: must be a JSON object`);
  });
});
