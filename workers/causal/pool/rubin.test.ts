import { describe, it, expect } from 'vitest';
import { poolRubin, barnardRubinDf } from './rubin';
import { num, readReferenceCsv, readReferenceJson } from '../testing/reference';

interface PooledReference {
  pooled: {
    m: number;
    Qbar: number;
    Ubar: number;
    B: number;
    T: number;
    se_pooled: number;
    riv: number;
    lambda: number;
    df_rubin1987: number;
    dfcom: number;
    df_barnard_rubin: number;
    fmi: number;
    ci95_barnard_rubin: [number, number];
    p_barnard_rubin: number;
    pool_scalar_ninf: { qbar: number; t: number; df: number; fmi: number };
    pool_scalar_n: { qbar: number; t: number; df: number; fmi: number };
  };
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('poolRubin (mice::pool on imputation/per_imputation.csv)', () => {
  const rows = readReferenceCsv('imputation', 'per_imputation.csv');
  const att = Float64Array.from(rows.map((r) => num(r.att)));
  const se = Float64Array.from(rows.map((r) => num(r.se)));
  const ref = readReferenceJson<PooledReference>('imputation', 'pooled_reference.json').pooled;
  const res = poolRubin(att, se, { dfcom: ref.dfcom });

  it('matches the pooled moments to 1e-10', () => {
    expect(res.m).toBe(ref.m);
    expect(rel(res.estimate, ref.Qbar)).toBeLessThan(1e-10);
    expect(rel(res.within, ref.Ubar)).toBeLessThan(1e-10);
    expect(rel(res.between, ref.B)).toBeLessThan(1e-10);
    expect(rel(res.total, ref.T)).toBeLessThan(1e-10);
    expect(rel(res.se, ref.se_pooled)).toBeLessThan(1e-10);
    expect(rel(res.riv, ref.riv)).toBeLessThan(1e-10);
    expect(rel(res.lambda, ref.lambda)).toBeLessThan(1e-10);
  });

  it('matches the Barnard–Rubin and Rubin (1987) degrees of freedom to 1e-10', () => {
    expect(rel(res.df, ref.df_barnard_rubin)).toBeLessThan(1e-10);
    expect(rel(res.dfRubin1987, ref.df_rubin1987)).toBeLessThan(1e-10);
  });

  it('matches fmi: mice::pool.scalar(n) uses the BR df, the top-level fmi uses df_old', () => {
    // pooled.fmi in the fixture equals pool.scalar(n = Inf)$fmi, i.e. the Rubin (1987) df.
    expect(rel(res.fmiRubin1987, ref.fmi)).toBeLessThan(1e-10);
    expect(rel(res.fmiRubin1987, ref.pool_scalar_ninf.fmi)).toBeLessThan(1e-10);
    expect(rel(res.fmi, ref.pool_scalar_n.fmi)).toBeLessThan(1e-10);
    expect(rel(res.df, ref.pool_scalar_n.df)).toBeLessThan(1e-10);
  });

  it('matches the 95% CI and p-value (t with BR df) to 1e-10', () => {
    expect(rel(res.ci[0], ref.ci95_barnard_rubin[0])).toBeLessThan(1e-10);
    expect(rel(res.ci[1], ref.ci95_barnard_rubin[1])).toBeLessThan(1e-10);
    expect(rel(res.pValue, ref.p_barnard_rubin)).toBeLessThan(1e-10);
  });

  it('with dfcom = Infinity gives pool.scalar(n = Inf)', () => {
    const inf = poolRubin(att, se, { dfcom: Infinity });
    expect(rel(inf.df, ref.pool_scalar_ninf.df)).toBeLessThan(1e-10);
    expect(rel(inf.fmi, ref.pool_scalar_ninf.fmi)).toBeLessThan(1e-10);
  });

  it('floors lambda at 1e-4 when the imputations agree exactly', () => {
    const same = poolRubin(Float64Array.of(1, 1, 1), Float64Array.of(0.5, 0.5, 0.5), { dfcom: Infinity });
    expect(same.between).toBe(0);
    expect(same.df).toBeCloseTo(2 / 1e-8, 0);
    expect(barnardRubinDf(3, 0, 0.25, 99999)).toBeLessThan(99999);
  });

  it('rejects bad input', () => {
    expect(() => poolRubin(Float64Array.of(1), Float64Array.of(1))).toThrow(/at least 2/);
    expect(() => poolRubin(Float64Array.of(1, 2), Float64Array.of(1))).toThrow(/standard errors/);
    expect(() => poolRubin(Float64Array.of(1, 2), Float64Array.of(1, Number.NaN))).toThrow(/Imputation 2/);
  });
});
