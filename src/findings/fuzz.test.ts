import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fuzzCases, loadSeeds } from './fuzz.ts';

// Bounded so the whole file runs in a few seconds; `npx tsx src/findings/fuzz.ts 5000` runs longer.
describe('fuzz: nothing but ReportError escapes a parser', () => {
  const seeds = loadSeeds();
  for (const c of fuzzCases(seeds)) {
    it(c.name, () => {
      fc.assert(c.property, { numRuns: 60, seed: 20251125 });
    });
  }
});
