// Property tests under StrykerJS run with one fixed seed. @fast-check/vitest names a property test
// "<name> (with seed=<seed>)", and Stryker finds a mutant's covering tests again by name: with a random
// seed per run, no property test was ever found again (none ran against any mutant), and every
// incremental run saw them all as new tests and retested everything they cover.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 1818 });
