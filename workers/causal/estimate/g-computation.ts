/**
 * G-computation (regression standardisation) on a matched or weighted sample, MatchIt vignette
 * "estimating-effects": fit
 *
 *   lm(y ~ treat * (z_1 + … + z_p), weights = w)        design [1, t, Z, t·Z]
 *
 * then predict every focal unit under t = 1 and t = 0 and average the difference with the
 * weights. Because the model is linear in β the contrast is gᵀβ̂ with
 *
 *   g = Σ_{i∈F} w_i (x_i(1) − x_i(0)) / Σ_{i∈F} w_i = [0, 1, 0…0, z̄_F]
 *
 * (z̄_F = weighted covariate means of the focal units F: treated for ATT, controls for ATC,
 * all weighted units for ATE), and the delta-method variance is exactly gᵀVg with V the
 * sandwich covariance of the fit (CR1 by subclass, or HC3; ./sandwich). This is
 * `marginaleffects::avg_comparisons(fit, variables = "treat", vcov = ~subclass,
 * newdata = subset(md, treat == 1), wts = "weights")`.
 *
 * Aliased columns (e.g. a dummy constant within the treated) get NaN coefficients like R's `lm`
 * and are dropped from g and V, as the reference script does (`ok <- !is.na(coef(fit))`).
 * `covariates` must already be encoded (numeric, dummies with R's treatment contrasts, no
 * intercept), e.g. by data/design-matrix. Interval: Student t with the lm's residual df.
 */
import type { Matrix } from '../types';
import { CausalInputError } from '../errors';
import { fitWeightedLm, keptPosition, type WeightedLmFit } from './weighted-lm';
import { quadraticForm, sandwichVcov } from './sandwich';
import { toEffectEstimate } from './interval';
import { checkTreatment, resolveVcov, sampleCounts, seTypeLabel, type MatchedEffectEstimate, type MatchedEstimatorOptions } from './matched-input';

export interface GComputationOptions extends MatchedEstimatorOptions {
  /** Names of the covariate columns, used in error messages. */
  readonly covariateNames?: readonly string[];
}

export interface GComputationEstimate extends MatchedEffectEstimate {
  /** Number of aliased (NaN) coefficients dropped, like R's `is.na(coef(fit))`. */
  readonly nAliased: number;
}

interface GComputationFit {
  readonly fit: WeightedLmFit;
  readonly g: Float64Array;
  readonly estimate: number;
  readonly nAliased: number;
}

function fitGComputation(y: Float64Array, treat: Uint8Array, covariates: Matrix, options: GComputationOptions): GComputationFit {
  const n = y.length;
  checkTreatment(treat, n);
  if (covariates.rows !== n) throw new CausalInputError(`The covariate matrix has ${covariates.rows} rows but the outcome has ${n}.`, { rows: covariates.rows, n });
  const estimand = options.estimand ?? 'ATT';
  const p = covariates.cols;
  const cols = 2 + 2 * p;
  const design = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const t = treat[i]!;
    const o = i * cols;
    design[o] = 1;
    design[o + 1] = t;
    for (let j = 0; j < p; j++) {
      const z = covariates.data[i * p + j]!;
      design[o + 2 + j] = z;
      design[o + 2 + p + j] = t * z;
    }
  }
  const names = options.covariateNames;
  const columnNames = ['(Intercept)', 'treat', ...Array.from({ length: p }, (_, j) => names?.[j] ?? `covariate ${j + 1}`), ...Array.from({ length: p }, (_, j) => `treat:${names?.[j] ?? `covariate ${j + 1}`}`)];
  const fit = fitWeightedLm({ data: design, rows: n, cols }, y, options.weights, columnNames);
  if (keptPosition(fit, 1) < 0) throw new CausalInputError('The treatment column is collinear with the covariates in the matched sample; the effect is not identified.');

  // Weighted covariate means of the focal units.
  const zbar = new Float64Array(p);
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const wi = options.weights ? options.weights[i]! : 1;
    if (!(wi > 0)) continue;
    const focal = estimand === 'ATE' || (estimand === 'ATT' ? treat[i] === 1 : treat[i] === 0);
    if (!focal) continue;
    wsum += wi;
    for (let j = 0; j < p; j++) zbar[j] = zbar[j]! + wi * covariates.data[i * p + j]!;
  }
  if (!(wsum > 0)) throw new CausalInputError(`No weighted focal units for the ${estimand}.`);
  for (let j = 0; j < p; j++) zbar[j] = zbar[j]! / wsum;

  const g = new Float64Array(fit.k);
  let estimate = 0;
  for (let c = 0; c < fit.k; c++) {
    const j = fit.kept[c]!;
    const gj = j === 1 ? 1 : j >= 2 + p ? zbar[j - 2 - p]! : 0;
    g[c] = gj;
    estimate += gj * fit.coef[j]!;
  }
  return { fit, g, estimate, nAliased: cols - fit.k };
}

/** Point estimate only (no sandwich): what bootstrap replicates need. */
export function gComputationEstimate(y: Float64Array, treat: Uint8Array, covariates: Matrix, options: GComputationOptions = {}): number {
  return fitGComputation(y, treat, covariates, options).estimate;
}

export function gComputation(y: Float64Array, treat: Uint8Array, covariates: Matrix, options: GComputationOptions = {}): GComputationEstimate {
  const vcov = resolveVcov(options, y.length);
  const counts = sampleCounts(treat, options, vcov);
  const { fit, g, estimate, nAliased } = fitGComputation(y, treat, covariates, options);
  const v = sandwichVcov(fit, { type: vcov, cluster: options.subclass });
  const se = Math.sqrt(quadraticForm(v, g));
  return {
    ...toEffectEstimate({ estimand: options.estimand ?? 'ATT', estimate, se, df: fit.dfResidual, seType: `delta method, ${seTypeLabel(vcov)}` }),
    ...counts,
    nAliased,
  };
}
