// `kafka-eos check HISTORY --program FILE`: the program metadata a run hands the checker, read from
// a file, so that a history checked alone gets every check a run gives it (consume-transform-produce,
// zombie fencing by copier). FILE is either a run's program.json (which copiers ran, not which
// processes ran them: ops are then attributed by `txnId` or by the keys they touched) or the
// program-info.json a run writes next to each history (also the processes and the groups' committed
// offsets, so prefer it). Every field is checked here: a bad file is refused naming the field.
import { readFileSync } from 'node:fs';
import { PROGRAM_VERSION, type Program } from '../harness/workload/program.ts';
import { programInfoOf } from '../harness/workload/programInfo.ts';
import type { ProgramInfo } from './program-info.ts';

/** A program file that cannot be used (exit 2 in the CLI): names the file and the field. */
export class ProgramFileError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'ProgramFileError';
  }
}

/** Reads program.json or program-info.json into the checker's ProgramInfo. */
export function readProgramInfoFile(file: string): ProgramInfo {
  let text: string;
  try {
    // Stryker disable next-line StringLiteral: without an encoding the file is a Buffer, which JSON.parse reads as UTF-8 all the same
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProgramFileError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a run's program.json or a history's program-info.json`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ProgramFileError(file, `is not valid JSON (${(e as Error).message})`);
  }
  return programInfoOfJson(data, file);
}

/** ProgramInfo from a parsed program.json or program-info.json. */
export function programInfoOfJson(data: unknown, file = 'program file'): ProgramInfo {
  const fail = (detail: string): never => { throw new ProgramFileError(file, detail); };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('must be a JSON object (a program.json or a program-info.json)');
  const o = data as Record<string, unknown>;
  if ('workers' in o) {
    if (o.version !== PROGRAM_VERSION) fail(`is a program.json of version ${JSON.stringify(o.version)}; this checker reads version ${PROGRAM_VERSION}`);
    if (!Array.isArray(o.workers)) fail('"workers" must be an array');
    (o.workers as unknown[]).forEach((w, i) => copierOfWorker(w, `workers[${i}]`, fail));
    return programInfoOf(o as unknown as Program);
  }
  const unknown = Object.keys(o).filter((k) => k !== 'copiers' && k !== 'groupOffsets');
  if (unknown.length > 0) fail(`has field ${JSON.stringify(unknown[0])}, which neither program.json nor program-info.json has (program-info.json holds "copiers" and "groupOffsets")`);
  const info: ProgramInfo = {};
  if (o.copiers !== undefined) {
    if (!Array.isArray(o.copiers)) fail('"copiers" must be an array');
    info.copiers = (o.copiers as unknown[]).map((c, i) => copierInfo(c, `copiers[${i}]`, fail));
  }
  if (o.groupOffsets !== undefined) info.groupOffsets = groupOffsets(o.groupOffsets, fail);
  return info;
}

type Fail = (detail: string) => never;

function isKey(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0;
}

function keys(x: unknown, field: string, fail: Fail): number[] {
  return Array.isArray(x) && x.every(isKey) ? x : fail(`${field} must be an array of non-negative integer keys, got ${JSON.stringify(x) ?? 'nothing (the field is missing)'}`);
}

function text(x: unknown, field: string, fail: Fail): string {
  return typeof x === 'string' ? x : fail(`${field} must be a string, got ${JSON.stringify(x) ?? 'nothing (the field is missing)'}`);
}

function copierInfo(c: unknown, at: string, fail: Fail): NonNullable<ProgramInfo['copiers']>[number] {
  if (typeof c !== 'object' || c === null) fail(`${at} must be an object`);
  const x = c as Record<string, unknown>;
  const inputKeys = keys(x.inputKeys, `${at}.inputKeys`, fail), outputKeys = keys(x.outputKeys, `${at}.outputKeys`, fail);
  if (inputKeys.length !== outputKeys.length) fail(`${at}.inputKeys and ${at}.outputKeys must have the same length (input key i is copied to output key i)`);
  return {
    transactionalId: text(x.transactionalId, `${at}.transactionalId`, fail), group: text(x.group, `${at}.group`, fail), inputKeys, outputKeys,
    ...(x.processes !== undefined ? { processes: keys(x.processes, `${at}.processes`, fail) } : {}),
  };
}

/** The fields of a program.json worker that programInfoOf reads. */
function copierOfWorker(w: unknown, at: string, fail: Fail): void {
  if (typeof w !== 'object' || w === null) fail(`${at} must be an object`);
  const x = w as Record<string, unknown>;
  if (x.copier === null || x.copier === undefined) return;
  const map = (x.copier as { keyMap?: unknown }).keyMap;
  if (!Array.isArray(map) || !map.every((p) => Array.isArray(p) && p.length === 2 && isKey(p[0]) && isKey(p[1]))) fail(`${at}.copier.keyMap must be an array of [inputKey, outputKey] pairs`);
  if (x.transactionalId !== null) text(x.transactionalId, `${at}.transactionalId`, fail);
  text(x.groupId, `${at}.groupId`, fail);
  if (typeof x.id !== 'number') fail(`${at}.id must be a number`);
}

function groupOffsets(x: unknown, fail: Fail): NonNullable<ProgramInfo['groupOffsets']> {
  const isObject = (y: unknown): y is Record<string, unknown> => typeof y === 'object' && y !== null && !Array.isArray(y);
  if (!isObject(x)) fail('"groupOffsets" must be an object: group → key → next offset to consume');
  const out: NonNullable<ProgramInfo['groupOffsets']> = {};
  for (const [group, byKey] of Object.entries(x as Record<string, unknown>)) {
    if (!isObject(byKey)) fail(`groupOffsets[${JSON.stringify(group)}] must be an object: key → next offset to consume`);
    for (const [k, offset] of Object.entries(byKey)) {
      if (!/^(0|[1-9]\d*)$/.test(k) || !isKey(offset)) fail(`groupOffsets[${JSON.stringify(group)}][${JSON.stringify(k)}] must map a decimal key to a non-negative integer offset, got ${JSON.stringify(offset)}`);
    }
    out[group] = byKey as Record<string, number>;
  }
  return out;
}
