import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import type { Matrix } from '../types';
import { normDraw, normEstimate } from './norm-draw';
import { augmentationRows } from './augment';
import { donorSets, drawDonors, sortPredictions } from './pmm-match';
import { fitMultinomial } from './multinomial';
import { gelmanRubin } from './convergence';
import { maxRelDiff, naiveOls } from './test-helpers';

function randomDesign(n: number, q: number, seed: number): { x: Matrix; y: Float64Array } {
  const rng = createRng(seed);
  const data = new Float64Array(n * q);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    data[i * q] = 1;
    for (let j = 1; j < q; j++) data[i * q + j] = rng.normal() * (j * 10) + j;
    y[i] = 3 + 0.5 * data[i * q + 1]! - 0.2 * data[i * q + (q - 1)]! + rng.normal() * 4;
  }
  return { x: { data, rows: n, cols: q }, y };
}

describe('norm model (.norm.draw / estimice)', () => {
  it('β̂ and V equal OLS on the observed rows', () => {
    const { x, y } = randomDesign(200, 5, 1);
    const est = normEstimate(x, y);
    const oracle = naiveOls(x, y);
    expect(maxRelDiff(est.coef, oracle.coef)).toBeLessThan(1e-10);
    expect(maxRelDiff(est.v, oracle.v)).toBeLessThan(1e-10);
    expect(est.df).toBe(195);
    expect(est.ridgeUsed).toBe(false);
    let rss = 0;
    for (let i = 0; i < 200; i++) {
      let f = 0;
      for (let j = 0; j < 5; j++) f += x.data[i * 5 + j]! * oracle.coef[j]!;
      rss += (y[i]! - f) ** 2;
    }
    expect(Math.abs(est.rss - rss) / rss).toBeLessThan(1e-10);
  });

  it('gives aliased columns β = 0 and V over the kept columns (rank.adjust)', () => {
    const { x, y } = randomDesign(100, 4, 2);
    const q = 5;
    const data = new Float64Array(100 * q);
    for (let i = 0; i < 100; i++) {
      for (let j = 0; j < 4; j++) data[i * q + j] = x.data[i * 4 + j]!;
      data[i * q + 4] = 2 * x.data[i * 4 + 1]! - x.data[i * 4 + 2]!; // exact linear combination
    }
    const draw = normDraw({ data, rows: 100, cols: q }, y, createRng(3));
    expect(Array.from(draw.kept)).toEqual([0, 1, 2, 3]);
    expect(draw.coef[4]).toBe(0);
    expect(draw.beta[4]).toBe(0);
    const oracle = naiveOls(x, y);
    expect(maxRelDiff(draw.coef.subarray(0, 4), oracle.coef)).toBeLessThan(1e-9);
    expect(maxRelDiff(draw.v, oracle.v)).toBeLessThan(1e-9);
  });

  it('draws σ̇² with mean rss/(df−2) and β̇ with covariance E[σ̇²]·V', () => {
    const { x, y } = randomDesign(30, 3, 4);
    const est = normEstimate(x, y);
    const rng = createRng(5);
    const R = 20000;
    let s2 = 0;
    const d = [0, 0, 0];
    let d11 = 0;
    for (let r = 0; r < R; r++) {
      const draw = normDraw(x, y, rng);
      s2 += draw.sigma ** 2;
      for (let j = 0; j < 3; j++) d[j]! += draw.beta[j]! - est.coef[j]!;
      d11 += (draw.beta[1]! - est.coef[1]!) ** 2;
    }
    const expectedS2 = est.rss / (est.df - 2);
    // σ̇² = rss/χ²_27: sd of the mean over R draws ≈ expected·sqrt(2/(df−4))/sqrt(R) ≈ 0.2%.
    expect(Math.abs(s2 / R / expectedS2 - 1)).toBeLessThan(0.015);
    const expectedVar = expectedS2 * est.v[4]!;
    expect(Math.abs(d11 / R / expectedVar - 1)).toBeLessThan(0.05);
    expect(Math.abs(d[1]! / R) / Math.sqrt(expectedVar / R)).toBeLessThan(4);
  });
});

describe('augmentation (White, Daniel & Royston 2010)', () => {
  it('builds 2·p·k rows at mean ± 0.5·SD, clamped, weight (p+1)/(2pk)', () => {
    // Intercept + x1 = 0..4 (mean 2, SD √2.5) + x2 = (0,0,0,0,12) (mean 2.4, SD √28.8).
    const x1 = [0, 1, 2, 3, 4];
    const x2 = [0, 0, 0, 0, 12];
    const data = new Float64Array(15);
    for (let i = 0; i < 5; i++) {
      data[i * 3] = 1;
      data[i * 3 + 1] = x1[i]!;
      data[i * 3 + 2] = x2[i]!;
    }
    const aug = augmentationRows({ data, rows: 5, cols: 3 }, 2, { intercept: true });
    const h1 = 0.5 * Math.sqrt(2.5);
    const h2 = 0.5 * Math.sqrt(28.8);
    const expected = [
      [1, 2 + h1, 2.4], [1, 2 - h1, 2.4], [1, 2 + h1, 2.4], [1, 2 - h1, 2.4],
      [1, 2, 2.4 + h2], [1, 2, 0], [1, 2, 2.4 + h2], [1, 2, 0], // 2.4 − h2 < 0 = min → clamped
    ];
    expect(aug.x.rows).toBe(8);
    expect(aug.weight).toBeCloseTo(3 / 8, 15);
    expect(Array.from(aug.category)).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    for (let r = 0; r < 8; r++) for (let c = 0; c < 3; c++) expect(aug.x.data[r * 3 + c]).toBeCloseTo(expected[r]![c]!, 12);
  });

  it('clamps at the maximum too and handles three categories', () => {
    const data = Float64Array.from([0, 0, 0, 1]); // one predictor, no intercept: mean .25, SD .5
    const aug = augmentationRows({ data, rows: 4, cols: 1 }, 3);
    expect(aug.x.rows).toBe(6);
    expect(aug.weight).toBeCloseTo(2 / 6, 15);
    expect(Array.from(aug.x.data)).toEqual([0.5, 0, 0.5, 0, 0.5, 0]);
    expect(Array.from(aug.category)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('PMM donor search', () => {
  it('equals a brute-force search of the k nearest', () => {
    const rng = createRng(7);
    const obs = Float64Array.from({ length: 500 }, () => rng.normal() * 3);
    const mis = Float64Array.from({ length: 150 }, () => rng.normal() * 4); // some beyond the range
    const sorted = sortPredictions(obs, rng);
    const sets = donorSets(sorted, mis, 5);
    for (let i = 0; i < mis.length; i++) {
      const brute = Array.from(obs.keys()).sort((a, b) => Math.abs(obs[a]! - mis[i]!) - Math.abs(obs[b]! - mis[i]!)).slice(0, 5);
      expect(Array.from(sets.subarray(i * 5, i * 5 + 5)).sort((a, b) => a - b)).toEqual(brute.sort((a, b) => a - b));
    }
  });

  it('draws each of the k donors with probability 1/k', () => {
    const rng = createRng(8);
    const obs = Float64Array.from({ length: 50 }, (_, i) => i);
    const mis = new Float64Array(20000).fill(20.2); // nearest: 20, 21, 19, 22, 18
    const drawn = drawDonors(sortPredictions(obs, rng), mis, 5, rng);
    const counts = new Map<number, number>();
    for (const d of drawn) counts.set(d, (counts.get(d) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([18, 19, 20, 21, 22]);
    for (const c of counts.values()) expect(Math.abs(c / 20000 - 0.2)).toBeLessThan(0.012); // 4 SD
  });

  it('caps k at the number of observed cases', () => {
    const rng = createRng(9);
    const sets = donorSets(sortPredictions(Float64Array.from([1, 2]), rng), Float64Array.from([0]), 5);
    expect(Array.from(sets).sort()).toEqual([0, 1]);
  });
});

describe('multinomial Newton fitter', () => {
  it('reproduces the saturated model: group proportions and the delta-method covariance', () => {
    // Two groups (intercept + dummy), three classes with known counts per group.
    const counts = [[30, 50, 20], [10, 10, 80]];
    const rows: number[] = [];
    const y: number[] = [];
    counts.forEach((byClass, g) => byClass.forEach((cnt, c) => { for (let r = 0; r < cnt; r++) { rows.push(1, g); y.push(c); } }));
    const x: Matrix = { data: Float64Array.from(rows), rows: y.length, cols: 2 };
    const fit = fitMultinomial(x, Int32Array.from(y), 3);
    expect(fit.converged).toBe(true);
    // Class c logit in group 0 = log(n0c/n00); group effect = log(n1c/n10) − log(n0c/n00).
    for (let c = 1; c < 3; c++) {
      const a0 = Math.log(counts[0]![c]! / counts[0]![0]!);
      const a1 = Math.log(counts[1]![c]! / counts[1]![0]!);
      expect(fit.coef[(c - 1) * 2]).toBeCloseTo(a0, 8);
      expect(fit.coef[(c - 1) * 2 + 1]).toBeCloseTo(a1 - a0, 8);
    }
    // Var(log(n0c/n00)) = 1/n0c + 1/n00 (multinomial delta method); Cov across classes = 1/n00.
    // The covariance comes from the last Newton step (glm.fit's cov.unscaled), hence 1e-6.
    const rel = (got: number, want: number): number => Math.abs(got / want - 1);
    expect(rel(fit.cov[0]!, 1 / 50 + 1 / 30)).toBeLessThan(1e-6);
    expect(rel(fit.cov[0 * 4 + 2]!, 1 / 30)).toBeLessThan(1e-6);
    expect(rel(fit.cov[2 * 4 + 2]!, 1 / 20 + 1 / 30)).toBeLessThan(1e-6);
  });

  it('respects prior weights like replicated rows', () => {
    const x: Matrix = { data: Float64Array.from([1, 0, 1, 1, 1, 2, 1, 3]), rows: 4, cols: 2 };
    const y = Int32Array.from([0, 1, 0, 1]);
    const weighted = fitMultinomial(x, y, 2, Float64Array.from([2, 1, 1, 3]));
    const repData = [1, 0, 1, 0, 1, 1, 1, 2, 1, 3, 1, 3, 1, 3];
    const replicated = fitMultinomial({ data: Float64Array.from(repData), rows: 7, cols: 2 }, Int32Array.from([0, 0, 1, 0, 1, 1, 1]), 2);
    expect(maxRelDiff(weighted.coef, replicated.coef)).toBeLessThan(1e-9);
    expect(maxRelDiff(weighted.cov, replicated.cov)).toBeLessThan(1e-9);
  });
});

describe('Gelman–Rubin R̂', () => {
  it('matches the hand computation', () => {
    // means 1.5, 3.5; B = 2·((1)²+(1)²)/1 = 4; W = 0.5; var⁺ = 0.25 + 2 = 2.25 → √4.5
    expect(gelmanRubin([Float64Array.from([1, 2]), Float64Array.from([3, 4])])).toBeCloseTo(Math.sqrt(4.5), 12);
    expect(gelmanRubin([Float64Array.from([1, 1]), Float64Array.from([1, 1])])).toBe(1);
  });
});
