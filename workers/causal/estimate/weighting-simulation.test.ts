import { describe, it, expect } from 'vitest';
import { createRng, type Rng } from '../random/rng';
import type { Matrix } from '../types';
import { inverseProbabilityWeighting } from './ipw';
import { augmentedIpw } from './aipw';
import { fitLogistic } from '../propensity/logistic';

/**
 * Austin-style DGP (MatchIt vignette "estimating-effects", METHODS §10.2), constant effect so
 * the true ATT = ATE = 2. The PS is the true-form logistic model (X1, X2, X4, X5, X7, X8) fitted
 * by the engine's `fitLogistic` in every replicate; IPW reports the M-estimation SE that accounts
 * for that fit. A modest number of replications: bias within MC error and plausible 95%
 * coverage; an SE that is off by ±30% fails the coverage or SE/SD bounds.
 */
const N = 2000;
const R = 200;
const TRUE_EFFECT = 2;

interface SimData {
  y: Float64Array;
  treat: Uint8Array;
  ps: Float64Array;
  x: Matrix; // X1..X9, no intercept
  psDesign: Matrix; // [1, X1, X2, X4, X5, X7, X8]: the true PS form
}

function simulate(rng: Rng): SimData {
  const p = 9;
  const x = new Float64Array(N * p);
  const psCols = [0, 1, 3, 4, 6, 7];
  const q = psCols.length + 1;
  const design = new Float64Array(N * q);
  const y = new Float64Array(N);
  const treat = new Uint8Array(N);
  const ps = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const v = Array.from({ length: p }, () => rng.normal());
    v[4] = v[4]! < 0.5 ? 1 : 0;
    const eta = -1.2 + Math.log(2) * v[0]! - Math.log(1.5) * v[1]! + Math.log(2) * v[3]! - Math.log(2.4) * v[4]! + Math.log(2) * v[6]! - Math.log(1.5) * v[7]!;
    const e = 1 / (1 + Math.exp(-eta));
    const a = rng.next() < e ? 1 : 0;
    y[i] = TRUE_EFFECT * a + 2 * v[0]! + 2 * v[1]! + 2 * v[2]! + v[3]! + 2 * v[4]! + v[5]! + 5 * rng.normal();
    treat[i] = a;
    ps[i] = e;
    v.forEach((val, j) => (x[i * p + j] = val));
    design[i * q] = 1;
    psCols.forEach((c, k) => (design[i * q + 1 + k] = v[c]!));
  }
  return { y, treat, ps, x: { data: x, rows: N, cols: p }, psDesign: { data: design, rows: N, cols: q } };
}

interface Summary {
  bias: number;
  mcse: number;
  coverage: number;
  seOverSd: number;
}

function summarise(est: number[], se: number[], lo: number[], hi: number[]): Summary {
  const m = est.reduce((a, b) => a + b, 0) / est.length;
  const sd = Math.sqrt(est.reduce((a, b) => a + (b - m) ** 2, 0) / (est.length - 1));
  const meanSe = se.reduce((a, b) => a + b, 0) / se.length;
  const covered = est.filter((_, r) => lo[r]! <= TRUE_EFFECT && TRUE_EFFECT <= hi[r]!).length;
  return { bias: m - TRUE_EFFECT, mcse: sd / Math.sqrt(est.length), coverage: covered / est.length, seOverSd: meanSe / sd };
}

function check(s: Summary): void {
  expect(Math.abs(s.bias)).toBeLessThan(4 * s.mcse);
  // R = 200: MC SE of coverage ≈ 1.5%; a valid SE lands in [0.89, 0.99] with probability > 0.99.
  expect(s.coverage).toBeGreaterThanOrEqual(0.89);
  expect(s.coverage).toBeLessThanOrEqual(0.99);
  expect(s.seOverSd).toBeGreaterThan(0.8);
  expect(s.seOverSd).toBeLessThan(1.25);
}

describe('weighting estimators on the Austin DGP (true effect 2, fitted true-form logistic PS)', () => {
  it(`IPW ATT/ATE and AIPW ATT/ATE: unbiased within MC error, plausible coverage (R = ${R}, n = ${N})`, () => {
    const rng = createRng('austin-weighting');
    const names = ['ipwAtt', 'ipwAte', 'aipwAtt', 'aipwAte'] as const;
    const acc = Object.fromEntries(names.map((k) => [k, { est: [] as number[], se: [] as number[], lo: [] as number[], hi: [] as number[] }]));
    for (let r = 0; r < R; r++) {
      const d = simulate(rng);
      const fit = fitLogistic(d.psDesign, Float64Array.from(d.treat));
      expect(fit.converged).toBe(true);
      const ps = fit.fitted;
      const results = {
        ipwAtt: inverseProbabilityWeighting(d.y, d.treat, ps, { estimand: 'ATT', psDesign: d.psDesign }),
        ipwAte: inverseProbabilityWeighting(d.y, d.treat, ps, { estimand: 'ATE', psDesign: d.psDesign }),
        aipwAtt: augmentedIpw(d.y, d.treat, ps, d.x, { estimand: 'ATT' }),
        aipwAte: augmentedIpw(d.y, d.treat, ps, d.x, { estimand: 'ATE' }),
      };
      expect(results.ipwAtt.seType).toContain('M-estimation');
      for (const k of names) {
        const res = results[k];
        acc[k]!.est.push(res.estimate);
        acc[k]!.se.push(res.se);
        acc[k]!.lo.push(res.ci95[0]);
        acc[k]!.hi.push(res.ci95[1]);
      }
    }
    for (const k of names) {
      const a = acc[k]!;
      const s = summarise(a.est, a.se, a.lo, a.hi);
      try {
        check(s);
      } catch (error) {
        throw new Error(`${k}: ${JSON.stringify(s)}: ${(error as Error).message}`);
      }
    }
  });
});
