import { describe, it, expect } from 'vitest';
import { buildDesignMatrix } from '../data/design-matrix';
import { loadLalonde } from '../data/lalonde-fixture';
import { createRng } from '../random/rng';
import { num, readReferenceCsv } from '../testing/reference';
import { fitLogistic } from './logistic';

const fixture = (file: string) => readReferenceCsv('lalonde', 'matchit-4.7.2', file).map((r) => num(r.distance));

describe('fitLogistic (R glm.fit, binomial)', () => {
  const { frame, treat, covariates } = loadLalonde();
  const dm = buildDesignMatrix(frame, { covariates });
  const fit = fitLogistic(dm.matrix, treat, { columnNames: dm.columnNames });

  it('reproduces MatchIt 4.7.2 distances on lalonde (probability and logit) to 1e-10', () => {
    const prob = fixture('m1_distance.csv');
    const logit = fixture('m2_distance.csv');
    expect(prob.length).toBe(614);
    let worstProb = 0;
    let worstLogit = 0;
    for (let i = 0; i < 614; i++) {
      worstProb = Math.max(worstProb, Math.abs(fit.fitted[i]! - prob[i]!) / Math.abs(prob[i]!));
      worstLogit = Math.max(worstLogit, Math.abs(fit.linearPredictor[i]! - logit[i]!) / Math.max(1, Math.abs(logit[i]!)));
    }
    expect(worstProb).toBeLessThan(1e-10);
    expect(worstLogit).toBeLessThan(1e-10);
    expect(fit.converged).toBe(true);
    expect(fit.warnings).toEqual([]);
    expect(fit.rank).toBe(9);
  });

  it('has a covariance that matches the inverse information at the MLE', () => {
    // Independent check: (XᵀWX)⁻¹ at the fitted μ, inverted by Gauss–Jordan. Like summary.glm,
    // the fit uses the weights of its last IRLS step (one step before the final μ), so the
    // agreement is to the size of that last step, not to machine precision.
    const p = dm.matrix.cols;
    const a = new Float64Array(p * p);
    for (let i = 0; i < 614; i++) {
      const w = fit.fitted[i]! * (1 - fit.fitted[i]!);
      for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) a[j * p + k]! += w * dm.matrix.data[i * p + j]! * dm.matrix.data[i * p + k]!;
    }
    const inv = gaussJordanInverse(a, p);
    for (let j = 0; j < p; j++) expect(Math.abs(fit.covariance[j * p + j]! - inv[j * p + j]!) / inv[j * p + j]!).toBeLessThan(1e-3);
  });

  it('recovers known coefficients in a large simulation, with prior weights equal to replication', () => {
    const rng = createRng(11);
    const n = 20000;
    const data = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.next() < 0.3 ? 1 : 0;
      data.set([1, a, b], i * 3);
      y[i] = rng.next() < 1 / (1 + Math.exp(-(-0.5 + 0.8 * a - 1.2 * b))) ? 1 : 0;
    }
    const sim = fitLogistic({ data, rows: n, cols: 3 }, y);
    [-0.5, 0.8, -1.2].forEach((truth, j) => expect(Math.abs(sim.coefficients[j]! - truth)).toBeLessThan(4 * sim.standardErrors[j]!));
    // Weight 2 on each row = each row twice.
    const doubled = fitLogistic({ data: new Float64Array([...data, ...data]), rows: 2 * n, cols: 3 }, new Float64Array([...y, ...y]));
    const weighted = fitLogistic({ data, rows: n, cols: 3 }, y, { weights: new Float64Array(n).fill(2) });
    for (let j = 0; j < 3; j++) expect(Math.abs(weighted.coefficients[j]! - doubled.coefficients[j]!)).toBeLessThan(1e-10);
  });

  it('reports separation with the covariate involved, and a ridge keeps the fit finite', () => {
    const n = 200;
    const rng = createRng(5);
    const data = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const sep = rng.normal();
      data.set([1, rng.normal(), sep], i * 3);
      y[i] = sep > 0 ? 1 : 0;
    }
    const sepFit = fitLogistic({ data, rows: n, cols: 3 }, y, { columnNames: ['(Intercept)', 'noise', 'gpa'] });
    const codes = sepFit.warnings.map((w) => w.code);
    expect(codes).toContain('fitted-zero-one');
    const separation = sepFit.warnings.find((w) => w.code === 'separation')!;
    expect(separation.columns).toContain('gpa');
    expect(separation.columns).not.toContain('noise');
    const ridgeFit = fitLogistic({ data, rows: n, cols: 3 }, y, { ridge: 1 });
    expect(ridgeFit.converged).toBe(true);
    expect(Number.isFinite(ridgeFit.coefficients[2]!)).toBe(true);
    expect(ridgeFit.warnings.map((w) => w.code)).not.toContain('separation');
  });

  it('flags an aliased dummy as NaN (R: NA) and fits the rest as without it', () => {
    const p = dm.matrix.cols;
    const n = 614;
    const data = new Float64Array(n * (p + 1));
    for (let i = 0; i < n; i++) {
      data.set(dm.matrix.data.subarray(i * p, i * p + p), i * (p + 1));
      data[i * (p + 1) + p] = 1 - dm.matrix.data[i * p + 3]! - dm.matrix.data[i * p + 4]!; // raceblack
    }
    const names = [...dm.columnNames, 'raceblack'];
    const aliasedFit = fitLogistic({ data, rows: n, cols: p + 1 }, treat, { columnNames: names });
    expect(aliasedFit.coefficients[p]).toBeNaN();
    expect(aliasedFit.warnings[0]).toMatchObject({ code: 'aliased', columns: ['raceblack'] });
    for (let j = 0; j < p; j++) expect(Math.abs(aliasedFit.coefficients[j]! - fit.coefficients[j]!)).toBeLessThan(1e-8 * Math.max(1, Math.abs(fit.coefficients[j]!)));
  });

  it('rejects a non-binary treatment and missing covariates with the row named', () => {
    const bad = Float64Array.from(treat);
    bad[4] = 2;
    expect(() => fitLogistic(dm.matrix, bad)).toThrow(/row 5/);
    const data = Float64Array.from(dm.matrix.data);
    data[3 * 9 + 7] = Number.NaN;
    expect(() => fitLogistic({ ...dm.matrix, data }, treat, { columnNames: dm.columnNames })).toThrow(/"re74" is missing .* row 4/);
  });
});

function gaussJordanInverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[piv * n + c]!)) piv = r;
    for (let k = 0; k < n; k++) {
      [m[c * n + k], m[piv * n + k]] = [m[piv * n + k]!, m[c * n + k]!];
      [inv[c * n + k], inv[piv * n + k]] = [inv[piv * n + k]!, inv[c * n + k]!];
    }
    const d = m[c * n + c]!;
    for (let k = 0; k < n; k++) {
      m[c * n + k]! /= d;
      inv[c * n + k]! /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      for (let k = 0; k < n; k++) {
        m[r * n + k]! -= f * m[c * n + k]!;
        inv[r * n + k]! -= f * inv[c * n + k]!;
      }
    }
  }
  return inv;
}
