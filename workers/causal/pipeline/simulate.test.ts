/**
 * Statistical validity of the full pipeline on the Austin-style DGP (METHODS §10.2, true ATT 2):
 * 200 replications of n = 1000, logit PS with a 0.2 SD caliper and the cluster-robust SE.
 * Bounds: the MC SE of coverage at R = 200 is ≈ 1.5 points, so [0.90, 0.995] accepts a correct
 * (slightly conservative, as cluster SEs after matching are) interval while a halved SE (≈ 75%)
 * or a doubled one (100%) fails. Bias: residual imbalance after 1:1 matching at n = 1000 leaves
 * ≈ 0.1 (¼ of the estimator's SD); a broken estimator (e.g. unmatched difference, bias ≈ 2.6)
 * fails the 0.25 bound.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng';
import { runSimulation, simulateAustin, simulateKangSchafer } from './simulate';

describe('simulation: Austin DGP through the whole pipeline', () => {
  it('matching on the logit with a caliper: small bias, SE matching the spread, ~95% coverage', () => {
    const s = runSimulation(simulateAustin, 1000, 200, { link: 'linear.logit', caliper: 0.2 }, createRng(20240601));
    expect(s.failed).toBe(0);
    expect(Math.abs(s.bias)).toBeLessThan(0.25);
    expect(s.meanSe / s.empiricalSd).toBeGreaterThan(0.85);
    expect(s.meanSe / s.empiricalSd).toBeLessThan(1.4);
    expect(s.coverage).toBeGreaterThanOrEqual(0.9);
    expect(s.coverage).toBeLessThanOrEqual(0.995);
    // The g-computation beside it (covariate-adjusted, same matching): no conservative slack,
    // so the bands are those of a calibrated SE: SE/SD 1 ± 0.15 (3 MC SE of an SD over 200
    // replications) and coverage 95 ± 3 MC SE ([90.4%, 99.6%]).
    const g = s.gComputation!;
    expect(g.replications).toBe(200);
    expect(Math.abs(g.bias)).toBeLessThan(0.25);
    expect(g.meanSe / g.empiricalSd).toBeGreaterThan(0.85);
    expect(g.meanSe / g.empiricalSd).toBeLessThan(1.15);
    expect(g.coverage).toBeGreaterThan(0.904);
    expect(g.coverage).toBeLessThan(0.996);
  });
});

describe('simulation: generators', () => {
  it('Austin: about 20% treated; Kang–Schafer: about half treated, raw difference ≈ −20 with no effect', () => {
    const a = simulateAustin(20000, createRng(1));
    const share = a.columns.A!.reduce((s, v) => s + v, 0) / 20000;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.3);
    const k = simulateKangSchafer(20000, createRng(2));
    const t = k.columns.T!;
    const y = k.columns.Y!;
    let s1 = 0;
    let n1 = 0;
    let s0 = 0;
    for (let i = 0; i < 20000; i++) {
      if (t[i] === 1) {
        s1 += y[i]!;
        n1++;
      } else s0 += y[i]!;
    }
    expect(n1 / 20000).toBeGreaterThan(0.45);
    expect(n1 / 20000).toBeLessThan(0.55);
    const diff = s1 / n1 - s0 / (20000 - n1);
    expect(diff).toBeGreaterThan(-23);
    expect(diff).toBeLessThan(-17);
    expect(k.trueAtt).toBe(0);
  });
});
