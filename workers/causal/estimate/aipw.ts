/**
 * Augmented inverse-probability weighting (doubly robust). Outcome models m_1(x), m_0(x) are
 * least-squares fits of Y on [1, X] within the treated and within the controls (optionally
 * weighted by `outcomeWeights`), predicted for every unit; e is the propensity score.
 *
 * ATE (Robins, Rotnitzky & Zhao 1994; Glynn & Quinn 2010):
 *   φ_i = m_1(x_i) − m_0(x_i) + T_i (Y_i − m_1(x_i)) / e_i − (1−T_i)(Y_i − m_0(x_i)) / (1−e_i)
 *   τ̂ = mean(φ),   SE = sqrt(Σ (φ_i − τ̂)²) / n
 * ATT (Hajek-normalised control weights, e.g. Moodie et al. 2018; r_i = Y_i − m_0(x_i)):
 *   τ̂ = Σ_T r_i / n_1 − Σ_C o_i r_i / Σ_C o_i,   o_i = e_i/(1−e_i)
 *   IF_i = n [T_i (r_i − τ̂_1)/n_1 − (1−T_i) o_i (r_i − τ̂_0)/Σ_C o_i],  SE = sqrt(Σ IF²)/n
 * Consistent when either the PS or the outcome model is right. The influence-function SE
 * treats both nuisance fits as fixed; it is valid (first order) when both models are correctly
 * specified, which is the usual AIPW SE. Normal intervals (df = ∞).
 * Trimming / truncation of the scores as in ./scores.
 */
import type { EffectEstimate, Matrix } from '../types';
import { CausalInputError } from '../errors';
import { weightedLeastSquares } from '../linalg';
import { toEffectEstimate } from './interval';
import { prepareScores, type ScoreOptions } from './scores';

export interface AipwOptions extends ScoreOptions {
  /** Weights for the per-arm outcome regressions (default 1). */
  readonly outcomeWeights?: Float64Array;
  readonly covariateNames?: readonly string[];
}

export interface AipwEstimate extends EffectEstimate {
  readonly nTrimmed: number;
  /** Outcome-model predictions m_1(x), m_0(x) for every unit. */
  readonly mu1: Float64Array;
  readonly mu0: Float64Array;
}

/** Fits Y ~ [1, X] on the units of `group` (and kept) and predicts every unit. */
function armPredictions(y: Float64Array, treat: Uint8Array, covariates: Matrix, kept: Uint8Array, group: number, options: AipwOptions): Float64Array {
  const n = y.length;
  const p = covariates.cols;
  const q = p + 1;
  const design = new Float64Array(n * q);
  const w = new Float64Array(n);
  let nArm = 0;
  for (let i = 0; i < n; i++) {
    design[i * q] = 1;
    for (let j = 0; j < p; j++) {
      const v = covariates.data[i * p + j]!;
      if (!Number.isFinite(v)) {
        const name = options.covariateNames?.[j] ?? `column ${j + 1}`;
        throw new CausalInputError(`Covariate ${name} is missing or not finite in row ${i + 1}; impute or drop it before estimating.`, { row: i, column: name });
      }
      design[i * q + 1 + j] = v;
    }
    if (kept[i] && treat[i] === group) {
      w[i] = options.outcomeWeights ? options.outcomeWeights[i]! : 1;
      if (w[i]! > 0) nArm++;
    }
  }
  if (nArm <= q) throw new CausalInputError(`Only ${nArm} ${group === 1 ? 'treated' : 'control'} units to fit an outcome model with ${q} coefficients.`, { nArm, q });
  const fit = weightedLeastSquares({ data: design, rows: n, cols: q }, y, w);
  // Aliased coefficients are NaN (R's NA) and simply do not contribute, like predict.lm.
  const pred = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < q; j++) if (!fit.aliased[j]) s += design[i * q + j]! * fit.coef[j]!;
    pred[i] = s;
  }
  return pred;
}

export function augmentedIpw(y: Float64Array, treat: Uint8Array, ps: Float64Array, covariates: Matrix, options: AipwOptions = {}): AipwEstimate {
  const n = y.length;
  if (covariates.rows !== n) throw new CausalInputError(`The covariate matrix has ${covariates.rows} rows but the outcome has ${n}.`);
  const estimand = options.estimand ?? 'ATE';
  if (estimand === 'ATC') throw new CausalInputError('AIPW is implemented for the ATE and the ATT; for the ATC swap the treatment coding and negate the ATT.');
  const { e, kept, nTrimmed } = prepareScores(ps, treat, y, options);
  const mu1 = armPredictions(y, treat, covariates, kept, 1, options);
  const mu0 = armPredictions(y, treat, covariates, kept, 0, options);
  let estimate: number;
  let se: number;
  if (estimand === 'ATE') {
    const phi: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!kept[i]) continue;
      const ei = e[i]!;
      const t = treat[i]!;
      phi.push(mu1[i]! - mu0[i]! + (t === 1 ? (y[i]! - mu1[i]!) / ei : -(y[i]! - mu0[i]!) / (1 - ei)));
    }
    const m = phi.length;
    estimate = phi.reduce((a, b) => a + b, 0) / m;
    let ss = 0;
    for (const v of phi) ss += (v - estimate) * (v - estimate);
    se = Math.sqrt(ss) / m;
  } else {
    let n1 = 0;
    let r1 = 0;
    let so = 0;
    let r0 = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (!kept[i]) continue;
      m++;
      const r = y[i]! - mu0[i]!;
      if (treat[i] === 1) {
        n1++;
        r1 += r;
      } else {
        const o = e[i]! / (1 - e[i]!);
        so += o;
        r0 += o * r;
      }
    }
    const tau1 = r1 / n1;
    const tau0 = r0 / so;
    estimate = tau1 - tau0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      if (!kept[i]) continue;
      const r = y[i]! - mu0[i]!;
      const inf = treat[i] === 1 ? (m * (r - tau1)) / n1 : (-m * (e[i]! / (1 - e[i]!)) * (r - tau0)) / so;
      ss += inf * inf;
    }
    se = Math.sqrt(ss) / m;
  }
  return {
    ...toEffectEstimate({ estimand, estimate, se, df: Number.POSITIVE_INFINITY, seType: 'influence function (AIPW)' }),
    nTrimmed,
    mu1,
    mu0,
  };
}
