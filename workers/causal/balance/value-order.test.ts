import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng';
import { valueOrder } from './value-order';

describe('valueOrder (bucket argsort for the eCDF)', () => {
  const rng = createRng(7);
  const u = (): number => rng.next();
  const cases: Record<string, (i: number) => number> = {
    uniform: () => u(),
    skewed: () => Math.exp(20 * u() * u()),
    ties: () => Math.floor(10 * u()),
    zeroInflated: () => (u() < 0.4 ? 0 : Math.exp(8 + 2 * u())),
    extremeRange: () => (u() < 0.5 ? 1e300 : -1e300) * u(),
    negativeZero: (i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : u() - 0.5),
    tiny: () => u(),
  };
  for (const [name, gen] of Object.entries(cases)) {
    it(`sorts ${name} data into a permutation with the values alongside`, () => {
      const n = name === 'tiny' ? 7 : 5000;
      const x = Float64Array.from({ length: n }, (_, i) => gen(i));
      const { order, sorted } = valueOrder(x);
      // −0 and 0 are ties (either order); + 0 folds −0 into 0 for the comparison.
      expect(Array.from(sorted, (v) => v + 0)).toEqual(Array.from(Float64Array.from(x).sort(), (v) => v + 0));
      const seen = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        expect(sorted[k]).toBe(x[order[k]!]);
        seen[order[k]!] = 1;
      }
      expect(seen.every((s) => s === 1)).toBe(true);
    });
  }
});
