/**
 * Weighted difference in means on a matched sample = coefficient of `treat` in
 * `lm(y ~ treat, weights = w)` (MatchIt vignette "estimating-effects", METHODS §4.1):
 *
 *   τ̂ = Σ_{T=1} w_i Y_i / Σ_{T=1} w_i − Σ_{T=0} w_i Y_i / Σ_{T=0} w_i
 *
 * SE from the sandwich covariance of that lm (see ./sandwich): by default CR1 by subclass,
 * equal to `sandwich::vcovCL(fit, cluster = ~subclass)` (METHODS §4.2), or HC3 when the design
 * has no subclasses (matching with replacement). Interval and p-value use Student t with the
 * lm's residual df (n − 2), as `lmtest::coeftest` does in the MatchIt vignette.
 * The estimand only labels the result: the weights already encode ATT/ATC/ATE.
 */
import { fitWeightedLm } from './weighted-lm';
import { sandwichVcov } from './sandwich';
import { toEffectEstimate } from './interval';
import { checkTreatment, resolveVcov, sampleCounts, seTypeLabel, type MatchedEffectEstimate, type MatchedEstimatorOptions } from './matched-input';

export function differenceInMeans(y: Float64Array, treat: Uint8Array, options: MatchedEstimatorOptions = {}): MatchedEffectEstimate {
  const n = y.length;
  checkTreatment(treat, n);
  const vcov = resolveVcov(options, n);
  const counts = sampleCounts(treat, options, vcov);
  const design = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    design[2 * i] = 1;
    design[2 * i + 1] = treat[i]!;
  }
  const fit = fitWeightedLm({ data: design, rows: n, cols: 2 }, y, options.weights);
  const v = sandwichVcov(fit, { type: vcov, cluster: options.subclass });
  const estimate = fit.coef[1]!;
  return {
    ...toEffectEstimate({ estimand: options.estimand ?? 'ATT', estimate, se: Math.sqrt(v[3]!), df: fit.dfResidual, seType: seTypeLabel(vcov) }),
    ...counts,
  };
}
