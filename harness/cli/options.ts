// Value parsers for the command line's options, in commander's shape (raw string in, value out, a bad
// value an InvalidArgumentError whose message says what was expected). Numbers must be written as plain
// digits: `--workers 1e3` or `--seed 0x10` are refused rather than read some way the user did not mean.
import { InvalidArgumentError } from 'commander';

export interface IntRange {
  min: number;
  max: number;
}

export function integer({ min, max }: IntRange): (raw: string) => number {
  return (raw) => {
    const text = raw.trim();
    const expected = `a whole number from ${min} to ${max}, written in digits`;
    if (!/^-?\d+$/.test(text)) throw new InvalidArgumentError(`expected ${expected}`);
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new InvalidArgumentError(`expected ${expected}`);
    return value;
  };
}

export function choice<C extends string>(choices: readonly C[]): (raw: string) => C {
  return (raw) => {
    if (!(choices as readonly string[]).includes(raw)) throw new InvalidArgumentError(`choose one of ${choices.join(', ')}`);
    return raw as C;
  };
}

/** A comma-separated list (`--nemesis kill,pause`): items trimmed, deduplicated, each one of `choices`. */
export function choiceList<C extends string>(choices: readonly C[]): (raw: string) => C[] {
  return (raw) => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = items.filter((i) => !(choices as readonly string[]).includes(i));
    if (unknown.length > 0) throw new InvalidArgumentError(`unknown '${unknown.join(',')}': choose from ${choices.join(', ')} (comma-separated)`);
    return [...new Set(items)] as C[];
  };
}

/**
 * A released Kafka version as Maven Central names it (`4.4.0`, `3.9.2`). The cluster runs in KRaft
 * combined mode, which Kafka supports from 3.3 on; anything else is refused before an image is built.
 */
export function kafkaVersion(raw: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(raw.trim());
  const fix = 'give a released version as MAJOR.MINOR.PATCH, 3.3.0 or newer (e.g. 4.4.0, 3.9.2)';
  if (!m) throw new InvalidArgumentError(fix);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major < 3 || (major === 3 && minor < 3)) throw new InvalidArgumentError(`${raw} predates KRaft clusters; ${fix}`);
  return raw.trim();
}
