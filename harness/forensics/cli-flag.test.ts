// `--forensics` on run and campaign: parsed, refused where no cluster runs, and kept in the repro line
// when it is not the default (the mode can change a verdict: an unseen becomes inconclusive with auto).
import { describe, expect, it } from 'vitest';
import { parseRunFlags } from '../cli/run.ts';
import { reproCommand } from '../run/settings.ts';

describe('--forensics', () => {
  it('defaults to auto, takes off|auto|always, and the repro line keeps a mode other than auto', () => {
    expect(parseRunFlags('run', ['--target', 'kafka']).forensics).toBeUndefined(); // auto
    expect(parseRunFlags('run', ['--target', 'kafka', '--forensics', 'off']).forensics).toBe('off');
    expect(reproCommand(parseRunFlags('run', ['--target', 'kafka']))).not.toContain('--forensics');
    const always = parseRunFlags('run', ['--target', 'kafka', '--forensics', 'always']);
    expect(reproCommand(always)).toMatch(/ --forensics always$/);
    expect(() => parseRunFlags('run', ['--target', 'kafka', '--forensics', 'sometimes'])).toThrow(/sometimes/);
  });

  it('is refused with --target model, which runs no cluster', () => {
    expect(() => parseRunFlags('run', ['--target', 'model', '--forensics', 'off'])).toThrow(/--forensics asks a real cluster/);
  });
});
