import { describe, it, expect } from 'vitest';
import { readReferenceCsv, num } from '../testing/reference';
import type { Matrix } from '../types';
import { differenceInMeans } from './difference-in-means';
import { inverseProbabilityWeighting } from './ipw';
import { augmentedIpw } from './aipw';
import { createRng } from '../random/rng';

const lalonde = readReferenceCsv('lalonde', 'lalonde.csv');
const n = lalonde.length;
const y = Float64Array.from(lalonde, (r) => num(r.re78));
const treat = Uint8Array.from(lalonde, (r) => num(r.treat));
// PS design [1, age, educ, hispan, white, married, nodegree, re74/1000, re75/1000].
const q = 9;
const X: Matrix = (() => {
  const data = new Float64Array(n * q);
  lalonde.forEach((r, i) => {
    [1, num(r.age), num(r.educ), r.race === 'hispan' ? 1 : 0, r.race === 'white' ? 1 : 0, num(r.married), num(r.nodegree), num(r.re74) / 1000, num(r.re75) / 1000].forEach((v, j) => (data[i * q + j] = v));
  });
  return { data, rows: n, cols: q };
})();
const Z: Matrix = (() => {
  const data = new Float64Array(n * (q - 1));
  for (let i = 0; i < n; i++) for (let j = 1; j < q; j++) data[i * (q - 1) + j - 1] = X.data[i * q + j]!;
  return { data, rows: n, cols: q - 1 };
})();

// ---- test-local helpers (independent of the engine's linalg) ----
function solve(a: number[][], b: number[]): number[] {
  const m = b.length;
  const A = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= m; k++) A[r]![k] = A[r]![k]! - f * A[c]![k]!;
    }
  }
  return A.map((row, i) => row[m]! / row[i]!);
}
const expit = (v: number): number => 1 / (1 + Math.exp(-v));
function logisticMle(): number[] {
  let beta: number[] = new Array<number>(q).fill(0);
  for (let it = 0; it < 50; it++) {
    const g = new Array(q).fill(0);
    const H = Array.from({ length: q }, () => new Array(q).fill(0));
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < q; j++) eta += X.data[i * q + j]! * beta[j]!;
      const p = expit(eta);
      for (let j = 0; j < q; j++) {
        g[j] += (treat[i]! - p) * X.data[i * q + j]!;
        for (let k = 0; k < q; k++) H[j]![k] += p * (1 - p) * X.data[i * q + j]! * X.data[i * q + k]!;
      }
    }
    const step = solve(H, g);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-12) break;
  }
  return beta;
}
const beta = logisticMle();
const ps = Float64Array.from({ length: n }, (_, i) => {
  let eta = 0;
  for (let j = 0; j < q; j++) eta += X.data[i * q + j]! * beta[j]!;
  return expit(eta);
});

/** Stacked M-estimator sandwich by finite differences: θ = (β, μ1, μ0), Var(μ1 − μ0). */
function numericStackedVariance(estimand: 'ATE' | 'ATT', mu1: number, mu0: number): number {
  const d = q + 2;
  const psi = (theta: number[], i: number): number[] => {
    let eta = 0;
    for (let j = 0; j < q; j++) eta += X.data[i * q + j]! * theta[j]!;
    const e = expit(eta);
    const t = treat[i]!;
    const w = estimand === 'ATE' ? (t === 1 ? 1 / e : 1 / (1 - e)) : t === 1 ? 1 : e / (1 - e);
    const out = new Array(d).fill(0);
    for (let j = 0; j < q; j++) out[j] = (t - e) * X.data[i * q + j]!;
    out[q] = t * w * (y[i]! - theta[q]!);
    out[q + 1] = (1 - t) * w * (y[i]! - theta[q + 1]!);
    return out;
  };
  const theta = [...beta, mu1, mu0];
  const A = Array.from({ length: d }, () => new Array(d).fill(0));
  const Bm = Array.from({ length: d }, () => new Array(d).fill(0));
  for (let k = 0; k < d; k++) {
    const h = 1e-6 * Math.max(1, Math.abs(theta[k]!));
    const up = theta.slice();
    const dn = theta.slice();
    up[k] = up[k]! + h;
    dn[k] = dn[k]! - h;
    for (let i = 0; i < n; i++) {
      const a = psi(up, i);
      const b = psi(dn, i);
      for (let r = 0; r < d; r++) A[r]![k] -= (a[r]! - b[r]!) / (2 * h) / n;
    }
  }
  for (let i = 0; i < n; i++) {
    const s = psi(theta, i);
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) Bm[r]![c] += (s[r]! * s[c]!) / n;
  }
  // Var(θ̂) = A⁻¹ B A⁻ᵀ / n; contrast c = e_{μ1} − e_{μ0}: solve Aᵀ u = c, Var = uᵀ B u / n.
  const At = A[0]!.map((_, c) => A.map((row) => row[c]!));
  const cvec = new Array(d).fill(0);
  cvec[q] = 1;
  cvec[q + 1] = -1;
  const u = solve(At, cvec);
  let v = 0;
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) v += u[r]! * Bm[r]![c]! * u[c]!;
  return v / n;
}

describe('IPW (Hajek)', () => {
  for (const estimand of ['ATE', 'ATT'] as const) {
    it(`${estimand}: estimate = weighted difference in means, fixed-score SE = HC0 sandwich of lm(y ~ treat, w)`, () => {
      const res = inverseProbabilityWeighting(y, treat, ps, { estimand });
      const lm = differenceInMeans(y, treat, { weights: res.weights, vcov: 'HC0' });
      expect(Math.abs(res.estimate - lm.estimate) / Math.abs(lm.estimate)).toBeLessThan(1e-10);
      expect(Math.abs(res.seFixedScores - lm.se) / lm.se).toBeLessThan(1e-10);
      expect(res.seType).toContain('fixed');
    });

    it(`${estimand}: PS-adjusted SE equals a finite-difference stacked M-estimation sandwich`, () => {
      const res = inverseProbabilityWeighting(y, treat, ps, { estimand, psDesign: X });
      let s1 = 0, w1 = 0, s0 = 0, w0 = 0;
      for (let i = 0; i < n; i++) {
        const w = res.weights[i]!;
        if (treat[i] === 1) { s1 += w * y[i]!; w1 += w; } else { s0 += w * y[i]!; w0 += w; }
      }
      const v = numericStackedVariance(estimand, s1 / w1, s0 / w0);
      expect(Math.abs(res.sePsAdjusted! / Math.sqrt(v) - 1)).toBeLessThan(1e-5);
      expect(res.se).toBe(res.sePsAdjusted);
      expect(res.sePsAdjusted).not.toBeCloseTo(res.seFixedScores, 0);
    });
  }

  it('ATT weights: treated 1, controls e/(1−e); stabilisation leaves the estimate and SE unchanged', () => {
    const a = inverseProbabilityWeighting(y, treat, ps, { estimand: 'ATT' });
    const b = inverseProbabilityWeighting(y, treat, ps, { estimand: 'ATT', stabilize: true });
    expect(a.weights[0]).toBe(1);
    const c = treat.indexOf(0);
    expect(a.weights[c]).toBeCloseTo(ps[c]! / (1 - ps[c]!), 14);
    expect(b.estimate).toBeCloseTo(a.estimate, 8);
    expect(b.se).toBeCloseTo(a.se, 8);
    expect(b.weights[0]).toBeCloseTo(185 / 614, 14);
  });

  it('trimming drops units outside [a, b]; truncation clips scores', () => {
    const trimmed = inverseProbabilityWeighting(y, treat, ps, { trim: [0.05, 0.95] });
    const expected = Array.from(ps).filter((p) => p < 0.05 || p > 0.95).length;
    expect(trimmed.nTrimmed).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    const truncated = inverseProbabilityWeighting(y, treat, ps, { truncate: [0.05, 0.95] });
    expect(truncated.nTrimmed).toBe(0);
    const maxW = Math.max(...Array.from(truncated.weights));
    expect(maxW).toBeLessThanOrEqual(1 / 0.05 + 1e-9);
    expect(() => inverseProbabilityWeighting(y, treat, Float64Array.from(ps, (p, i) => (i === 2 ? 1 : p)))).toThrow(/row 3/);
  });
});

describe('AIPW', () => {
  it('is exact when the outcome model is correct and noise-free, whatever the PS (double robustness)', () => {
    const yy = Float64Array.from({ length: n }, (_, i) => 2 * treat[i]! + 0.3 * Z.data[i * 8]! - 1.5 * Z.data[i * 8 + 2]! + 0.8 * Z.data[i * 8 + 6]!);
    const rng = createRng(4);
    const badPs = Float64Array.from(ps, (p) => Math.min(0.95, Math.max(0.05, p * (0.5 + rng.next()))));
    for (const estimand of ['ATE', 'ATT'] as const) {
      const res = augmentedIpw(yy, treat, badPs, Z, { estimand });
      expect(res.estimate).toBeCloseTo(2, 8);
    }
  });

  it('is exact when the PS is right and the outcome model wrong, in expectation (simulation, known truth)', () => {
    // Randomised design with known e = 0.3: AIPW with a useless outcome model is unbiased.
    const rng = createRng(17);
    const m = 4000;
    const R = 40;
    let sum = 0;
    for (let r = 0; r < R; r++) {
      const x = Float64Array.from({ length: m }, () => rng.normal());
      const t = Uint8Array.from({ length: m }, () => (rng.next() < 0.3 ? 1 : 0));
      const yy = Float64Array.from({ length: m }, (_, i) => 1 + 2 * t[i]! + x[i]! ** 2 + rng.normal());
      const res = augmentedIpw(yy, t, new Float64Array(m).fill(0.3), { data: x, rows: m, cols: 1 }, { estimand: 'ATE' });
      sum += res.estimate;
    }
    expect(Math.abs(sum / R - 2)).toBeLessThan(0.05);
  });

  it('ATT influence-function SE is close to the IPW fixed-score SE when the outcome model has no covariates', () => {
    const empty: Matrix = { data: new Float64Array(0), rows: n, cols: 0 };
    const aipw = augmentedIpw(y, treat, ps, empty, { estimand: 'ATT' });
    const ipw = inverseProbabilityWeighting(y, treat, ps, { estimand: 'ATT' });
    // With an intercept-only control model the normalised ATT AIPW reduces to Hajek IPW exactly.
    expect(aipw.estimate).toBeCloseTo(ipw.estimate, 6);
    expect(aipw.se).toBeCloseTo(ipw.seFixedScores, 6);
  });
});
