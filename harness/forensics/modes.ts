// The forensics modes, apart from the forensics themselves, so that the command line (whose help must not
// load Docker's client) can name them.
export const FORENSICS_MODES = ['off', 'auto', 'always'] as const;
export type ForensicsMode = (typeof FORENSICS_MODES)[number];
