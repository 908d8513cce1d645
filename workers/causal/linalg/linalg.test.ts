import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import type { Matrix } from '../types';
import { cholesky, choleskySolve, crossprod, crossprodRange, crossprodVec, invertSpd, matVec, symmetrizeUpper, weightedLeastSquares } from './index';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { data, rows, cols };
}

function naiveCrossprod(x: Matrix, w?: Float64Array): Float64Array {
  const p = x.cols;
  const out = new Float64Array(p * p);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) out[j * p + k]! += (w?.[i] ?? 1) * x.data[i * p + j]! * x.data[i * p + k]!;
  }
  return out;
}

const maxAbsDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('crossprod', () => {
  it('equals the naive XᵀWX, and row ranges add up', () => {
    const x = randomMatrix(103, 7, 1);
    const w = Float64Array.from({ length: 103 }, (_, i) => 0.5 + (i % 5));
    expect(maxAbsDiff(crossprod(x, w), naiveCrossprod(x, w))).toBeLessThan(1e-11);
    expect(maxAbsDiff(crossprod(x), naiveCrossprod(x))).toBeLessThan(1e-11);
    const parts = new Float64Array(49);
    crossprodRange(x, w, 0, 50, parts);
    crossprodRange(x, w, 50, 103, parts);
    symmetrizeUpper(parts, 7);
    expect(maxAbsDiff(parts, naiveCrossprod(x, w))).toBeLessThan(1e-11);
  });

  it('handles every column count at the edges of the 3×4 tiles, and more rows than one block', () => {
    for (let p = 1; p <= 13; p++) {
      const x = randomMatrix(1100, p, 100 + p);
      const w = Float64Array.from({ length: 1100 }, (_, i) => 0.25 + (i % 3));
      expect(maxAbsDiff(crossprod(x, w), naiveCrossprod(x, w))).toBeLessThan(1e-9);
    }
  });
  it('crossprodVec and matVec', () => {
    const x: Matrix = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 };
    expect(Array.from(matVec(x, Float64Array.from([1, -1])))).toEqual([-1, -1, -1]);
    expect(Array.from(crossprodVec(x, Float64Array.from([1, 1, 1])))).toEqual([9, 12]);
    expect(Array.from(crossprodVec(x, Float64Array.from([1, 1, 1]), Float64Array.from([2, 0, 1])))).toEqual([7, 10]);
  });
});

describe('cholesky', () => {
  it('factorises, solves and inverts a known SPD matrix', () => {
    // A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,4]]
    const a = Float64Array.from([4, 2, -2, 2, 10, 5, -2, 5, 21]);
    const l = cholesky(a, 3)!;
    expect(maxAbsDiff(l, Float64Array.from([2, 0, 0, 1, 3, 0, -1, 2, 4]))).toBeLessThan(1e-15);
    const x = choleskySolve(l, 3, Float64Array.from([4, 17, 45]));
    // A·[1,1,2] = [4+2-4, 2+10+10, -2+5+42] = [2, 22, 45]; solve for b = A·[1,2,1]
    const b = Float64Array.from([4 + 4 - 2, 2 + 20 + 5, -2 + 10 + 21]);
    expect(maxAbsDiff(choleskySolve(l, 3, b), Float64Array.from([1, 2, 1]))).toBeLessThan(1e-14);
    expect(x.length).toBe(3);
    const inv = invertSpd(a, 3);
    const prod = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) prod[i * 3 + j]! += a[i * 3 + k]! * inv[k * 3 + j]!;
    expect(maxAbsDiff(prod, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]))).toBeLessThan(1e-14);
  });
  it('returns null / throws when not positive definite', () => {
    const a = Float64Array.from([1, 2, 2, 1]);
    expect(cholesky(a, 2)).toBeNull();
    expect(() => invertSpd(a, 2)).toThrow(/positive definite/);
  });
});

describe('weightedLeastSquares (R lm.wfit)', () => {
  const speed = [4, 4, 7, 7, 8, 9, 10, 10, 10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 16, 16, 17, 17, 17, 18, 18, 18, 18, 19, 19, 19, 20, 20, 20, 20, 20, 22, 23, 24, 24, 24, 24, 25];
  const dist = [2, 10, 4, 22, 16, 10, 18, 26, 34, 17, 28, 14, 20, 24, 28, 26, 34, 34, 46, 26, 36, 60, 80, 20, 26, 54, 32, 40, 32, 40, 50, 42, 56, 76, 84, 36, 46, 68, 32, 48, 52, 56, 64, 66, 54, 70, 92, 93, 120, 85];
  it('reproduces lm(dist ~ speed, cars)', () => {
    const n = speed.length;
    const x: Matrix = { data: Float64Array.from(speed.flatMap((s) => [1, s])), rows: n, cols: 2 };
    const fit = weightedLeastSquares(x, Float64Array.from(dist));
    // R: coef −17.579094890510948, 3.932408759124088; σ² from the closed form Syy − β̂·Sxy.
    const mx = speed.reduce((a, b) => a + b) / n;
    const my = dist.reduce((a, b) => a + b) / n;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += (speed[i]! - mx) * (dist[i]! - my);
      sxx += (speed[i]! - mx) ** 2;
      syy += (dist[i]! - my) ** 2;
    }
    const slope = sxy / sxx;
    expect(Math.abs(fit.coef[1]! - 3.932408759124088) / 3.932408759124088).toBeLessThan(1e-13);
    expect(Math.abs(fit.coef[0]! + 17.579094890510948) / 17.579094890510948).toBeLessThan(1e-13);
    expect(Math.abs(fit.coef[1]! - slope)).toBeLessThan(1e-13);
    expect(fit.dfResidual).toBe(48);
    expect(Math.abs(fit.sigma2 - (syy - slope * sxy) / 48) / fit.sigma2).toBeLessThan(1e-12);
    // Var(slope) / σ² = 1 / Sxx
    expect(Math.abs(fit.xtwxInverse[3]! - 1 / sxx) * sxx).toBeLessThan(1e-12);
  });
  it('marks an aliased column NaN like R (the later duplicate), with weights and zero weights', () => {
    const rng = createRng(7);
    const n = 40;
    const data = new Float64Array(n * 4);
    const y = new Float64Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      data.set([1, a, 2 * a, b], i * 4);
      y[i] = 1 + 2 * a - 3 * b;
      w[i] = i < 3 ? 0 : 1 + rng.next();
    }
    y[0] = 1e6; // zero weight: must not influence the fit
    const fit = weightedLeastSquares({ data, rows: n, cols: 4 }, y, w);
    expect(fit.rank).toBe(3);
    expect(Array.from(fit.aliased)).toEqual([0, 0, 1, 0]);
    expect(fit.coef[2]).toBeNaN();
    expect(Math.abs(fit.coef[0]! - 1)).toBeLessThan(1e-12);
    expect(Math.abs(fit.coef[1]! - 2)).toBeLessThan(1e-12);
    expect(Math.abs(fit.coef[3]! + 3)).toBeLessThan(1e-12);
    expect(fit.dfResidual).toBe(n - 3 - 3);
    expect(fit.xtwxInverse[2 * 4 + 2]).toBeNaN();
  });
  it('agrees with the Cholesky normal equations on well-conditioned data', () => {
    const x = randomMatrix(200, 5, 3);
    const rng = createRng(4);
    const y = Float64Array.from({ length: 200 }, () => rng.normal());
    const w = Float64Array.from({ length: 200 }, () => 0.2 + rng.next());
    const fit = weightedLeastSquares(x, y, w);
    const xtwx = crossprod(x, w);
    const beta = choleskySolve(cholesky(xtwx, 5)!, 5, crossprodVec(x, y, w));
    expect(maxAbsDiff(fit.coef, beta)).toBeLessThan(1e-12);
    expect(maxAbsDiff(fit.xtwxInverse, invertSpd(xtwx, 5))).toBeLessThan(1e-12);
  });
});
