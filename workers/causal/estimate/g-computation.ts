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
 * Large, well-conditioned designs are fitted by the normal equations (./interacted-lm, O(n p²)
 * with p + 1 accumulated columns, no n × (2p + 2) design) and gᵀVg is computed from per-row
 * contrast scores without forming V (./sandwich `contrastVariance`); rank-deficient or
 * ill-conditioned designs take the pivoted-QR route (./weighted-lm) that reproduces R's aliasing.
 * `covariates` must already be encoded (numeric, dummies with R's treatment contrasts, no
 * intercept), e.g. by data/design-matrix. Interval: Student t with the lm's residual df.
 */
import type { Matrix } from '../types';
import { CausalInputError } from '../errors';
import { fitWeightedLm, keptPosition, positiveWeightRows, type WeightedLmFit } from './weighted-lm';
import { contrastVariance, quadraticForm, sandwichVcov, type VcovType } from './sandwich';
import { fitInteractedLm, type InteractedLmFit } from './interacted-lm';
import { toEffectEstimate } from './interval';
import { checkTreatment, resolveVcov, sampleCounts, seTypeLabel, type MatchedEffectEstimate, type MatchedEstimatorOptions } from './matched-input';

export interface GComputationOptions extends MatchedEstimatorOptions {
  /** Names of the covariate columns (from `firstColumn` on), used in error messages. */
  readonly covariateNames?: readonly string[];
  /**
   * Index of the first covariate column of `covariates` (default 0); earlier columns are ignored,
   * so a design matrix with its intercept column can be passed without a copy.
   */
  readonly firstColumn?: number;
}

export interface GComputationEstimate extends MatchedEffectEstimate {
  /** Number of aliased (NaN) coefficients dropped, like R's `is.na(coef(fit))`. */
  readonly nAliased: number;
}

interface GComputationFit {
  readonly estimate: number;
  readonly nAliased: number;
  readonly dfResidual: number;
  /** Delta-method variance gᵀVg for a variance type. */
  readonly variance: (type: VcovType, cluster: Int32Array | undefined) => number;
}

/** Weighted covariate means z̄_F of the focal units. */
function focalMeans(treat: Uint8Array, covariates: Matrix, options: GComputationOptions): Float64Array {
  const estimand = options.estimand ?? 'ATT';
  const n = treat.length;
  const { stride, first, p } = layout(covariates, options);
  const zbar = new Float64Array(p);
  const w = options.weights;
  // Focal group: treated (ATT), controls (ATC), everyone (ATE, group −1).
  const group = estimand === 'ATT' ? 1 : estimand === 'ATC' ? 0 : -1;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    if (!(wi > 0) || (group >= 0 && treat[i] !== group)) continue;
    wsum += wi;
    const o = i * stride + first;
    for (let j = 0; j < p; j++) zbar[j] = zbar[j]! + wi * covariates.data[o + j]!;
  }
  if (!(wsum > 0)) throw new CausalInputError(`No weighted focal units for the ${estimand}.`);
  for (let j = 0; j < p; j++) zbar[j] = zbar[j]! / wsum;
  return zbar;
}

/** Row stride, first covariate column and number of covariates p of `covariates`. */
function layout(covariates: Matrix, options: GComputationOptions): { stride: number; first: number; p: number } {
  const first = options.firstColumn ?? 0;
  if (!(first >= 0 && first <= covariates.cols)) throw new CausalInputError(`firstColumn ${first} is outside the ${covariates.cols} covariate columns.`);
  return { stride: covariates.cols, first, p: covariates.cols - first };
}

function columnNamesOf(p: number, names: readonly string[] | undefined): string[] {
  const name = (j: number): string => names?.[j] ?? `covariate ${j + 1}`;
  return ['(Intercept)', 'treat', ...Array.from({ length: p }, (_, j) => name(j)), ...Array.from({ length: p }, (_, j) => `treat:${name(j)}`)];
}

/** Pivoted-QR route (exact R aliasing): materialises the design [1, t, Z, t·Z]. */
function fitByQr(y: Float64Array, treat: Uint8Array, covariates: Matrix, options: GComputationOptions, columnNames: readonly string[]): GComputationFit {
  const n = y.length;
  const { stride, first, p } = layout(covariates, options);
  const cols = 2 + 2 * p;
  const design = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const t = treat[i]!;
    const o = i * cols;
    design[o] = 1;
    design[o + 1] = t;
    for (let j = 0; j < p; j++) {
      const z = covariates.data[i * stride + first + j]!;
      design[o + 2 + j] = z;
      design[o + 2 + p + j] = t * z;
    }
  }
  const fit: WeightedLmFit = fitWeightedLm({ data: design, rows: n, cols }, y, options.weights, columnNames);
  if (keptPosition(fit, 1) < 0) throw new CausalInputError('The treatment column is collinear with the covariates in the matched sample; the effect is not identified.');
  const zbar = focalMeans(treat, covariates, options);
  const g = new Float64Array(fit.k);
  let estimate = 0;
  for (let c = 0; c < fit.k; c++) {
    const j = fit.kept[c]!;
    const gj = j === 1 ? 1 : j >= 2 + p ? zbar[j - 2 - p]! : 0;
    g[c] = gj;
    estimate += gj * fit.coef[j]!;
  }
  return {
    estimate,
    nAliased: cols - fit.k,
    dfResidual: fit.dfResidual,
    variance: (type, cluster) => quadraticForm(sandwichVcov(fit, { type, cluster }), g),
  };
}

/** Normal-equations route: u_i = w_i e_i vᵀx_i with v = B g, x_i = [1, t, z, t z]. */
function varianceFromNormalEquations(fit: InteractedLmFit, treat: Uint8Array, covariates: Matrix, w: Float64Array | undefined, g: Float64Array, type: VcovType, cluster: Int32Array | undefined): number {
  const { q, bread, rows, residuals, n, first } = fit;
  const stride = covariates.cols;
  const p = (q - 2) / 2;
  const v = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    let s = 0;
    for (let c = 0; c < q; c++) s += bread[a * q + c]! * g[c]!;
    v[a] = s;
  }
  const u = new Float64Array(n);
  const hat = type === 'HC3' ? new Float64Array(n) : undefined;
  const x = new Float64Array(q);
  for (let r = 0; r < n; r++) {
    const i = rows[r]!;
    const t = treat[i] === 1;
    const o = i * stride + first;
    let vx = v[0]! + (t ? v[1]! : 0);
    if (t) for (let j = 0; j < p; j++) vx += covariates.data[o + j]! * (v[2 + j]! + v[2 + p + j]!);
    else for (let j = 0; j < p; j++) vx += covariates.data[o + j]! * v[2 + j]!;
    const wi = w ? w[i]! : 1;
    u[r] = wi * residuals[r]! * vx;
    if (hat) {
      x[0] = 1;
      x[1] = t ? 1 : 0;
      for (let j = 0; j < p; j++) {
        x[2 + j] = covariates.data[o + j]!;
        x[2 + p + j] = t ? covariates.data[o + j]! : 0;
      }
      let s = 0;
      for (let a = 0; a < q; a++) {
        let bx = 0;
        for (let c = 0; c < q; c++) bx += bread[a * q + c]! * x[c]!;
        s += x[a]! * bx;
      }
      hat[r] = wi * s;
    }
  }
  return contrastVariance(u, { type, cluster, rows, k: q, hat });
}

function fitGComputation(y: Float64Array, treat: Uint8Array, covariates: Matrix, options: GComputationOptions): GComputationFit {
  const n = y.length;
  checkTreatment(treat, n);
  if (covariates.rows !== n) throw new CausalInputError(`The covariate matrix has ${covariates.rows} rows but the outcome has ${n}.`, { rows: covariates.rows, n });
  const { first, p } = layout(covariates, options);
  const columnNames = columnNamesOf(p, options.covariateNames);
  const w = options.weights;
  if (w && w.length !== n) throw new CausalInputError(`The weights have ${w.length} values but the design has ${n} rows.`, { weights: w.length, rows: n });
  const rows = positiveWeightRows(y, w);
  const fit = fitInteractedLm(y, treat, covariates, first, w, rows, columnNames);
  if (fit === null) return fitByQr(y, treat, covariates, options, columnNames);
  const zbar = focalMeans(treat, covariates, options);
  const g = new Float64Array(fit.q);
  g[1] = 1;
  for (let j = 0; j < p; j++) g[2 + p + j] = zbar[j]!;
  let estimate = 0;
  for (let c = 0; c < fit.q; c++) estimate += g[c]! * fit.coef[c]!;
  return {
    estimate,
    nAliased: 0,
    dfResidual: fit.n - fit.q,
    variance: (type, cluster) => varianceFromNormalEquations(fit, treat, covariates, w, g, type, cluster),
  };
}

/** Point estimate only (no sandwich): what bootstrap replicates need. */
export function gComputationEstimate(y: Float64Array, treat: Uint8Array, covariates: Matrix, options: GComputationOptions = {}): number {
  return fitGComputation(y, treat, covariates, options).estimate;
}

export function gComputation(y: Float64Array, treat: Uint8Array, covariates: Matrix, options: GComputationOptions = {}): GComputationEstimate {
  const vcov = resolveVcov(options, y.length);
  const counts = sampleCounts(treat, options, vcov);
  const { estimate, nAliased, dfResidual, variance } = fitGComputation(y, treat, covariates, options);
  const se = Math.sqrt(variance(vcov, options.subclass));
  return {
    ...toEffectEstimate({ estimand: options.estimand ?? 'ATT', estimate, se, df: dfResidual, seType: `delta method, ${seTypeLabel(vcov)}` }),
    ...counts,
    nAliased,
  };
}
