import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import { applyBinning, binFeatures, fitBinning } from './binning';
import { crossFitGbm } from './cross-fit';
import { auc } from './diagnostics';
import { predictGbm, trainGbm } from './gbm';
import { fitLogistic } from './logistic';

/** Non-linear DGP with a known propensity: interaction, step, sine, quadratic. */
function simulate(n: number, seed: number, missingShare = 0) {
  const rng = createRng(seed);
  const p = 6;
  const data = new Float64Array(n * p);
  const treat = new Float64Array(n);
  const logit = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) data[o + j] = rng.normal();
    const x = (j: number) => data[o + j]!;
    logit[i] = -0.5 + x(0) - 0.8 * x(1) * x(2) + 1.2 * (x(3) > 0.3 ? 1 : 0) + 0.8 * Math.sin(2 * x(4));
    treat[i] = rng.next() < 1 / (1 + Math.exp(-logit[i]!)) ? 1 : 0;
    for (let j = 0; j < 3; j++) if (rng.next() < missingShare) data[o + j] = Number.NaN;
  }
  return { x: { data, rows: n, cols: p }, treat, logit };
}

describe('binning', () => {
  it('puts NaN in bin 0, gives few distinct values their own bins, caps at 255 value bins', () => {
    const rng = createRng(1);
    const n = 5000;
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[i * 2] = i % 3; // 3 distinct values
      data[i * 2 + 1] = i % 10 === 0 ? Number.NaN : rng.normal();
    }
    const binned = binFeatures({ data, rows: n, cols: 2 }, rng);
    expect(Array.from(binned.binning.cuts[0]!)).toEqual([0.5, 1.5]);
    // Row 0: value 0 → bin 1, NaN → bin 0; rows 1, 2: values 1, 2 → bins 2, 3.
    expect([binned.bins[0], binned.bins[1], binned.bins[2], binned.bins[4]]).toEqual([1, 0, 2, 3]);
    expect(binned.binning.binCounts[1]).toBeLessThanOrEqual(256);
    expect(binned.binning.binCounts[1]).toBeGreaterThan(200);
    for (let i = 0; i < n; i++) expect(binned.bins[i * 2 + 1] === 0).toBe(i % 10 === 0);
    // Monotone: larger value → same or larger bin.
    const b = applyBinning({ data: Float64Array.from([0, -3, 1, 0, 2, 3]), rows: 3, cols: 2 }, fitBinning({ data, rows: n, cols: 2 }, createRng(1)));
    expect(b.bins[1]!).toBeLessThan(b.bins[3]!);
    expect(b.bins[3]!).toBeLessThan(b.bins[5]!);
  });
});

describe('cross-fitted GBM propensity', () => {
  const sim = simulate(4000, 42);
  const binned = binFeatures(sim.x, createRng(7));
  const result = crossFitGbm(binned, sim.treat, createRng(8), { folds: 5 });

  it('reaches an out-of-fold AUC close to the true-propensity AUC', () => {
    const trueAuc = auc(sim.logit, sim.treat);
    const oofAuc = auc(result.rawScore, sim.treat);
    expect(trueAuc - oofAuc).toBeLessThan(0.04);
    expect(oofAuc).toBeGreaterThan(0.7);
    // Close to the truth unit by unit: correlation of logits.
    let sxy = 0, sxx = 0, syy = 0, mx = 0, my = 0;
    const n = sim.logit.length;
    for (let i = 0; i < n; i++) { mx += result.rawScore[i]! / n; my += sim.logit[i]! / n; }
    for (let i = 0; i < n; i++) {
      sxy += (result.rawScore[i]! - mx) * (sim.logit[i]! - my);
      sxx += (result.rawScore[i]! - mx) ** 2;
      syy += (sim.logit[i]! - my) ** 2;
    }
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.85);
    for (const trees of result.treesPerFold) expect(trees).toBeGreaterThan(20);
  });

  it('is calibrated out of fold (slope ≈ 1), while in-sample scores separate the groups beyond the truth', () => {
    const calib = (score: Float64Array) => {
      const data = new Float64Array(score.length * 2);
      score.forEach((s, i) => data.set([1, s], i * 2));
      return fitLogistic({ data, rows: score.length, cols: 2 }, sim.treat).coefficients[1]!;
    };
    const oofSlope = calib(result.rawScore);
    expect(oofSlope).toBeGreaterThan(0.8);
    expect(oofSlope).toBeLessThan(1.3);
    // In-sample: one model on all rows for a fixed, generous number of trees.
    const all = Int32Array.from({ length: 4000 }, (_, i) => i);
    const model = trainGbm(binned, sim.treat, all, new Int32Array(0), createRng(9), { maxTrees: 600 });
    const inSample = predictGbm(model, binned);
    // In-sample scores memorise treatment: AUC above even the true propensity's AUC.
    expect(auc(inSample, sim.treat)).toBeGreaterThan(auc(result.rawScore, sim.treat) + 0.02);
    expect(auc(inSample, sim.treat)).toBeGreaterThan(auc(sim.logit, sim.treat));
  });

  it('is deterministic for a seed', () => {
    const again = crossFitGbm(binned, sim.treat, createRng(8), { folds: 5 });
    expect(Array.from(again.rawScore)).toEqual(Array.from(result.rawScore));
    expect(Array.from(again.treesPerFold)).toEqual(Array.from(result.treesPerFold));
  });

  it('handles missing covariates, and learns from informative missingness', () => {
    const miss = simulate(3000, 43, 0.25);
    const res = crossFitGbm(binFeatures(miss.x, createRng(1)), miss.treat, createRng(2), { folds: 3 });
    expect(res.rawScore.every(Number.isFinite)).toBe(true);
    expect(auc(res.rawScore, miss.treat)).toBeGreaterThan(auc(miss.logit, miss.treat) - 0.08);
    // Only signal: x missing far more often among the treated.
    const rng = createRng(3);
    const n = 3000;
    const data = new Float64Array(n);
    const treat = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      treat[i] = rng.next() < 0.4 ? 1 : 0;
      data[i] = rng.next() < (treat[i] === 1 ? 0.7 : 0.1) ? Number.NaN : rng.normal();
    }
    const r2 = crossFitGbm(binFeatures({ data, rows: n, cols: 1 }, rng), treat, createRng(4), { folds: 3 });
    // Oracle AUC for a binary signal with these rates: 0.5 + (0.7 − 0.1)/2 = 0.8.
    expect(auc(r2.rawScore, treat)).toBeGreaterThan(0.76);
  });
});
