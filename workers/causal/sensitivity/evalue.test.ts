import { describe, it, expect } from 'vitest';
import { evalueThreshold, evaluesHR, evaluesMD, evaluesOLS, evaluesOR, evaluesRR, evaluesRiskRatioDelta, type EValueResult } from './evalue';
import { readReferenceJson } from '../testing/reference';

type Fixture = Record<string, { values: [number, number, number]; evalues: [number | null, number | null, number | null] }>;
const ref = readReferenceJson<Fixture>('sensitivity', 'evalues.json');

function expectMatches(res: EValueResult, key: string): void {
  const f = ref[key]!;
  expect(Math.abs(res.rr.estimate - f.values[0])).toBeLessThan(1e-6);
  expect(Math.abs(res.rr.lower! - f.values[1])).toBeLessThan(1e-6);
  expect(Math.abs(res.rr.upper! - f.values[2])).toBeLessThan(1e-6);
  const got = [res.evalue.estimate, res.evalue.lower, res.evalue.upper];
  f.evalues.forEach((want, i) => {
    if (want === null) expect(got[i]).toBeNull();
    else expect(Math.abs(got[i]! - want)).toBeLessThan(1e-6);
  });
}

describe('E-values against EValue (evalues.json)', () => {
  it('RR 3.9 (1.8, 8.7)', () => {
    const res = evaluesRR(3.9, 1.8, 8.7);
    expectMatches(res, 'RR_3.9_ci_1.8_8.7');
    expect(res.evalueCI).toBe(res.evalue.lower);
  });
  it('protective RR 0.80 (0.71, 0.91): the upper limit is the one nearer the null', () => {
    const res = evaluesRR(0.8, 0.71, 0.91);
    expectMatches(res, 'RR_0.80_ci_0.71_0.91');
    expect(res.evalueCI).toBe(res.evalue.upper);
  });
  it('common-outcome OR 3.9 (1.8, 8.7)', () => expectMatches(evaluesOR(3.9, 1.8, 8.7, { rare: false }), 'OR_common_3.9_ci_1.8_8.7'));
  it('common-outcome HR 3.9 (1.8, 8.7)', () => expectMatches(evaluesHR(3.9, 1.8, 8.7, { rare: false }), 'HR_common_3.9_ci_1.8_8.7'));
  it('standardised mean difference d = 0.5, se = 0.1', () => expectMatches(evaluesMD(0.5, 0.1), 'MD_d0.5_se0.1'));
});

describe('E-value rules', () => {
  it('gives 1 for the CI when it includes the null, and for an estimate at the null', () => {
    const res = evaluesRR(1.4, 0.9, 2.1);
    expect(res.evalue.lower).toBe(1);
    expect(res.evalueCI).toBe(1);
    expect(evalueThreshold(1)).toBe(1);
    const protective = evaluesRR(0.7, 0.4, 1.2);
    expect(protective.evalue.upper).toBe(1);
    expect(protective.evalue.lower).toBeNull();
  });

  it('rare outcomes use the ratio itself; OLS reduces to MD with d = δβ/σ', () => {
    expect(evaluesOR(2, 1.5, 3, { rare: true }).evalue.estimate).toBeCloseTo(evalueThreshold(2), 14);
    expect(evaluesHR(2, 1.5, 3, { rare: true }).evalue.estimate).toBeCloseTo(2 + Math.sqrt(2), 14);
    const ols = evaluesOLS(1000, 200, 2000);
    const md = evaluesMD(0.5, 0.1);
    expect(ols.evalue.estimate).toBeCloseTo(md.evalue.estimate, 12);
    expect(ols.evalue.lower).toBeCloseTo(md.evalue.lower!, 12);
  });

  it('non-null true value follows VanderWeele & Ding (both branches)', () => {
    // true ≤ RR: (RR + √(RR(RR − true)))/true
    expect(evalueThreshold(3, 1.5)).toBeCloseTo((3 + Math.sqrt(3 * 1.5)) / 1.5, 14);
    // true > RR: rat = true/RR, rat + √(rat(rat − 1))
    expect(evalueThreshold(1.5, 3)).toBeCloseTo(2 + Math.sqrt(2), 14);
    // A protective estimate is flipped together with the true value.
    expect(evalueThreshold(0.5, 0.8)).toBeCloseTo(evalueThreshold(2, 1.25), 14);
    expect(evaluesRR(3, 2, 4.5, { trueValue: 2.5 }).evalue.lower).toBe(1);
  });

  it('risk difference via RR with a delta-method CI on log RR', () => {
    const res = evaluesRiskRatioDelta({ risk1: 0.3, risk0: 0.2, var1: 0.0004, var0: 0.0003 });
    const se = Math.sqrt(0.0004 / 0.09 + 0.0003 / 0.04);
    expect(res.seLogRR).toBeCloseTo(se, 14);
    expect(res.rr.estimate).toBeCloseTo(1.5, 14);
    expect(res.rr.lower!).toBeCloseTo(1.5 * Math.exp(-1.959963984540054 * se), 12);
    expect(res.evalue.estimate).toBeCloseTo(1.5 + Math.sqrt(1.5 * 0.5), 12);
  });

  it('rejects invalid input', () => {
    expect(() => evaluesRR(-1)).toThrow(/positive/);
    expect(() => evaluesRR(2, 2.5, 3)).toThrow(/contain/);
    expect(() => evaluesRiskRatioDelta({ risk1: 0, risk0: 0.2, var1: 0, var0: 0 })).toThrow(/risk1/);
  });
});
