import { describe, it, expect } from 'vitest';
import { readReferenceCsv, num } from '../testing/reference';
import { createRng } from '../random/rng';
import { CausalInputError } from '../errors';
import { differenceInMeans } from './difference-in-means';
import { gComputation } from './g-computation';
import { clusterBootstrap, matchedBootstrap, quantileType7, unitBootstrap } from './bootstrap';

const lalonde = readReferenceCsv('lalonde', 'lalonde.csv');
const n = lalonde.length;
const y = Float64Array.from(lalonde, (r) => num(r.re78));
const treat = Uint8Array.from(lalonde, (r) => num(r.treat));
const m1 = readReferenceCsv('lalonde', 'matchit-4.7.2', 'm1_weights_subclass.csv');
const weights = Float64Array.from(m1, (r) => num(r.weights));
const subclass = Int32Array.from(m1, (r) => (r.subclass === 'NA' ? -1 : num(r.subclass)));
const Z = (() => {
  const cols = 8;
  const data = new Float64Array(n * cols);
  lalonde.forEach((r, i) => {
    [num(r.age), num(r.educ), r.race === 'hispan' ? 1 : 0, r.race === 'white' ? 1 : 0, num(r.married), num(r.nodegree), num(r.re74), num(r.re75)].forEach((v, j) => (data[i * cols + j] = v));
  });
  return { data, rows: n, cols };
})();

describe('bootstrap', () => {
  it('quantileType7 equals R quantile(1:10, c(.025, .975)) = 1.225, 9.775', () => {
    const s = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    expect(quantileType7(s, 0.025)).toBeCloseTo(1.225, 12);
    expect(quantileType7(s, 0.975)).toBeCloseTo(9.775, 12);
  });

  it('matched-set bootstrap of the m1 difference in means: estimate is MatchIt ATT, SE ≈ pair SE (704.27) within MC error', () => {
    const res = matchedBootstrap(y, treat, { weights, subclass, rng: createRng(20240601), replicates: 999 });
    expect(res.estimate).toBeCloseTo(894.3674802702744, 8);
    expect(res.replicates.length).toBe(999);
    expect(res.nFailed).toBe(0);
    // Pairs bootstrap SE → sd(d)/√P; MC relative SE of a bootstrap SE with B = 999 is ≈ 2.2%.
    expect(Math.abs(res.se / 704.2735 - 1)).toBeLessThan(0.08);
    expect(res.percentileCi[0]).toBeLessThan(res.estimate);
    expect(res.percentileCi[1]).toBeGreaterThan(res.estimate);
    expect(res.effect.df).toBe(Number.POSITIVE_INFINITY);
    expect(res.effect.se).toBe(res.se);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = matchedBootstrap(y, treat, { weights, subclass, rng: createRng(7), replicates: 50 });
    const b = matchedBootstrap(y, treat, { weights, subclass, rng: createRng(7), replicates: 50 });
    const c = matchedBootstrap(y, treat, { weights, subclass, rng: createRng(8), replicates: 50 });
    expect(Array.from(a.replicates)).toEqual(Array.from(b.replicates));
    expect(Array.from(a.replicates)).not.toEqual(Array.from(c.replicates));
  });

  it('g-computation refit per replicate: estimate is the MatchIt g-comp ATT, SE near the delta-method CR1 SE', () => {
    const res = matchedBootstrap(y, treat, { weights, subclass, covariates: Z, rng: createRng(11), replicates: 300 });
    expect(res.estimate).toBeCloseTo(1121.1772304378721, 6);
    const cr1 = gComputation(y, treat, Z, { weights, subclass }).se;
    expect(Math.abs(res.se / cr1 - 1)).toBeLessThan(0.2);
  });

  it('clusterBootstrap passes multiplicities equal to the number of draws of each set', () => {
    const cluster = Int32Array.from([0, 0, 1, 1, 2, -1]);
    const seen: number[][] = [];
    clusterBootstrap(cluster, (m) => {
      seen.push(Array.from(m));
      return m[0]! + m[2]!;
    }, { rng: createRng(3), replicates: 20 });
    expect(seen[0]).toEqual([1, 1, 1, 1, 1, 0]);
    for (const m of seen.slice(1)) {
      expect(m[0]).toBe(m[1]);
      expect(m[2]).toBe(m[3]);
      expect(m[5]).toBe(0);
      expect(m[0]! + m[2]! + m[4]!).toBe(3);
    }
  });

  it('unit bootstrap of a mean has SE ≈ sd/√n, stratified resampling keeps group sizes', () => {
    const rng = createRng(5);
    const x = Float64Array.from({ length: 400 }, () => rng.normal() * 3 + 1);
    const mean = (idx: Int32Array): number => idx.reduce((s, i) => s + x[i]!, 0) / idx.length;
    const res = unitBootstrap(x.length, mean, { rng: createRng(6), replicates: 999 });
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
    expect(Math.abs(res.se / (sd / Math.sqrt(x.length)) - 1)).toBeLessThan(0.08);

    const groups = Uint8Array.from({ length: 400 }, (_, i) => (i < 100 ? 1 : 0));
    unitBootstrap(400, (idx) => {
      expect(idx.filter((i) => i < 100).length).toBe(100);
      return 0;
    }, { rng: createRng(9), replicates: 5, strata: groups, maxFailureFraction: 1 });
  });

  it('full re-run bootstrap reproduces the m1 difference in means via a caller-supplied pipeline', () => {
    const pipeline = (idx: Int32Array): number => {
      const yy = Float64Array.from(idx, (i) => y[i]!);
      const tt = Uint8Array.from(idx, (i) => treat[i]!);
      const ww = Float64Array.from(idx, (i) => weights[i]!);
      return differenceInMeans(yy, tt, { weights: ww, vcov: 'HC0' }).estimate;
    };
    const res = unitBootstrap(n, pipeline, { rng: createRng(1), replicates: 200, strata: treat });
    expect(res.estimate).toBeCloseTo(894.3674802702744, 8);
    expect(res.se).toBeGreaterThan(400);
    expect(res.se).toBeLessThan(1200);
  });

  it('counts failed replicates and refuses when too many fail', () => {
    let calls = 0;
    const flaky = (): number => {
      calls++;
      if (calls > 1 && calls % 2 === 0) throw new CausalInputError('no controls');
      return 1;
    };
    expect(() => unitBootstrap(10, flaky, { rng: createRng(2), replicates: 20 })).toThrow(/could not be estimated/);
    const res = unitBootstrap(10, () => 1, { rng: createRng(2), replicates: 20 });
    expect(res.nFailed).toBe(0);
  });
});
