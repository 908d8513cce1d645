/**
 * In-process checks of `analyze` beyond the CLI fixture tests (workers/cli/causeway.test.ts):
 * stage callbacks, GBM determinism under a seed, and the weighting estimators on lalonde.
 */
import { describe, expect, it } from 'vitest';
import { loadLalonde } from '../data/lalonde-fixture';
import { numericColumn, type Frame } from '../data/frame';
import { createRng } from '../random/rng';
import { analyze } from './analyze';
import { rankAuc } from './propensity-stage';

function lalondeFrame(): Frame {
  const { frame, treat } = loadLalonde();
  return { rows: frame.rows, columns: [...frame.columns, numericColumn('treat', treat)] };
}
const base = { treatment: 'treat', outcome: 're78', covariates: ['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75'] };

describe('analyze', () => {
  it('announces its stages in order and reports MatchIt m1 numbers', () => {
    const stages: string[] = [];
    const r = analyze(lalondeFrame(), { ...base, onStage: (s) => stages.push(s) }, createRng(1));
    expect(stages).toEqual(['validate', 'design', 'propensity', 'match', 'estimate', 'balance']);
    expect(r.estimate).toBeCloseTo(894.3675, 3);
    expect(r.matchRate).toBe(1);
  });

  it('GBM cross-fit: same seed, same result; another seed, different folds', () => {
    const a = analyze(lalondeFrame(), { ...base, propensity: 'gbm', link: 'linear.logit', caliper: 0.2 }, createRng(5));
    const b = analyze(lalondeFrame(), { ...base, propensity: 'gbm', link: 'linear.logit', caliper: 0.2 }, createRng(5));
    const c = analyze(lalondeFrame(), { ...base, propensity: 'gbm', link: 'linear.logit', caliper: 0.2 }, createRng(6));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.propensity.folds).toBe(5);
    expect(a.estimate).not.toBe(c.estimate);
    expect(a.propensity.auc).toBeGreaterThan(0.6);
  });

  it('IPW and AIPW give finite ATT estimates with normal intervals and weighted balance', () => {
    for (const estimator of ['ipw', 'aipw'] as const) {
      const r = analyze(lalondeFrame(), { ...base, estimator }, createRng(1));
      expect(Number.isFinite(r.estimate) && r.se > 0).toBe(true);
      expect(r.df).toBe(Number.POSITIVE_INFINITY);
      expect(r.gComputation).toBeNull();
      // Weighting brings race far closer than the raw SMD of 1.76.
      expect(Math.abs(r.balance.find((b) => b.covariate === 'raceblack')!.smdAfter)).toBeLessThan(0.5);
    }
  });

  it('rankAuc handles ties with average ranks', () => {
    expect(rankAuc(Float64Array.from([0.1, 0.2, 0.2, 0.9]), Uint8Array.from([0, 1, 0, 1]))).toBeCloseTo(0.875, 12);
  });
});
