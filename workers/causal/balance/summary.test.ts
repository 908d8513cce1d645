import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR, loadLalonde, loadMatchFixture, matrixOf } from '../match/lalonde-fixture';
import { matchNearest, type NearestOptions } from '../match/nearest';
import { num, readReferenceCsv } from '../testing/reference';
import { balanceSummary, type BalanceRow } from './summary';

const lalonde = loadLalonde();
const covariates = ['age', 'educ', 'raceblack', 'racehispan', 'racewhite', 'married', 'nodegree', 're74', 're75'];
const mahvars = matrixOf([lalonde.columns.age!, lalonde.columns.educ!, lalonde.columns.re74!, lalonde.columns.re75!]);
const configs: Record<string, NearestOptions> = {
  m1: {},
  m2: { caliper: 0.2 },
  m3: { caliper: 0.2, ratio: 2 },
  m4: { replace: true },
  m5: { caliper: 0.2, exact: Int32Array.from(lalonde.columns.married!), mahvars },
  m6: { caliper: 0.2, mOrder: 'closest' },
};

const close = (ours: number, ref: number): boolean => {
  if (Number.isNaN(ref)) return Number.isNaN(ours);
  return Math.abs(ours - ref) <= 1e-8 * Math.abs(ref) + 1e-12;
};

function check(id: string, stage: 'before' | 'after', rows: readonly BalanceRow[]): number {
  const ref = readReferenceCsv(...FIXTURE_DIR, `${id}_balance.csv`).filter((r) => r.stage === stage);
  expect(rows.map((r) => r.variable)).toEqual(ref.map((r) => r.variable));
  let worst = 0;
  ref.forEach((r, k) => {
    const row = rows[k]!;
    const pairs: [string, number, number][] = [
      ['Means Treated', row.meansTreated, num(r['Means Treated'])],
      ['Means Control', row.meansControl, num(r['Means Control'])],
      ['Std. Mean Diff.', row.smd, num(r['Std. Mean Diff.'])],
      ['Var. Ratio', row.varRatio, num(r['Var. Ratio'])],
      ['eCDF Mean', row.ecdfMean, num(r['eCDF Mean'])],
      ['eCDF Max', row.ecdfMax, num(r['eCDF Max'])],
    ];
    for (const [what, a, b] of pairs) {
      expect(close(a, b), `${id} ${stage} ${row.variable} ${what}: ${a} vs MatchIt ${b}`).toBe(true);
      if (Number.isFinite(b) && b !== 0) worst = Math.max(worst, Math.abs(a - b) / Math.abs(b));
    }
  });
  return worst;
}

describe('balanceSummary against MatchIt 4.7.2 summary(m, un = TRUE) (lalonde)', () => {
  for (const [id, options] of Object.entries(configs)) {
    const fx = loadMatchFixture(id);
    const x = matrixOf([fx.distance, ...covariates.map((c) => lalonde.columns[c]!)]);
    const names = ['distance', ...covariates];
    it(`${id}: with MatchIt's weights`, () => {
      const res = balanceSummary(x, names, lalonde.treat, fx.weights);
      check(id, 'before', res.before);
      check(id, 'after', res.after);
    });
    it(`${id}: with our own matching's weights`, () => {
      const m = matchNearest(fx.distance, lalonde.treat, options);
      const res = balanceSummary(x, names, lalonde.treat, m.weights);
      check(id, 'after', res.after);
    });
  }

  it('flags |SMD| > 0.1 and variance ratios outside [0.5, 2]', () => {
    const fx = loadMatchFixture('m1');
    const x = matrixOf([lalonde.columns.age!, lalonde.columns.married!]);
    const res = balanceSummary(x, ['age', 'married'], lalonde.treat, fx.weights);
    const age = res.before[0]!;
    expect(age.flagSmd).toBe(true);
    expect(age.varRatio).toBeLessThan(0.5);
    expect(age.flagVarRatio).toBe(true);
    expect(res.before[1]!.binary).toBe(true);
    expect(Number.isNaN(res.before[1]!.varRatio)).toBe(true);
    expect(res.before[1]!.flagVarRatio).toBe(false);
  });
});
