import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import type { Matrix } from '../types';
import { createChainDesign, designColumns, designRows, gramExcept, updateColumn } from './chain-design';
import type { PredictorSource } from './design';
import { buildDesign } from './design';
import { imputePmm, imputePmmChain } from './pmm';
import { fitMultinomial } from './multinomial';
import { maxRelDiff, naiveXtX } from './test-helpers';

function sources(n: number, seed: number): PredictorSource[] {
  const rng = createRng(seed);
  return [
    { kind: 'numeric', values: Float64Array.from({ length: n }, () => rng.normal() * 3 + 1) },
    { kind: 'categorical', codes: Int32Array.from({ length: n }, () => rng.nextInt(3)), nLevels: 3 },
    { kind: 'numeric', values: Float64Array.from({ length: n }, () => rng.normal() + 10) },
    { kind: 'numeric', values: Float64Array.from({ length: n }, () => rng.normal()) },
  ];
}

const rowsWhere = (n: number, keep: (i: number) => boolean): Int32Array => Int32Array.from(Array.from({ length: n }, (_, i) => i).filter(keep));

describe('chain design (maintained design and Gram matrix)', () => {
  it('keeps G = DᵀD through numeric and categorical updates, and G minus a row set', () => {
    const n = 300;
    const src = sources(n, 1);
    const d = createChainDesign(src, n);
    const all: Matrix = { data: d.data, rows: n, cols: d.width };
    expect(maxRelDiff(d.gram, naiveXtX(all))).toBeLessThan(1e-12);
    const rng = createRng(2);
    const changed = rowsWhere(n, (i) => i % 4 === 1);
    const num = src[0] as Extract<PredictorSource, { kind: 'numeric' }>;
    const cat = src[1] as Extract<PredictorSource, { kind: 'categorical' }>;
    for (const i of changed) {
      num.values[i] = rng.normal() * 5;
      cat.codes[i] = rng.nextInt(3);
    }
    updateColumn(d, 0, num, changed);
    updateColumn(d, 1, cat, changed);
    // D itself must equal a fresh build of the same columns.
    expect(Array.from(d.data)).toEqual(Array.from(buildDesign(src, null, n).data));
    expect(maxRelDiff(d.gram, naiveXtX(all))).toBeLessThan(1e-12);
    const kept = rowsWhere(n, (i) => i % 4 !== 1);
    expect(maxRelDiff(gramExcept(d, changed), naiveXtX(designRows(d, Int32Array.from({ length: d.width }, (_, j) => j), kept)))).toBeLessThan(1e-11);
  });

  it('PMM on the chain design draws exactly what PMM on the explicit design draws', () => {
    const n = 400;
    const src = sources(n, 3);
    const d = createChainDesign(src, n);
    const y = 3;
    const missing = rowsWhere(n, (i) => i % 3 === 0);
    const observed = rowsWhere(n, (i) => i % 3 !== 0);
    const predictors = [0, 1, 2];
    const cols = designColumns(d, predictors);
    const yValues = (src[y] as Extract<PredictorSource, { kind: 'numeric' }>).values;
    const chain = imputePmmChain(d, gramExcept(d, missing), cols, d.offset[y]!, yValues, observed, missing, createRng(4));
    const explicit = imputePmm(
      buildDesign(predictors.map((p) => src[p]!), observed, n),
      Float64Array.from(observed, (i) => yValues[i]!),
      buildDesign(predictors.map((p) => src[p]!), missing, n),
      createRng(4),
    );
    expect(maxRelDiff(chain.draw.beta, explicit.draw.beta)).toBeLessThan(1e-9);
    expect(Array.from(chain.values)).toEqual(Array.from(explicit.values));
  });
});

describe('multinomial chord iteration (warm-started imputation fits)', () => {
  it("keeps the previous sweep's information as the covariance only when the chord steps confirm it", () => {
    const simulate = (seed: number): { x: Matrix; y: Int32Array } => {
      const n = 20000;
      const rng = createRng(seed);
      const data = new Float64Array(n * 3);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        data[i * 3] = 1;
        data[i * 3 + 1] = rng.normal();
        data[i * 3 + 2] = rng.normal();
        y[i] = rng.next() < 1 / (1 + Math.exp(-(0.2 + 0.5 * data[i * 3 + 1]! - 0.3 * data[i * 3 + 2]!))) ? 1 : 0;
      }
      return { x: { data, rows: n, cols: 3 }, y };
    };
    // "Previous sweep": the same model on a fresh sample of the same size (sampling noise only).
    const earlier = simulate(11);
    const before = fitMultinomial(earlier.x, earlier.y, 2);
    const now = simulate(12);
    const exact = fitMultinomial(now.x, now.y, 2);
    const warm = { decrement: 1e-4, start: before.coef, startFactorIsPrevious: true };
    const settled = fitMultinomial(now.x, now.y, 2, undefined, { ...warm, startFactor: before.informationFactor });
    expect(settled.informationFactor).toBe(before.informationFactor);
    // A previous H 50% too large contracts the chord error by only 1/3 per step: re-evaluated.
    const inflated = before.informationFactor.map((v) => v * Math.sqrt(1.5));
    const checked = fitMultinomial(now.x, now.y, 2, undefined, { ...warm, startFactor: inflated });
    expect(checked.informationFactor).not.toBe(inflated);
    for (let j = 0; j < 3; j++) {
      const se = Math.sqrt(exact.cov[j * 3 + j]!);
      for (const fit of [settled, checked]) expect(Math.abs(fit.coef[j]! - exact.coef[j]!) / se).toBeLessThan(0.01);
      expect(Math.abs(settled.cov[j * 3 + j]! / exact.cov[j * 3 + j]! - 1)).toBeLessThan(0.05);
      expect(Math.abs(checked.cov[j * 3 + j]! / exact.cov[j * 3 + j]! - 1)).toBeLessThan(0.01);
    }
  });

  it('converges to the full-Newton MLE within 1% of a standard error, from cold and warm starts', () => {
    const n = 2000;
    const q = 3;
    const rng = createRng(5);
    const data = new Float64Array(n * q);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      data[i * q] = 1;
      data[i * q + 1] = rng.normal();
      data[i * q + 2] = rng.normal() * 2;
      const e1 = Math.exp(0.3 + data[i * q + 1]!);
      const e2 = Math.exp(-0.5 + 0.4 * data[i * q + 2]!);
      const u = rng.next() * (1 + e1 + e2);
      y[i] = u < 1 ? 0 : u < 1 + e1 ? 1 : 2;
    }
    const x: Matrix = { data, rows: n, cols: q };
    const full = fitMultinomial(x, y, 3);
    const start = Float64Array.from(full.coef, (v, j) => v + 0.5 * Math.sqrt(full.cov[j * 6 + j]!));
    for (const fit of [fitMultinomial(x, y, 3, undefined, { decrement: 1e-4 }), fitMultinomial(x, y, 3, undefined, { decrement: 1e-4, start })]) {
      expect(fit.converged).toBe(true);
      for (let j = 0; j < 6; j++) {
        const se = Math.sqrt(full.cov[j * 6 + j]!);
        expect(Math.abs(fit.coef[j]! - full.coef[j]!) / se).toBeLessThan(0.01);
        expect(Math.abs(fit.cov[j * 6 + j]! / full.cov[j * 6 + j]! - 1)).toBeLessThan(0.02);
      }
    }
  });
});
