/**
 * Multiple imputation "within" (./within) against a known truth (./simulate-mar, ATT = 2, 25% of
 * X1 and of X2 missing at random given T, Y and X3), and its handling of bad input.
 *
 * Study: 40 replications of n = 1000, m = 5, maxit = 5, logit PS with a 0.2 SD caliper. The
 * estimator's SD is ≈ 0.17 at most, so the MC SE of a mean over 40 replications is ≈ 0.03.
 * Bounds: MI bias within ±0.12 (4 MC SE); complete-case bias below −0.15 (it is ≈ −0.29:
 * missingness selects on the outcome) and at least 3× the MI bias; MI coverage ≥ 0.85 (MC SE of
 * coverage ≈ 3.5 points at 40 replications) and above complete-case coverage. Calibration proper
 * (R = 200, SE/SD and coverage bands) is in ./mi-coverage.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { numericColumn, type Frame } from '../data/frame';
import { CausalInputError } from '../errors';
import { createRng } from '../random/rng';
import { analyze } from './analyze';
import { simulatedFrame } from './simulate';
import { simulateMar } from './simulate-mar';
import { analyzeImputed, runAnalysis } from './within';

const base = { treatment: 'T', outcome: 'Y', covariates: ['X1', 'X2', 'X3', 'X4'], link: 'linear.logit' as const, caliper: 0.2 };

describe('MI within: MAR simulation with a known ATT', () => {
  it('pooled estimate nearly unbiased with plausible coverage; complete cases biased', () => {
    const R = 40;
    const mi: number[] = [];
    const cc: number[] = [];
    let miCovered = 0;
    let ccCovered = 0;
    for (let r = 0; r < R; r++) {
      const data = simulateMar(1000, createRng(7000 + r));
      const frame = simulatedFrame(data);
      const a = analyzeImputed(frame, { ...base, impute: { m: 5, maxit: 5 } }, createRng(r));
      const b = analyze(frame, { ...base, completeCases: true }, createRng(r));
      mi.push(a.estimate);
      cc.push(b.estimate);
      if (a.ci95[0] <= 2 && 2 <= a.ci95[1]) miCovered++;
      if (b.ci95[0] <= 2 && 2 <= b.ci95[1]) ccCovered++;
      expect(a.imputation!.m).toBe(5);
      expect(a.imputation!.perImputation).toHaveLength(5);
    }
    const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
    const miBias = mean(mi) - 2;
    const ccBias = mean(cc) - 2;
    expect(Math.abs(miBias)).toBeLessThan(0.12);
    expect(ccBias).toBeLessThan(-0.15);
    expect(Math.abs(ccBias)).toBeGreaterThan(3 * Math.abs(miBias));
    expect(miCovered / R).toBeGreaterThanOrEqual(0.85);
    expect(miCovered).toBeGreaterThan(ccCovered);
  });

  it('reports pooling, spread, missing rates and convergence; gbm-missing pools the g-computation', () => {
    const frame = simulatedFrame(simulateMar(1500, createRng(3)));
    const r = analyzeImputed(frame, { ...base, impute: { m: 4, maxit: 5 } }, createRng(1));
    const im = r.imputation!;
    expect(im.missingRates.X1).toBeCloseTo(0.25, 1);
    expect(im.missingRates.X3).toBeUndefined();
    expect(im.dfcom).toBe(Math.min(...im.perImputation.map((p) => p.matchedTreated)) - 1);
    expect(im.df).toBeGreaterThan(3);
    expect(im.fmi).toBeGreaterThan(0);
    expect(im.fmi).toBeLessThan(1);
    expect(r.estimate).toBeCloseTo(im.perImputation.reduce((s, p) => s + p.estimate, 0) / 4, 12);
    // Default with matching: the g-computation of each imputation is pooled, and is the headline.
    expect(im.pool).toBe('g-computation');
    expect(r.gComputation!.estimate).toBe(r.estimate);
    expect(r.seType).toContain('g-computation');
    // pool=headline: the weighted difference in means of each imputation (same imputations).
    const h = analyzeImputed(frame, { ...base, impute: { m: 4, maxit: 5, pool: 'headline' } }, createRng(1));
    expect(h.imputation!.pool).toBe('headline');
    expect(h.gComputation!.estimate).toBeCloseTo(r.estimate, 12);
    expect(h.estimate).not.toBeCloseTo(r.estimate, 6);
    expect(h.imputation!.perImputation.map((p) => p.matchedTreated)).toEqual(im.perImputation.map((p) => p.matchedTreated));
    // The AI SE belongs to the difference in means: pooled as the headline; asking for the
    // g-computation with it is refused.
    const ai = analyzeImputed(frame, { ...base, se: 'ai', impute: { m: 2, maxit: 2 } }, createRng(1));
    expect(ai.imputation!.pool).toBe('headline');
    expect(() => analyzeImputed(frame, { ...base, se: 'ai', impute: { m: 2, maxit: 2, pool: 'g-computation' } }, createRng(1))).toThrow(/needs the matching estimator with the cluster-robust or HC3 SE/);
    expect(im.spread.estimate.min).toBeLessThanOrEqual(im.spread.estimate.max);
    expect(Object.keys(im.convergence.rhat).sort()).toEqual(['X1', 'X2']);
    expect(im.methods).toEqual({ X1: 'pmm', X2: 'pmm' });
    const g = analyzeImputed(frame, { ...base, impute: { m: 3, maxit: 3, mode: 'gbm-missing' } }, createRng(1));
    expect(g.imputation!.mode).toBe('gbm-missing');
    expect(g.propensity.model).toBe('gbm');
    expect(Math.abs(g.estimate - 2)).toBeLessThan(0.6);
    // The matching is the same in every imputation (one score).
    expect(new Set(g.imputation!.perImputation.map((p) => p.matchedTreated)).size).toBe(1);
  });
});

describe('MI within: bad input gives clear errors or warnings', () => {
  const frame = simulatedFrame(simulateMar(400, createRng(11)));
  const withColumn = (name: string, values: Float64Array): Frame => ({ rows: frame.rows, columns: [...frame.columns, numericColumn(name, values)] });

  it('a column missing in every row, m < 2, and --complete-cases together with imputation', () => {
    const f = withColumn('X5', new Float64Array(400).fill(Number.NaN));
    expect(() => analyzeImputed(f, { ...base, covariates: [...base.covariates, 'X5'], impute: { m: 5 } }, createRng(1))).toThrow('The covariate "X5" is missing in every row.');
    expect(() => analyzeImputed(frame, { ...base, impute: { m: 1 } }, createRng(1))).toThrow(/needs m ≥ 2 imputations/);
    expect(() => analyzeImputed(frame, { ...base, impute: { m: 5 }, completeCases: true }, createRng(1))).toThrow(CausalInputError);
  });

  it('chains that cannot mix (a near-copy missing in the same rows) are flagged by R̂ with a warning', () => {
    const x1 = frame.columns.find((c) => c.name === 'X1')!;
    const values = (x1 as { values: Float64Array }).values;
    const rng = createRng(4);
    const copy = Float64Array.from(values, (v) => v + 1e-3 * rng.normal());
    const f = withColumn('X1copy', copy);
    const r = analyzeImputed(f, { ...base, covariates: [...base.covariates, 'X1copy'], impute: { m: 4, maxit: 6 } }, createRng(2));
    expect(r.imputation!.convergence.converged).toBe(false);
    expect(r.warnings.some((w) => w.includes('may not have converged') && w.includes('X1'))).toBe(true);
  });

  it('negative control: the outcome itself is refused; a covariate is warned about; timing is a stated assumption', () => {
    expect(() => analyzeImputed(frame, { ...base, impute: { m: 2, maxit: 2 }, negativeControl: 'Y' }, createRng(1))).toThrow(/is the outcome itself/);
    expect(() => runAnalysis(frame, { ...base, negativeControl: 'T', completeCases: true }, createRng(1))).toThrow(/is the treatment itself/);
    const r = analyzeImputed(frame, { ...base, impute: { m: 3, maxit: 3 }, negativeControl: 'X3' }, createRng(1));
    expect(r.warnings.some((w) => w.includes('is also a covariate'))).toBe(true);
    expect(r.warnings.some((w) => w.includes('cannot check from the data that it was measured before treatment'))).toBe(true);
    expect(r.negativeControl!.perImputation).toHaveLength(3);
  });

  it('a pre-treatment negative control the treatment cannot affect passes; a post-treatment one fails', () => {
    const data = simulateMar(2000, createRng(21));
    const f = simulatedFrame(data);
    const t = data.columns.T!;
    const rng = createRng(22);
    // Pre-treatment: depends on the covariates only (MICE imputes nothing in it).
    const x3 = data.columns.X3!;
    const pre = Float64Array.from(x3, (v) => 0.5 * v + rng.normal());
    // Affected by the treatment: must fail.
    const post = Float64Array.from(t, (v) => v + rng.normal());
    const frameNc = { rows: f.rows, columns: [...f.columns, numericColumn('pre', pre), numericColumn('post', post)] };
    const ok = analyzeImputed(frameNc, { ...base, impute: { m: 3, maxit: 3 }, negativeControl: 'pre' }, createRng(5));
    const bad = analyzeImputed(frameNc, { ...base, impute: { m: 3, maxit: 3 }, negativeControl: 'post' }, createRng(5));
    expect(ok.negativeControl!.verdict).toBe('passed');
    expect(bad.negativeControl!.verdict).toBe('failed');
  });
});
