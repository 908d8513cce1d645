/**
 * Imputation of an unordered categorical variable by multinomial logistic regression (mice
 * `mice.impute.polyreg`, with the augmentation of White, Daniel & Royston 2010):
 *
 *   1. append the 2·p·K augmentation rows (weight (p+1)/(2pK)) to the observed rows;
 *   2. fit the weighted multinomial model (`fitMultinomial`, baseline = first category),
 *      warm-started from the previous sweep, stopped by the Newton decrement;
 *   3. draw β* = β̂ + chol(H⁻¹)ᵀ z from the normal approximation to the posterior;
 *   4. per missing case, U ~ U(0,1) and category = #{c : U > Σ_{d≤c} π_d(β*)} (mice's rule).
 *
 * Step 3 departs from mice on purpose: mice's polyreg predicts with the point estimate of
 * `nnet::multinom`, which ignores parameter uncertainty (improper imputation, intervals too
 * narrow); the draw makes it proper, like `logreg`.
 */
import type { Rng } from '../random/rng';
import { fitMultinomialBlocks, IMPUTATION_DECREMENT } from './multinomial';
import type { CategoricalImputation, CategoricalImputeOptions, FitBlock } from './multinomial';
import { drawCoefficients } from './posterior-draw';
import { blockDots, spreadCoef } from './row-block';
import type { RowBlock } from './row-block';

/**
 * Imputes category indices 0..K−1 for the rows of `missing`; `observed.y` holds 0..K−1. The
 * observed, augmentation and missing rows are read in place (row-block.ts).
 */
export function imputePolyreg(
  observed: FitBlock,
  augmentation: FitBlock,
  nClasses: number,
  missing: RowBlock,
  rng: Rng,
  options: CategoricalImputeOptions = {},
): CategoricalImputation {
  const K = nClasses;
  const fit = fitMultinomialBlocks([observed, augmentation], K, { ...options, decrement: IMPUTATION_DECREMENT });
  const beta = spreadCoef(missing, drawCoefficients(fit.coef, fit.cov, rng), K - 1);
  const linear = blockDots(missing, beta, K - 1);
  const eta = new Float64Array(K);
  const out = new Int32Array(missing.nRows);
  for (let i = 0; i < missing.nRows; i++) {
    let max = 0;
    eta[0] = 0;
    for (let c = 1; c < K; c++) {
      const s = linear[i * (K - 1) + c - 1]!;
      eta[c] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let c = 0; c < K; c++) {
      eta[c] = Math.exp(eta[c]! - max);
      total += eta[c]!;
    }
    const u = rng.next();
    let cumulative = 0;
    let category = 0;
    for (let c = 0; c < K - 1; c++) {
      cumulative += eta[c]! / total;
      if (u > cumulative) category = c + 1;
    }
    out[i] = category;
  }
  return { values: out, coef: fit.coef, informationFactor: fit.informationFactor };
}
