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
 * Aliased columns are removed by the caller before the fit (mice's `remove.lindep`). The
 * observed, augmentation and missing rows are read in place (row-block.ts).
 */
import type { Rng } from '../random/rng';
import { fitMultinomialBlocks, IMPUTATION_DECREMENT } from './multinomial';
import type { CategoricalImputation, CategoricalImputeOptions, FitBlock } from './multinomial';
import { drawCoefficients } from './posterior-draw';
import { blockDots, spreadCoef } from './row-block';
import type { RowBlock } from './row-block';

/** Imputes 0/1 for the rows of `missing`; `observed.y` holds 0/1 (augmentation rows: categories). */
export function imputeLogreg(
  observed: FitBlock,
  augmentation: FitBlock,
  missing: RowBlock,
  rng: Rng,
  options: CategoricalImputeOptions = {},
): CategoricalImputation {
  const fit = fitMultinomialBlocks([observed, augmentation], 2, { ...options, decrement: IMPUTATION_DECREMENT });
  const eta = blockDots(missing, spreadCoef(missing, drawCoefficients(fit.coef, fit.cov, rng)));
  const out = new Int32Array(missing.nRows);
  for (let i = 0; i < missing.nRows; i++) {
    const p = 1 / (1 + Math.exp(-eta[i]!));
    out[i] = rng.next() <= p ? 1 : 0;
  }
  return { values: out, coef: fit.coef, informationFactor: fit.informationFactor };
}
