/**
 * Imputation of a binary variable by logistic regression (mice `mice.impute.logreg`,
 * Rubin 1987 pp. 169–170, with the augmentation of White, Daniel & Royston 2010):
 *
 *   1. append the 2·p·2 augmentation rows (weight (p+1)/(4p)) to the observed rows;
 *   2. fit the weighted logistic regression: the two-class case of `fitMultinomial` (Newton
 *      for the canonical link is glm.fit's IRLS, same MLE), warm-started from the previous
 *      sweep and stopped by the Newton decrement (multinomial.ts); its covariance (XᵀWX)⁻¹
 *      at dispersion 1 is quasibinomial's cov.unscaled;
 *   3. draw β* = β̂ + chol(cov.unscaled)ᵀ z;
 *   4. impute y = 1{U ≤ expit(x_mis β*)}, one U per missing case.
 *
 * Aliased columns are removed by the caller before the fit (mice's `remove.lindep`).
 */
import type { Matrix } from '../types';
import type { Rng } from '../random/rng';
import type { Augmentation } from './augment';
import { fitMultinomial, IMPUTATION_DECREMENT } from './multinomial';
import type { CategoricalImputation, CategoricalImputeOptions } from './multinomial';
import { drawCoefficients } from './posterior-draw';
import { stackRows } from './design';

/** Imputes 0/1 for the rows of `xMis`; `yObs` holds 0/1 for the rows of `xObs`. */
export function imputeLogreg(
  xObs: Matrix,
  yObs: Int32Array,
  xMis: Matrix,
  augmentation: Augmentation,
  rng: Rng,
  options: CategoricalImputeOptions = {},
): CategoricalImputation {
  const { x, y, w } = stackRows(xObs, yObs, augmentation);
  const fit = fitMultinomial(x, y, 2, w, { start: options.start, decrement: IMPUTATION_DECREMENT });
  const beta = drawCoefficients(fit.coef, fit.cov, rng);
  const q = xMis.cols;
  const out = new Int32Array(xMis.rows);
  for (let i = 0; i < xMis.rows; i++) {
    let eta = 0;
    for (let j = 0; j < q; j++) eta += xMis.data[i * q + j]! * beta[j]!;
    const p = 1 / (1 + Math.exp(-eta));
    out[i] = rng.next() <= p ? 1 : 0;
  }
  return { values: out, coef: fit.coef };
}
