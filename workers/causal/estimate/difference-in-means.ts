/**
 * Weighted difference in means on a matched sample = coefficient of `treat` in
 * `lm(y ~ treat, weights = w)` (MatchIt vignette "estimating-effects", METHODS §4.1):
 *
 *   τ̂ = Σ_{T=1} w_i Y_i / W₁ − Σ_{T=0} w_i Y_i / W₀,   W_t = Σ_{T=t} w_i
 *
 * SE from the sandwich covariance of that lm (./sandwich): by default CR1 by subclass, equal to
 * `sandwich::vcovCL(fit, cluster = ~subclass)` (METHODS §4.2), or HC3 when the design has no
 * subclasses (matching with replacement). The two-column design [1, t] has the closed forms
 *
 *   B = (XᵀWX)⁻¹ = [[1/W₀, −1/W₀], [−1/W₀, 1/W₀ + 1/W₁]],   e_i = Y_i − ȳ_{T_i},
 *   (B s_i)_treat = w_i e_i (T_i/W₁ − (1 − T_i)/W₀) =: u_i,   h_i = w_i / W_{T_i},
 *
 * so Var(τ̂) = Σ_g (Σ_{i∈g} u_i)² (CR) or Σ_i ω_i u_i² (HC) with sandwich's factors
 * (./sandwich `contrastVariance`): O(n), no QR. Interval and p-value use Student t with the lm's
 * residual df (n − 2), as `lmtest::coeftest` does in the MatchIt vignette.
 * The estimand only labels the result: the weights already encode ATT/ATC/ATE.
 */
import { CausalInputError } from '../errors';
import { positiveWeightRows } from './weighted-lm';
import { contrastVariance } from './sandwich';
import { toEffectEstimate } from './interval';
import { checkTreatment, resolveVcov, sampleCounts, seTypeLabel, type MatchedEffectEstimate, type MatchedEstimatorOptions } from './matched-input';

export function differenceInMeans(y: Float64Array, treat: Uint8Array, options: MatchedEstimatorOptions = {}): MatchedEffectEstimate {
  const nAll = y.length;
  checkTreatment(treat, nAll);
  const vcov = resolveVcov(options, nAll);
  const counts = sampleCounts(treat, options, vcov);
  const w = options.weights;
  if (w && w.length !== nAll) throw new CausalInputError(`The weights have ${w.length} values but the design has ${nAll} rows.`, { weights: w.length, rows: nAll });
  const rows = positiveWeightRows(y, w);
  const n = rows.length;
  if (n <= 2) throw new CausalInputError(`Only ${n} units have positive weight, too few to fit an outcome model with 2 coefficients.`, { n, p: 2 });
  let w1 = 0;
  let w0 = 0;
  let s1 = 0;
  let s0 = 0;
  for (let r = 0; r < n; r++) {
    const i = rows[r]!;
    const wi = w ? w[i]! : 1;
    if (treat[i] === 1) {
      w1 += wi;
      s1 += wi * y[i]!;
    } else {
      w0 += wi;
      s0 += wi * y[i]!;
    }
  }
  const m1 = s1 / w1;
  const m0 = s0 / w0;
  const u = new Float64Array(n);
  const hat = vcov === 'HC3' ? new Float64Array(n) : undefined;
  for (let r = 0; r < n; r++) {
    const i = rows[r]!;
    const wi = w ? w[i]! : 1;
    const treated = treat[i] === 1;
    u[r] = treated ? (wi * (y[i]! - m1)) / w1 : (-wi * (y[i]! - m0)) / w0;
    if (hat) hat[r] = treated ? wi / w1 : wi / w0;
  }
  const variance = contrastVariance(u, { type: vcov, cluster: options.subclass, rows, k: 2, hat });
  return {
    ...toEffectEstimate({ estimand: options.estimand ?? 'ATT', estimate: m1 - m0, se: Math.sqrt(variance), df: n - 2, seType: seTypeLabel(vcov) }),
    ...counts,
  };
}

/**
 * Weighted means of y in the treated and control groups over units with positive weight, and
 * the weight sums: the point estimate Σ_T wY/Σ_T w − Σ_C wY/Σ_C w without any variance (for
 * bootstrap replicates, refuters and risk ratios).
 */
export function weightedGroupMeans(y: Float64Array, treat: Uint8Array, w: Float64Array): { treated: number; control: number; treatedWeight: number; controlWeight: number } {
  let s1 = 0;
  let w1 = 0;
  let s0 = 0;
  let w0 = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w[i]!;
    if (!(wi > 0)) continue;
    if (treat[i] === 1) {
      s1 += wi * y[i]!;
      w1 += wi;
    } else {
      s0 += wi * y[i]!;
      w0 += wi;
    }
  }
  return { treated: s1 / w1, control: s0 / w0, treatedWeight: w1, controlWeight: w0 };
}
