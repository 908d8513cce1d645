/**
 * Imputation of a binary variable by logistic regression (mice `mice.impute.logreg`,
 * Rubin 1987 pp. 169–170, with the augmentation of White, Daniel & Royston 2010):
 *
 *   1. append the 2·p·2 augmentation rows (weight (p+1)/(4p)) to the observed rows;
 *   2. fit the weighted logistic regression (`fitLogistic`, glm.fit's IRLS with prior weights;
 *      its covariance (XᵀWX)⁻¹ at dispersion 1 is quasibinomial's cov.unscaled);
 *   3. draw β* = β̂ + chol(cov.unscaled)ᵀ z;
 *   4. impute y = 1{U ≤ expit(x_mis β*)}, one U per missing case.
 *
 * Columns the fit reports as aliased (NA in R) get β* = 0, like mice's rank handling.
 */
import type { Matrix } from '../types';
import type { Rng } from '../random/rng';
import type { Augmentation } from './augment';
import { fitLogistic } from '../propensity/logistic';
import type { CategoricalImputation } from './multinomial';
import { drawCoefficients } from './posterior-draw';
import { stackRows } from './design';

/** Imputes 0/1 for the rows of `xMis`; `yObs` holds 0/1 for the rows of `xObs`. */
export function imputeLogreg(
  xObs: Matrix,
  yObs: Int32Array,
  xMis: Matrix,
  augmentation: Augmentation,
  rng: Rng,
): CategoricalImputation {
  const { x, y, w } = stackRows(xObs, yObs, augmentation);
  const fit = fitLogistic(x, Float64Array.from(y), { weights: w });
  const kept: number[] = [];
  for (let j = 0; j < x.cols; j++) if (!fit.aliased[j]) kept.push(j);
  const k = kept.length;
  const coefKept = Float64Array.from(kept, (j) => fit.coefficients[j]!);
  const covKept = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) covKept[a * k + b] = fit.covariance[kept[a]! * x.cols + kept[b]!]!;
  const drawn = drawCoefficients(coefKept, covKept, rng);
  const beta = new Float64Array(x.cols);
  kept.forEach((j, a) => (beta[j] = drawn[a]!));
  const q = xMis.cols;
  const out = new Int32Array(xMis.rows);
  for (let i = 0; i < xMis.rows; i++) {
    let eta = 0;
    for (let j = 0; j < q; j++) eta += xMis.data[i * q + j]! * beta[j]!;
    const p = 1 / (1 + Math.exp(-eta));
    out[i] = rng.next() <= p ? 1 : 0;
  }
  return { values: out, coef: fit.coefficients.map((v) => (Number.isNaN(v) ? 0 : v)) };
}
