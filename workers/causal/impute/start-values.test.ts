import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import type { Matrix } from '../types';
import { fitMultinomial, IMPUTATION_DECREMENT } from './multinomial';
import { linearProbabilityModel, linearProbabilityStart } from './start-values';
import { invertSpd } from '../linalg';
import { naiveXtX } from './test-helpers';

/** n rows of [1, x1, x2] and classes drawn from a multinomial logit with the given coefficients. */
function simulate(n: number, coef: readonly number[][], seed: number): { x: Matrix; y: Int32Array } {
  const rng = createRng(seed);
  const q = 3;
  const data = new Float64Array(n * q);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    data[i * q] = 1;
    data[i * q + 1] = rng.normal();
    data[i * q + 2] = rng.normal() * 2 + 1;
    const e = [1, ...coef.map((b) => Math.exp(b[0]! + b[1]! * data[i * q + 1]! + b[2]! * data[i * q + 2]!))];
    let u = rng.next() * e.reduce((s, v) => s + v, 0);
    let c = 0;
    while (u > e[c]! && c < e.length - 1) u -= e[c++]!;
    y[i] = c;
  }
  return { x: { data, rows: n, cols: q }, y };
}

function startFor(x: Matrix, y: Int32Array, K: number): Float64Array | undefined {
  const q = x.cols;
  const xtClass = Array.from({ length: K }, () => new Float64Array(q));
  for (let i = 0; i < x.rows; i++) for (let a = 0; a < q; a++) xtClass[y[i]!]![a] = xtClass[y[i]!]![a]! + x.data[i * q + a]!;
  return linearProbabilityStart(naiveXtX(x), xtClass, q, x.rows);
}

describe('linear-probability starting values', () => {
  // Weak effects: the approximation is exact to first order, so the slopes are close; strong
  // effects: it shrinks them, and only the fit from it must still reach the MLE.
  const cases: [string, number[][], number][] = [
    ['K = 2, weak', [[-0.5, 0.3, -0.1]], 0.15],
    ['K = 4, weak', [[0.3, 0.2, -0.1], [-0.2, -0.1, 0.1], [0.1, 0.15, 0.05]], 0.15],
    ['K = 2, strong', [[-0.5, 1.2, -0.4]], Infinity],
    ['K = 3, strong', [[0.3, 0.8, -0.2], [-1, -0.5, 0.6]], Infinity],
  ];
  for (const [label, coef, tolerance] of cases) {
    const K = coef.length + 1;
    it(`starts near the MLE and the fit from there reaches it (${label})`, () => {
      const { x, y } = simulate(20000, coef, 7 + K);
      const start = startFor(x, y, K)!;
      expect(start).toBeDefined();
      const exact = fitMultinomial(x, y, K);
      const warm = fitMultinomial(x, y, K, undefined, { decrement: IMPUTATION_DECREMENT, start });
      expect(warm.converged).toBe(true);
      for (let j = 0; j < exact.coef.length; j++) {
        const se = Math.sqrt(exact.cov[j * exact.coef.length + j]!);
        expect(Math.abs(warm.coef[j]! - exact.coef[j]!) / se).toBeLessThan(0.01);
        if (j % x.cols !== 0 && Number.isFinite(tolerance)) expect(Math.abs(start[j]! / exact.coef[j]! - 1)).toBeLessThan(tolerance);
      }
    });
  }

  it('approximates the information by (diag(p̄) − p̄p̄ᵀ) ⊗ XᵀX; the fit from it reaches the MLE', () => {
    const coef = [[0.3, 0.2, -0.1], [-0.2, -0.1, 0.1], [0.1, 0.15, 0.05]];
    const { x, y } = simulate(20000, coef, 21);
    const q = x.cols;
    const xtClass = Array.from({ length: 4 }, () => new Float64Array(q));
    for (let i = 0; i < x.rows; i++) for (let a = 0; a < q; a++) xtClass[y[i]!]![a] = xtClass[y[i]!]![a]! + x.data[i * q + a]!;
    const model = linearProbabilityModel(naiveXtX(x), xtClass, q, x.rows)!;
    const factor = model.informationFactor!;
    const d = 3 * q;
    const exact = fitMultinomial(x, y, 4);
    const information = invertSpd(exact.cov, d);
    // ‖LLᵀ − H‖ / ‖H‖ (Frobenius): weak effects keep every π_i near the class shares.
    let diff = 0;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      for (let l = 0; l < d; l++) {
        let approx = 0;
        for (let m = 0; m <= Math.min(j, l); m++) approx += factor[j * d + m]! * factor[l * d + m]!;
        diff += (approx - information[j * d + l]!) ** 2;
        norm += information[j * d + l]! ** 2;
      }
    }
    // (0.14 here; leaving out the −p̄p̄ᵀ term makes it 0.58.)
    expect(Math.sqrt(diff / norm)).toBeLessThan(0.2);
    const fit = fitMultinomial(x, y, 4, undefined, { decrement: IMPUTATION_DECREMENT, start: model.start, startFactor: factor });
    for (let j = 0; j < d; j++) expect(Math.abs(fit.coef[j]! - exact.coef[j]!) / Math.sqrt(exact.cov[j * d + j]!)).toBeLessThan(0.01);
    expect(Math.abs(fit.cov[0]! / exact.cov[0]! - 1)).toBeLessThan(0.02);
  });

  it('gives no start for an empty class or a singular design', () => {
    const x: Matrix = { data: Float64Array.from([1, 0, 1, 1, 1, 2]), rows: 3, cols: 2 };
    expect(startFor(x, Int32Array.from([0, 0, 0]), 2)).toBeUndefined();
    const singular: Matrix = { data: Float64Array.from([1, 2, 1, 2, 1, 2]), rows: 3, cols: 2 };
    expect(startFor(singular, Int32Array.from([0, 1, 0]), 2)).toBeUndefined();
  });
});
